"""`regdocs build` trust: symlinks, leftovers of killed builds, round names, long ids, output failures."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.corpus.config import load_config
from regdocs.corpus.sources import Sources
from regdocs.publish.build import MARKER, build_site
from regdocs.publish.versions import NAME_LIMIT, safe_name

RULES = "## 1. Duty\n\n(1) A developer shall report.\n\n## 2. Other\n\nSee section 1.\n"


def corpus(tmp_path: Path, text: str = RULES, name: str = "corpus") -> Path:
    root = tmp_path / name
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    (root / "rules.md").write_text(text)
    return root


def build(root: Path, out: Path, *more: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--corpus", str(root), "build", "--out", str(out), *more])
    return result.exit_code, result.stdout, result.stderr


def regdocs(*args: str) -> list[str]:
    return [sys.executable, "-m", "regdocs", *args]


def dead_pid() -> int:
    """The id of a process that has exited and been reaped."""
    proc = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    return int(proc.stdout)


# --- A. symlinks, exclusive temporary folders ----------------------------------------------------


def test_output_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "site").symlink_to(elsewhere)
    code, _, err = build(root, tmp_path / "site")
    assert code == 2 and "symbolic link" in err
    assert (tmp_path / "site").is_symlink() and list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("kept", ["README.md", ".gitignore"])
def test_kept_file_that_is_a_symlink_is_refused(tmp_path: Path, kept: str) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    assert build(root, site)[0] == 0
    secret = tmp_path / "secret.txt"
    secret.write_text("private key\n")
    (site / kept).unlink(missing_ok=True)
    (site / kept).symlink_to(secret)
    code, _, err = build(root, site, "--force")
    assert code == 2 and "symbolic link" in err and kept in err
    assert (site / kept).is_symlink() and secret.read_text() == "private key\n"
    assert all(
        b"private key" not in p.read_bytes() for p in site.rglob("*") if p.is_file() and not p.is_symlink()
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "secret.txt", "site"]


def test_kept_files_survive_a_rebuild(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    assert build(root, site)[0] == 0
    (site / "README.md").write_bytes(b"Our own words \xff\n")  # not even UTF-8: copied as bytes
    (site / ".gitignore").write_text("*\n")
    assert build(root, site, "--force")[0] == 0
    assert (site / "README.md").read_bytes() == b"Our own words \xff\n"
    assert (site / ".gitignore").read_text() == "*\n"


def test_names_planted_where_the_temporary_folders_go_are_never_followed(tmp_path: Path) -> None:
    """The old fixed names `.site.building-PID` / `.site.old-PID` could be links to anywhere."""
    root = corpus(tmp_path)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "thesis.docx").write_text("precious")
    site = tmp_path / "site"
    with Sources(load_config(root)) as src:
        build_site(src, site, search=False)
        (tmp_path / f".site.building-{os.getpid()}").symlink_to(victim)
        (tmp_path / f".site.old-{os.getpid()}").symlink_to(victim)
        result = build_site(src, site, search=False, force=True)
    assert not result.skipped and (site / MARKER).is_file()
    assert [p.name for p in victim.iterdir()] == ["thesis.docx"]
    assert (victim / "thesis.docx").read_text() == "precious"
    assert (tmp_path / f".site.building-{os.getpid()}").is_symlink()  # ours, alive: left alone


def test_temporary_folder_is_new_named_after_the_process_and_gone_afterwards(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    seen: list[str] = []

    def progress(stage: object, done: int, total: int) -> None:
        seen.extend(p.name for p in tmp_path.iterdir() if p.name.startswith(".site."))

    with Sources(load_config(root)) as src:
        build_site(src, site, search=False, progress=progress)
        build_site(src, site, search=False, progress=progress, force=True)
    assert seen and all(re.fullmatch(rf"\.site\.building-{os.getpid()}-\w+", n) for n in set(seen))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]
    mask = os.umask(0o022)
    os.umask(mask)
    assert (site.stat().st_mode & 0o777) == 0o777 & ~mask  # not mkdtemp's 0700


def test_an_interrupted_build_leaves_nothing_behind_and_the_previous_site_intact(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"

    def interrupt(stage: object, done: int, total: int) -> None:
        raise KeyboardInterrupt

    with Sources(load_config(root)) as src:
        build_site(src, site, search=False)
        before = sorted((str(p.relative_to(site)), p.read_bytes()) for p in site.rglob("*") if p.is_file())
        with pytest.raises(KeyboardInterrupt):
            build_site(src, site, search=False, force=True, progress=interrupt)
    assert (
        sorted((str(p.relative_to(site)), p.read_bytes()) for p in site.rglob("*") if p.is_file()) == before
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]


# --- B. what kill -9 leaves behind -----------------------------------------------------------------

SLOW_BUILD = """
import sys, time
from pathlib import Path
from regdocs.corpus.config import load_config
from regdocs.publish.build import build_site
from regdocs.corpus.sources import Sources

with Sources(load_config(Path(sys.argv[1]))) as src:
    build_site(src, Path(sys.argv[2]), search=False, force=True, progress=lambda s, n, t: time.sleep(60))
"""


def test_leftovers_of_a_killed_build_are_cleaned_by_the_next(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    assert build(root, site)[0] == 0
    proc = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(root), str(site)])
    try:
        for _ in range(600):
            if any(p.name.startswith(f".site.building-{proc.pid}") for p in tmp_path.iterdir()):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the build never started writing")
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]
    assert left and all(n.startswith(f".site.building-{proc.pid}") for n in left)
    assert build(root, site)[0] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]


def test_only_regdocs_own_leftovers_of_dead_processes_are_removed(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    dead, alive = dead_pid(), os.getpid()
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep")
    removed = [f".site.building-{dead}", f".site.building-{dead}-k2j4x9", f".site.old-{dead}-abc_12"]
    kept = [
        f".site.building-{alive}-q1w2e3",  # a build running right now
        f".site.building-{dead}-link",  # a link, even if its name fits
        f".site.building-{dead}.bak",  # not regdocs's naming
        f".other.building-{dead}",  # another site's
        f"site.building-{dead}",
        f".site.building-x{dead}",
    ]
    for name in removed + kept:
        if name.endswith("-link"):
            (tmp_path / name).symlink_to(victim)
        else:
            (tmp_path / name).mkdir()
            (tmp_path / name / "page.html").write_text("x")
    code, _, err = build(root, tmp_path / "site")
    assert code == 0, err
    names = {p.name for p in tmp_path.iterdir()}
    assert not names & set(removed)
    assert set(kept) <= names and (victim / "keep.txt").read_text() == "keep"


def test_a_kill_between_the_two_renames_puts_the_previous_site_back(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    assert build(root, site)[0] == 0
    holder = tmp_path / f".site.old-{dead_pid()}-x7y8z9"
    holder.mkdir()
    os.replace(site, holder / "site")  # what _swap had done when it was killed
    (tmp_path / f".site.building-{dead_pid()}-a1b2c3").mkdir()
    with Sources(load_config(root)) as src:
        result = build_site(src, site)
    assert result.skipped  # the previous site is back, and it is current
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]


# --- C. round names that look like the working tree's ---------------------------------------------


def test_rounds_called_current_and_current_draft_are_not_replaced_by_the_working_tree(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo(
        [{"regdocs.toml": 'title = "T"\n', "rules.md": "## 1. Duty\n\nA developer shall report.\n"}]
    )
    (repo / "regdocs.toml").write_text(
        'title = "T"\n[[rounds]]\nname = "current"\nref = "HEAD"\n'
        '[[rounds]]\nname = "current-draft"\nref = "HEAD"\n'
    )
    (repo / "rules.md").write_text("## 1. Duty\n\nA developer should report.\n")
    out = tmp_path / "site"
    code, _, err = build(repo, out)
    assert code == 0, err
    for round_ in ("current", "current-draft"):
        page = (out / "r" / round_ / "rules.html").read_text()
        assert "shall report" in page and "should report" not in page, round_
    drafts = [p for p in (out / "r").iterdir() if p.name not in ("current", "current-draft")]
    assert len(drafts) == 1 and "should report" in (drafts[0] / "rules.html").read_text()
    names = json.loads((out / MARKER).read_text())["versions"]
    assert names[:2] == ["current", "current-draft"] and len(set(names)) == 3


# --- D. long clause ids ----------------------------------------------------------------------------


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "href" and value:
                self.hrefs.append(value)
            if name == "id" and value:
                self.ids.add(value)


def test_a_300_character_clause_id_builds_with_short_file_names_and_working_links(tmp_path: Path) -> None:
    long_a = "a" * 300
    long_b = "a" * 299 + "b"  # same first NAME_LIMIT characters: the hash keeps them apart
    text = (
        f"## 1. Duty {{#{long_a}}}\n\nA developer shall report.\n\n"
        f"## 2. Other {{#{long_b}}}\n\nSee [the duty](#{long_a}).\n"
    )
    root = corpus(tmp_path, text)
    lint = CliRunner().invoke(cli, ["--corpus", str(root), "lint"])
    assert lint.exit_code == 0, lint.stdout + lint.stderr
    out = tmp_path / "site"
    code, _, err = build(root, out)
    assert code == 0, err
    files = [p for p in out.rglob("*") if p.is_file()]
    assert max(len(p.name.encode()) for p in files) <= 255
    history = sorted(p.name for p in (out / "clause" / "rules").iterdir())
    assert len([n for n in history if n.startswith("a" * NAME_LIMIT)]) == 2
    pages: dict[Path, Links] = {}
    for page in out.rglob("*.html"):
        pages[page] = Links()
        pages[page].feed(page.read_text())
    checked = 0
    for page, links in pages.items():
        for href in links.hrefs:
            parts = urlsplit(href)
            if parts.scheme or not parts.path or parts.path.startswith("pagefind"):
                continue
            target = (page.parent / unquote(parts.path)).resolve()
            assert target.is_file(), (page, href)
            if parts.fragment and target in pages:
                assert unquote(parts.fragment) in pages[target].ids, (page, href)
            checked += "a" * 50 in href
    assert checked >= 4
    doc = (out / "latest" / "rules.html").read_text()
    assert f'href="#c-{long_a}"' in doc
    first = sorted(str(p.relative_to(out)) for p in files)
    shutil.rmtree(out)
    assert build(root, out)[0] == 0
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) == first  # stable


def test_safe_name_of_long_ids_is_short_stable_and_never_a_kept_name() -> None:
    names = {safe_name("x" * n) for n in range(95, 400)}
    assert len(names) == 400 - 95
    assert all(len(n) <= NAME_LIMIT + 17 for n in names)
    assert safe_name("x" * 300) == safe_name("x" * 300)
    assert safe_name("x" * NAME_LIMIT) == "x" * NAME_LIMIT  # short enough: kept as it is
    kept_whole = {n for n in names if len(n) <= NAME_LIMIT}
    assert all(n == "x" * len(n) for n in kept_whole)


# --- E. output failures and broken pipes ------------------------------------------------------------


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_build_to_a_full_stdout_says_the_site_was_built(tmp_path: Path) -> None:
    root = corpus(tmp_path)
    site = tmp_path / "site"
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            regdocs("--corpus", str(root), "build", "--out", str(site)),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
        )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "was built" in proc.stderr and "No space left" in proc.stderr
    assert (site / MARKER).is_file() and (site / "latest" / "rules.html").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "site"]


def big_corpus(tmp_path: Path) -> Path:
    sections = "".join(
        f"## {i}. Section number {i}\n\nA developer shall report item {i}.\n\n" for i in range(1, 6001)
    )
    return corpus(tmp_path, sections)


def test_outline_into_head_exits_141_quietly(tmp_path: Path) -> None:
    root = big_corpus(tmp_path)
    script = '"$@" 2>"$ERR" | head -1; echo "status ${PIPESTATUS[0]}"'
    proc = subprocess.run(
        ["bash", "-c", script, "bash", *regdocs("--corpus", str(root), "outline")],
        capture_output=True,
        text=True,
        env={**os.environ, "ERR": str(tmp_path / "err")},
        check=True,
    )
    first, status = proc.stdout.splitlines()
    assert first.startswith("rules  Section number 1")
    assert status == "status 141"
    assert (tmp_path / "err").read_text() == ""  # no traceback, no "Exception ignored"


@pytest.mark.parametrize(
    "command", [["outline"], ["build", "--out", "SITE"], ["outline", "--format", "json"]]
)
def test_a_reader_that_is_gone_means_141_and_nothing_on_stderr(tmp_path: Path, command: list[str]) -> None:
    root = big_corpus(tmp_path) if command[0] == "outline" else corpus(tmp_path)
    args = [str(tmp_path / "site") if a == "SITE" else a for a in command]
    read, write = os.pipe()
    os.close(read)  # nobody will ever read: the first write fails
    try:
        proc = subprocess.run(
            regdocs("--corpus", str(root), *args), stdout=write, stderr=subprocess.PIPE, text=True
        )
    finally:
        os.close(write)
    assert proc.returncode == 141 and proc.stderr == ""
    if command[0] == "build":
        assert (tmp_path / "site" / MARKER).is_file()  # the site was built and swapped in first
