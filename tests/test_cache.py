"""The cache of parsed documents: exact round trips on real texts, safe under concurrency and hostile files."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHARED

from regdocs.cli import cli
from regdocs.corpus.cache import DocumentStore, default_folder
from regdocs.corpus.sources import blob_id
from regdocs.parse.document import parse_document
from regdocs.parse.model import Document

REAL = [
    *sorted((ROOT / "corpus").glob("*.md")),
    *sorted((SHARED / "cabforum-br" / "versions").glob("*.md"))[-1:],
    *sorted((SHARED / "owasp-asvs" / "v5.0.0").glob("0x1*.md"))[:2],
    *sorted((SHARED / "github-site-policy" / "versions").glob("*.md"))[-1:],
]


def parsed(path: Path, name: str = "") -> tuple[str, Document]:
    data = path.read_bytes()
    blob = blob_id(data)
    return blob, parse_document(data, name or path.name, blob=blob)


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_a_cached_document_is_the_parsed_one(tmp_path: Path, path: Path) -> None:
    if not path.exists():
        pytest.skip("shared corpora not beside the repository")
    store = DocumentStore(tmp_path)
    blob, doc = parsed(path)
    assert store.get(blob, path.name) is None
    store.put(blob, path.name, doc)
    assert store.get(blob, path.name) == doc
    assert store.get(blob, "other/" + path.name) is None  # the path is part of the key (ids come from it)


def test_front_matter_values_round_trip_or_are_not_cached(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    text = "---\ntitle: T\neffective: 2026-06-01\ntags: [a, b]\nmore: {x: 1}\n---\n\n# 1. A\n\nText.\n"
    doc = parse_document(text, "a.md", blob="b1")
    store.put("b1", "a.md", doc)
    assert store.get("b1", "a.md") == doc
    odd = replace(doc, metadata=(("map", {1: "one"}),))
    store.put("b2", "a.md", odd)  # JSON would turn the key 1 into "1": parsed again next time instead
    assert store.get("b2", "a.md") is None
    forged = parse_document('---\nx: {"@": "Clause", "f": []}\n---\n\n# 1. A\n', "c.md", blob="b3")
    store.put("b3", "c.md", forged)
    assert store.get("b3", "c.md") in (None, forged)


def test_a_damaged_or_planted_entry_is_a_miss(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path)
    blob, doc = parsed(ROOT / "corpus" / "schedule-1-incident-report-contents.md")
    store.put(blob, "s.md", doc)
    (entry,) = [p for p in tmp_path.glob("*/*") if not p.name.startswith(".")]
    entry.write_bytes(b"not zlib")
    assert store.get(blob, "s.md") is None
    entry.unlink()
    secret = tmp_path / "secret"
    secret.write_text("x")
    entry.symlink_to(secret)
    assert store.get(blob, "s.md") is None  # never read through a link


def test_the_folder_is_kept_under_its_bound(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path, max_bytes=1)
    blob, doc = parsed(ROOT / "corpus" / "schedule-1-incident-report-contents.md")
    for n in range(3):
        store._trimmed = False  # each put checks the bound once per process
        store.put(f"{blob}{n}", "s.md", doc)
    assert len(list(tmp_path.glob("*/*"))) <= 1


def test_two_processes_writing_at_once_leave_whole_entries(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from regdocs.corpus.cache import DocumentStore;"
        "from regdocs.parse.document import parse_document;"
        "d = parse_document(Path(sys.argv[2]).read_bytes(), 'f.md', blob='b');"
        "s = DocumentStore(Path(sys.argv[1]));"
        "[s.put('b', 'f.md', d) for _ in range(30)]"
    )
    source = ROOT / "corpus" / "frontier-ai-security-rules.md"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), str(source)]) for _ in range(4)]
    assert all(p.wait() == 0 for p in procs)
    assert DocumentStore(tmp_path).get("b", "f.md") == parse_document(source.read_bytes(), "f.md", blob="b")
    assert not [p for p in tmp_path.glob("*/.tmp-*")]  # no temporary file left behind


def test_commands_use_the_cache_unless_told_not_to(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert default_folder() == tmp_path / "xdg" / "regdocs"
    first = CliRunner().invoke(
        cli, ["--corpus", str(ROOT / "corpus"), "--no-cache", "diff", "round-3", "round-4"]
    )
    assert first.exit_code == 0 and not default_folder().exists()
    cold = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "diff", "round-3", "round-4"])
    entries = list(default_folder().glob("*/*"))
    warm = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "diff", "round-3", "round-4"])
    assert entries and cold.output == warm.output == first.output
    assert os.stat(default_folder()).st_mode & 0o077 == 0  # the user's own
