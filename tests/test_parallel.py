"""Parsing on both cores gives exactly what parsing in one process gives, errors included."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from regdocs.corpus import parallel
from regdocs.corpus.config import load_config
from regdocs.corpus.load import load_pair, resolve_pair
from regdocs.corpus.sources import Sources
from regdocs.parse.document import parse_document
from regdocs.parse.model import Document

BGB = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "bgb" / "versions"


def _two_versions(tmp_path: Path, old: str, new: str) -> tuple[Sources, Path, Path]:
    for name, text in (("old", old), ("new", new)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "rules.md").write_text(text, encoding="utf-8")
    (tmp_path / "new" / "regdocs.toml").write_text('title = "t"\n')
    return Sources(load_config(tmp_path / "new")), tmp_path / "old", tmp_path / "new"


def _big(marker: str, n: int = 3000) -> str:
    return "".join(f"## {k}. Section {k}\n\n(1) The {marker} shall keep record {k}.\n\n" for k in range(1, n))


@pytest.fixture(autouse=True)
def _fork_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "_can_fork", lambda: sys.platform == "linux")  # pytest may run threads


def test_forked_parse_equals_sequential_parse(tmp_path: Path) -> None:
    # the real statute: two 1.5 MB versions, one parsed in the child and sent back as JSON
    files = sorted(BGB.glob("*.md"))[7:9]
    sources, old, new = _two_versions(tmp_path, files[0].read_text("utf-8"), files[1].read_text("utf-8"))
    a, b = load_pair(sources, *resolve_pair(sources, str(old), str(new)))
    assert sum(len(f.read_bytes()) for f in files) > parallel.MIN_BYTES
    for corpus, file in ((a, files[0]), (b, files[1])):
        expected = parse_document(file.read_bytes(), "rules.md", blob=corpus.documents[0].blob)
        assert corpus.documents[0] == expected


def test_child_results_are_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, old, new = _two_versions(tmp_path, _big("provider"), _big("developer"))
    parsed_here: list[str] = []

    def counting(data: bytes | str, path: str, *, blob: str = "") -> Document:
        parsed_here.append(blob)
        return parse_document(data, path, blob=blob)

    monkeypatch.setattr("regdocs.corpus.parallel.parse_document", counting)
    memo: dict[str, Document] = {}
    files = sources.read(resolve_pair(sources, str(old), str(new))[0]) + sources.read(
        resolve_pair(sources, str(old), str(new))[1]
    )
    parallel.parse_ahead(sources, files, memo)
    assert len(memo) == 2
    assert len(parsed_here) == 1  # the other one came from the child (its calls are not seen here)
    for f in files:
        assert memo[f"{f.blob}:{f.path}"] == parse_document(f.data, f.path, blob=f.blob)


def test_a_file_the_child_cannot_parse_is_reported_as_before(tmp_path: Path) -> None:
    bad = "---\ntitle: [unclosed\n---\n" + _big("provider")
    _, old, new = _two_versions(tmp_path, bad, _big("developer") + "x" * 10_000)
    out = subprocess.run(
        [sys.executable, "-m", "regdocs", "--no-cache", "--corpus", str(new), "diff", str(old), str(new)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 2, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "rules.md" in lines[0] and "front matter" in lines[0], out.stderr


def test_small_inputs_are_parsed_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources, old, new = _two_versions(tmp_path, "# 1. A\n\nx\n", "# 1. B\n\ny\n")
    monkeypatch.setattr("os.fork", lambda: pytest.fail("forked for two small files"))
    a, b = load_pair(sources, *resolve_pair(sources, str(old), str(new)))
    assert a.documents[0].clauses[0].title == "A" and b.documents[0].clauses[0].title == "B"
