"""Bad input: one clear line on stderr naming the file/line or ref and what to do, exit 2, nothing written."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import git

from regdocs.cli import cli

TOML = 'title = "Test rules"\n'
GOOD = "---\nid: rules\n---\n# Part 1 — General\n\n## 1. Purpose\n\n(1) Text.\n"


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in root.rglob("*")
        if ".git" not in p.parts
    }


def run(root: Path, *args: str) -> Result:
    before = snapshot(root)
    result = CliRunner().invoke(cli, ["--corpus", str(root), *args])
    assert snapshot(root) == before, "a read-only command wrote into the corpus"
    return result


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture
def corpus(tmp_path: Path) -> Callable[[bytes | str], Path]:
    def make(rules: bytes | str, toml: str = TOML) -> Path:
        root = tmp_path / "corpus"
        root.mkdir(exist_ok=True)
        (root / "regdocs.toml").write_text(toml)
        data = rules.encode() if isinstance(rules, str) else rules
        (root / "rules.md").write_bytes(data)
        return root

    return make


def test_non_utf8_bytes(corpus: Callable[..., Path]) -> None:
    root = corpus(b"# Part 1\n\n## 1. Caf\xe9\n")
    assert_one_line_error(run(root, "outline"), "rules.md:3", "not valid UTF-8", "re-save the file as UTF-8")


def test_utf8_bom_is_accepted(corpus: Callable[..., Path]) -> None:
    root = corpus(b"\xef\xbb\xbf" + GOOD.encode())
    result = run(root, "outline")
    assert result.exit_code == 0 and "part-1" in result.output and "rules" in result.output


def test_crlf_is_accepted(corpus: Callable[..., Path]) -> None:
    root = corpus(GOOD.replace("\n", "\r\n"))
    result = run(root, "show", "1.1")
    assert result.exit_code == 0 and "Text." in result.output and "\r" not in result.output


def test_empty_file_is_a_lint_error_and_an_outline_warning(corpus: Callable[..., Path]) -> None:
    root = corpus(b"")
    result = run(root, "lint")
    assert result.exit_code == 1
    assert "rules.md:1:1: error: document is empty" in result.output
    outline = run(root, "outline")
    assert outline.exit_code == 0 and "empty document" in outline.stderr


def test_binary_file(corpus: Callable[..., Path]) -> None:
    root = corpus(b"# Part 1\n\x89PNG\x00\x00\x01binary")
    assert_one_line_error(run(root, "outline"), "rules.md:2", "binary", "exclude this file")


def test_ten_megabyte_single_line(corpus: Callable[..., Path]) -> None:
    root = corpus("## 1. Long\n\n(1) " + "word " * 2_000_000 + "\n")
    result = run(root, "outline")
    assert result.exit_code == 0 and "1.1" in result.output


def test_list_nested_a_thousand_deep(corpus: Callable[..., Path]) -> None:
    root = corpus("## 1. Deep\n\n" + "".join("  " * i + "- item\n" for i in range(1000)))
    assert_one_line_error(run(root, "outline"), "rules.md:", "nested more than", "flatten")


def test_invalid_yaml_front_matter(corpus: Callable[..., Path]) -> None:
    root = corpus("---\nid: rules\ntitle: [unclosed\n---\n# Part 1\n")
    assert_one_line_error(run(root, "outline"), "rules.md:", "invalid YAML front matter", "fix the YAML")


def test_unclosed_front_matter(corpus: Callable[..., Path]) -> None:
    root = corpus("---\nid: rules\n# Part 1\n")
    assert_one_line_error(run(root, "outline"), "rules.md:1", "never closed")


def test_duplicate_explicit_ids(corpus: Callable[..., Path]) -> None:
    root = corpus("## 1. A {#same}\n\nText.\n\n## 2. B {#same}\n\nText.\n")
    assert_one_line_error(run(root, "outline"), "rules.md:5", "'same'", "another {#id}")
    lint = run(root, "lint")
    assert lint.exit_code == 1 and "rules.md:5:1: error:" in lint.output and "[duplicate-id]" in lint.output


def test_unknown_round_or_ref_lists_rounds(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        [{"regdocs.toml": TOML + '[[rounds]]\nname = "round-1"\nref = "main"\n', "rules.md": GOOD}]
    )
    assert_one_line_error(run(repo, "outline", "round-9"), "'round-9'", "known rounds: round-1")
    assert_one_line_error(run(repo, "lint", "--at", "no-such-branch"), "no-such-branch", "round-1")


def test_ref_that_looks_like_an_option(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": GOOD}])
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        for args in (
            ["outline", "--", "--upload-pack=touch x"],
            ["lint", "--at", "--upload-pack=touch x"],
            ["show", "--", "--output=x", "1"],
        ):
            assert_one_line_error(run(repo, *args), "starts with '-'")
    finally:
        os.chdir(cwd)
    assert not (tmp_path / "x").exists() and not (repo / "x").exists()


def test_path_outside_the_corpus(corpus: Callable[..., Path], tmp_path: Path) -> None:
    root = corpus(GOOD)
    outside = tmp_path / "elsewhere.md"
    outside.write_text(GOOD)
    assert_one_line_error(run(root, "lint", str(outside)), "elsewhere.md", "outside the corpus")


def test_folder_that_is_not_a_git_repository(corpus: Callable[..., Path]) -> None:
    root = corpus(GOOD, TOML + '[[rounds]]\nname = "round-1"\nref = "main"\n')
    assert_one_line_error(run(root, "rounds"), "not inside a git repository", "git init")
    assert_one_line_error(run(root, "outline", "HEAD"), "not inside a git repository")


def test_commit_missing_from_a_shallow_clone(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": GOOD}, {"rules.md": GOOD + "\n(2) More.\n"}])
    first = git(repo, "rev-parse", "HEAD~1")
    (repo / "regdocs.toml").write_text(TOML + f'[[rounds]]\nname = "round-1"\nref = "{first}"\n')
    git(repo, "commit", "-qam", "rounds")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    assert_one_line_error(run(clone, "rounds"), "round-1", first, "shallow", "git fetch --unshallow")
    assert_one_line_error(run(clone, "outline", first), "shallow", "git fetch --unshallow")


def test_invalid_regdocs_toml(corpus: Callable[..., Path]) -> None:
    root = corpus(GOOD, "title = [\n")
    assert_one_line_error(run(root, "outline"), "regdocs.toml", "invalid TOML")


def test_no_corpus_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REGDOCS_CORPUS", raising=False)
    result = CliRunner().invoke(cli, ["outline"])
    assert_one_line_error(result, "no regdocs.toml found", "--corpus")


def test_unknown_clause(corpus: Callable[..., Path]) -> None:
    assert_one_line_error(
        run(corpus(GOOD), "show", "no-such-clause"), "no clause 'no-such-clause'", "outline"
    )
