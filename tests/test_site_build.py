"""`regdocs build`: pages, escaping, atomic and reproducible output, incremental rebuilds, safe paths."""

from __future__ import annotations

import hashlib
import html
import http.client
import json
import os
import pty
import re
import subprocess
import sys
import threading
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
        if tag == "script" and not (dict(attrs).get("src") or "").startswith(("../", "assets/", "pagefind/")):
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


# --- the site folder's own files: .gitignore, README.md ---------------------------------------------


def test_site_folder_is_git_ignored_but_its_readme(make_repo: Callable[..., Path]) -> None:
    """The README says "everything else in this folder is git-ignored": the .gitignore written beside it makes it so."""
    repo = make_repo([{"corpus/regdocs.toml": 'title = "T"\n', "corpus/rules.md": "## 1. Duty\n\nText.\n"}])
    site = repo / "site"
    result = CliRunner().invoke(cli, ["--corpus", str(repo / "corpus"), "build", "--out", str(site)])
    assert result.exit_code == 0, result.output + result.stderr
    assert (site / ".gitignore").is_file() and "git-ignored" in (site / "README.md").read_text()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert status.splitlines() == ["?? site/README.md"], status
    pages = [p.read_text() for p in site.rglob("*.html")]
    assert len(pages) > 5 and not any("README" in page for page in pages)  # no page links to it
    (site / ".gitignore").write_text("# ours\n/pagefind/\n")  # a user's own .gitignore is kept
    again = CliRunner().invoke(
        cli, ["--corpus", str(repo / "corpus"), "build", "--out", str(site), "--force"]
    )
    assert again.exit_code == 0 and (site / ".gitignore").read_text() == "# ours\n/pagefind/\n"


def test_preview_server_does_not_serve_the_folders_own_files(bundled: Path) -> None:
    from regdocs.publish.serve import open_server

    server = open_server(bundled, 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]

        def get(path: str) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path, headers={"Host": f"localhost:{port}"})
            code = conn.getresponse().status
            conn.close()
            return code

        assert get("/index.html") == 200
        assert (bundled / "README.md").is_file() and (bundled / ".gitignore").is_file()
        for path in ("/README.md", "/readme.md", "/.gitignore", "/.regdocs-build.json", "/./README.md"):
            assert get(path) == 404, path
    finally:
        server.shutdown()
        server.server_close()


# --- the round's rationale, whole in the terminal as on the site ---------------------------------------


def test_history_shows_the_whole_rationale_wrapped(bundled: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--corpus", str(CORPUS), "history", "incident-notification.1", "--color", "never"]
    )
    assert result.exit_code == 0, result.stderr
    lines = result.output.splitlines()
    assert all(len(line) <= 100 for line in lines if line.startswith("  |"))
    shown = " ".join(line[4:].strip() for line in lines if line.startswith("  | "))
    page = next((bundled / "clause" / "frontier-ai-security-rules").glob("incident-notification.1.html"))
    rationales = re.findall(r"<pre>(.*?)</pre>", page.read_text(), re.S)
    assert len(rationales) == 4
    for message in rationales:  # every word of every round's message, as the site shows it
        words = " ".join(html.unescape(message).split())
        assert words in " ".join(shown.split()), words[:80]
    assert "house-style italics" in shown  # the ninth line of round-4's message, once cut off


def test_rationale_lines_keep_breaks_and_hang_list_items() -> None:
    from regdocs.render.history import rationale_lines

    message = "Subject\n\n" + "word " * 30 + "\n- item " + "text " * 20 + "\n" + "x" * 120
    got = rationale_lines(message, width=40)
    assert got[:2] == ["  | Subject", "  |"]
    assert (
        all(len(line) <= 40 for line in got[:-1]) and got[-1] == "  | " + "x" * 120
    )  # long words stay whole
    item = [line for line in got if line.startswith("  | - item") or line.startswith("  |   text")]
    assert len(item) > 2 and all(line.startswith("  |   ") for line in item[1:])
    assert " ".join(line[4:].strip() for line in got if len(line) > 4).split() == message.split()


# --- progress: every stage, counted, on a terminal only --------------------------------------------------


def test_build_reports_every_stage_with_counts(tmp_path: Path) -> None:
    from regdocs.publish.progress import Stage

    seen: list[tuple[Stage, int, int]] = []
    with Sources(load_config(CORPUS)) as src:
        result = build_site(src, tmp_path / "s", progress=lambda *call: seen.append(call))
    stages = list(dict.fromkeys(stage for stage, _, _ in seen))
    assert stages == [Stage.PARSE, Stage.COMPARE, Stage.PAGES, Stage.SEARCH]
    for stage in stages:
        calls = [(done, total) for s, done, total in seen if s is stage]
        totals = {total for _, total in calls}
        assert len(totals) == 1, (stage, totals)
        assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1], (stage, calls[:3], calls[-3:])
        assert [d for d, _ in calls] == sorted(d for d, _ in calls), stage
    total = {stage: next(t for s, _, t in seen if s is stage) for stage in stages}
    assert total[Stage.PARSE] == 5  # four rounds and the working tree
    assert total[Stage.PAGES] == result.pages
    assert total[Stage.SEARCH] == 4  # the latest text of three documents and the glossary
    assert total[Stage.COMPARE] >= 3 + 2  # consecutive rounds, and each round against the latest


def _run_build(out: Path, *, tty: bool) -> tuple[int, str, str]:
    """`regdocs build` in a child process whose stderr is a pseudo-terminal (or a pipe); its exit, stdout, stderr."""
    cmd = [sys.executable, "-m", "regdocs", "--corpus", str(CORPUS), "build", "--out", str(out)]
    env = {**os.environ, "COLUMNS": "80"}
    if not tty:
        done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
        return done.returncode, done.stdout, done.stderr
    leader, follower = pty.openpty()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=follower, env=env) as proc:
        os.close(follower)
        err = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the child closed its end
                break
            if not chunk:
                break
            err += chunk
        os.close(leader)
        stdout = proc.stdout.read().decode() if proc.stdout else ""
    return proc.returncode, stdout, err.decode()


def test_build_progress_on_a_terminal_only(tmp_path: Path) -> None:
    code, out, err = _run_build(tmp_path / "quiet", tty=False)
    assert code == 0 and err == "" and out.count("\n") == 1 and "pages in" in out
    code, out, err = _run_build(tmp_path / "shown", tty=True)
    assert code == 0 and "pages in" in out, err
    finished = [line.split("\r")[-1].replace("\x1b[K", "") for line in err.split("\r\n") if line.strip()]
    assert finished[0] == "Building site"
    names = [" ".join(line.split()[:-4]) for line in finished[1:]]
    assert names == ["parse", "compare", "pages", "search index"], finished
    for line in finished[1:]:  # e.g. "  pages        267/267 pages  0.6 s"
        count = line.split()[-4]
        done, total = count.split("/")
        assert done == total and int(total) > 0, line
