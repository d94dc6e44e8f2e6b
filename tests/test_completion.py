"""Shell completion: round names and refs for versions, document ids, clause ids; quiet on any error."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from conftest import ROOT, git

from regdocs.cli import cli

CORPUS = str(ROOT / "corpus")
ROUNDS = ["round-1", "round-2", "round-3", "round-4"]


def complete(args: list[str], incomplete: str) -> list[str]:
    """What Tab offers after `regdocs ARGS INCOMPLETE`, as click computes it for every shell."""
    shell = ShellComplete(cli, {}, "regdocs", "_REGDOCS_COMPLETE")
    return [item.value for item in shell.get_completions(args, incomplete)]


@pytest.fixture
def branchy(make_repo: Callable[..., Path]) -> Path:
    toml = 'title = "T"\n\n[[rounds]]\nname = "first-round"\nref = "HEAD"\n'
    repo = make_repo([{"regdocs.toml": toml, "rules.md": "## 1. A\n\n(1) Text.\n\n## 2. B\n\nText.\n"}])
    git(repo, "branch", "proposal")
    git(repo, "tag", "v1")
    return repo


def test_versions_complete_to_round_names_and_refs(branchy: Path) -> None:
    at = ["--corpus", str(branchy)]
    assert complete([*at, "diff"], "") == ["HEAD", "first-round", "main", "proposal", "v1"]
    assert complete([*at, "diff", "main"], "pro") == ["proposal"]
    assert complete([*at, "lint", "--at"], "v") == ["v1"]
    assert complete([*at, "review"], "main..p") == ["main..proposal"]
    assert complete([*at, "review"], "main...") == [f"main...{r}" for r in complete([*at, "diff"], "")]
    assert complete([*at, "round", "add", "r2", "--ref"], "") == [
        "HEAD",
        "main",
        "proposal",
        "v1",
    ]  # refs only
    assert complete(["--corpus", CORPUS, "diff"], "round-") == ROUNDS


def test_documents_and_clauses_complete_from_the_corpus() -> None:
    at = ["--corpus", CORPUS]
    docs = ["frontier-ai-security-rules", "schedule-1", "schedule-2"]
    assert complete([*at, "diff", "--doc"], "") == docs
    assert complete([*at, "outline"], "s") == ["schedule-1", "schedule-2"]
    assert complete([*at, "outline", "round-2"], "") == docs  # after a version, only documents
    assert complete([*at, "outline"], "round-4") == ["round-4"]
    clauses = complete([*at, "history"], "incident-notification.")
    assert "incident-notification.1" in clauses and all(
        c.startswith("incident-notification.") for c in clauses
    )
    assert complete([*at, "history", "--doc", "schedule-1"], "sch1.1") == ["sch1.1"]
    assert complete([*at, "show"], "round-") == ROUNDS  # a version or a clause first
    assert "7.2.c.i" in complete([*at, "show", "round-1"], "7.2.c")  # then that version's clauses
    assert complete([*at, "diff", "--clause"], "incident-notification.1") == ["incident-notification.1"]


def test_completion_offers_nothing_rather_than_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "regdocs.toml").write_text("title = [unclosed\n")
    (tmp_path / "nogit").mkdir()
    (tmp_path / "nogit" / "regdocs.toml").write_text('title = "T"\n')
    (tmp_path / "nogit" / "a.md").write_bytes(b"\xff\xfe\x00 not text")
    for corpus in (str(tmp_path / "missing"), str(bad), str(tmp_path / "nogit")):
        for args, incomplete in (
            (["diff"], ""),
            (["review"], "a.."),
            (["diff", "--doc"], ""),
            (["history"], ""),
            (["show"], ""),
        ):
            complete(["--corpus", corpus, *args], incomplete)
    assert complete(["--corpus", str(tmp_path / "missing"), "diff"], "") == []
    assert complete(["--corpus", str(bad), "history"], "") == []
    captured = capsys.readouterr()
    assert captured.out == captured.err == ""


def bash(words: str, env: dict[str, str] | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Ask the installed `regdocs` for completions the way bash's completion function does."""
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / "regdocs")],
        env={
            **os.environ,
            "_REGDOCS_COMPLETE": "bash_complete",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
            **(env or {}),
        },
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_installed_command_completes_in_bash(tmp_path: Path) -> None:
    done = bash("regdocs diff round-")
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.splitlines() == [f"plain,{r}" for r in ROUNDS]
    assert bash("regdocs show --doc sch").stdout.splitlines() == ["plain,schedule-1", "plain,schedule-2"]
    broken = bash("regdocs diff ", {"REGDOCS_CORPUS": str(tmp_path / "missing")}, cwd=tmp_path)
    assert broken.returncode == 0 and broken.stdout.strip() == "" and broken.stderr == ""
    source = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "regdocs")],
        env={**os.environ, "_REGDOCS_COMPLETE": "bash_source"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_regdocs_completion" in source.stdout and "complete " in source.stdout


def test_readme_says_how_to_turn_completion_on() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for shell in ("bash", "zsh", "fish"):
        assert f"_REGDOCS_COMPLETE={shell}_source regdocs" in readme
    assert 'eval "$(_REGDOCS_COMPLETE=bash_source regdocs)"' in readme
