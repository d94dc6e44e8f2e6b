"""`regdocs build`: pages, escaping, atomic and reproducible output, incremental rebuilds, safe paths."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli
from regdocs.corpus.config import load_config
from regdocs.corpus.sources import Sources
from regdocs.errors import RegdocsError
from regdocs.publish import build as build_module
from regdocs.publish.build import build_site

CORPUS = ROOT / "corpus"


def tree(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = CliRunner().invoke(cli, ["--corpus", str(CORPUS), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    return out


def test_every_kind_of_page_is_there(bundled: Path) -> None:
    names = set(tree(bundled))
    for round_ in ("round-1", "round-2", "round-3", "round-4"):
        assert f"r/{round_}/frontier-ai-security-rules.html" in names
    assert {
        "index.html",
        "glossary.html",
        "search.html",
        "latest/frontier-ai-security-rules.html",
        "changes/round-1--round-2.html",
        "changes/round-2--round-3-substantive.html",
        "changes/round-1--round-4.html",
        "assets/regdocs.css",
        "README.md",
    } <= names
    assert any(n.startswith("pagefind/") for n in names)
    assert any(n.startswith("clause/frontier-ai-security-rules/") for n in names)
    index = (bundled / "index.html").read_text()
    assert index.count('class="round"') == 4
    doc = (bundled / "latest/frontier-ai-security-rules.html").read_text()
    assert 'id="c-incident-notification"' in doc and 'href="#c-incident-notification"' in doc
    assert "<script>" not in doc and "http" not in doc.replace("https://", "")  # no CDN, no other host


def test_cross_references_are_links(bundled: Path) -> None:
    doc = (bundled / "latest/frontier-ai-security-rules.html").read_text()
    assert '<a href="#c-model-weight-protection">section 6</a>' in doc
    assert '<a href="#c-8.2">paragraph (b) of section 8</a>' in doc or 'href="#c-8.2.b"' in doc


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    with Sources(load_config(CORPUS)) as src:
        build_site(src, tmp_path / "a")
        build_site(src, tmp_path / "b")
    a, b = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert a == b and len(a) > 200
    assert "2026-05-28" in (tmp_path / "a" / "index.html").read_text()  # SOURCE_DATE_EPOCH honoured


def test_rebuild_without_change_is_skipped_and_force_rebuilds(tmp_path: Path) -> None:
    with Sources(load_config(CORPUS)) as src:
        first = build_site(src, tmp_path / "s")
        again = build_site(src, tmp_path / "s")
        forced = build_site(src, tmp_path / "s", force=True)
    assert not first.skipped and first.pages > 200
    assert again.skipped and again.pages == 0
    assert not forced.skipped


def test_failed_build_leaves_previous_site_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Sources(load_config(CORPUS)) as src:
        build_site(src, tmp_path / "s")
        before = tree(tmp_path / "s")

        def boom(root: Path) -> bool:
            raise RegdocsError("indexer crashed")

        monkeypatch.setattr(build_module, "_pagefind", boom)
        with pytest.raises(RegdocsError):
            build_site(src, tmp_path / "s", force=True)
    assert tree(tmp_path / "s") == before
    assert [p.name for p in tmp_path.iterdir()] == ["s"]  # no temporary folder left behind


@pytest.mark.parametrize("where", ["corpus", "corpus-parent", "inside-corpus", "foreign"])
def test_refuses_dangerous_output_folders(tmp_path: Path, where: str) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    (root / "rules.md").write_text("## 1. A\n\nText.\n")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    out = {"corpus": root, "corpus-parent": tmp_path, "inside-corpus": root / "site", "foreign": foreign}[
        where
    ]
    result = CliRunner().invoke(cli, ["--corpus", str(root), "build", "--out", str(out)])
    assert (result.exit_code == 2 and "refusing" in result.stderr) or "did not build" in result.stderr
    assert (foreign / "thesis.docx").read_text() == "precious" and (root / "rules.md").exists()


class Dangerous(HTMLParser):
    """Collects anything in parsed HTML that could run script or load from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}>")
            if (
                name in ("href", "src")
                and value
                and value.strip().lower().startswith(("javascript:", "data:", "vbscript:"))
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag in ("img", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        if tag == "script" and not dict(attrs).get("src", "").startswith(("../", "assets/", "pagefind/")):
            self.found.append("<script> without a local src")


PAYLOAD_TOML = """title = "<script>alert('title')</script>"
[[rounds]]
name = "../../escape"
ref = "HEAD"
label = "\\" onload=\\"alert(1)"
"""
PAYLOAD_DOC = """---
id: ../../../etc/evil
title: "<img src=x onerror=alert('fm')>"
status: "\\" onmouseover=\\"alert(2)"
---
# Part 1 — <script>alert('heading')</script>

## 1. Links {#x}

(1) A [js link](javascript:alert('js')) and a [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==).

(2) Raw <script>alert('raw')</script> and <img src=x onerror="alert('img')"> and ![pic](http://example.com/x.png).

(3) "Payload" means <b onclick=alert(3)>bold</b>; see section 1(1) and [there](#x).
"""


def test_payload_corpus_is_escaped_and_stays_inside_the_output(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "x"\n', "evil.md": PAYLOAD_DOC}])
    (repo / "regdocs.toml").write_text(PAYLOAD_TOML)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--corpus", str(repo), "build", "--out", str(out)])
    assert result.exit_code == 0, result.output + result.stderr
    written = [p.resolve() for p in tmp_path.rglob("*") if p.is_file() and "repo" not in p.parts]
    assert all(p.is_relative_to(out.resolve()) for p in written)
    pages = list(out.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        checker = Dangerous()
        checker.feed(page.read_text())
        assert not checker.found, (page, checker.found)
    marker = json.loads((out / ".regdocs-build.json").read_text())
    assert marker["versions"][0] == "../../escape"
