"""Blame by clause (`regdocs blame`): the round that last changed each clause's words, on a real repository."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, one_error, run_cli
from negotiated import negotiation_repo

BUNDLED = ROOT / "corpus"


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return negotiation_repo(make_repo)


def blamed(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(root, "blame", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return data


def by_clause(data: dict[str, Any]) -> dict[str, tuple[str, str, str]]:
    return {c["clause"]: (c["changed"], c["kind"], c["introduced"]) for c in data["clauses"]}


def test_each_clause_is_blamed_on_the_round_that_last_worded_it(repo: Path) -> None:
    data = blamed(repo)
    assert data["schema"] == 1 and data["version"] == "round-3"
    assert [r["name"] for r in data["rounds"]] == ["round-1", "round-2", "round-3"]
    assert by_clause(data) == {
        "part-1": ("round-1", "added", "round-1"),
        "notify": ("round-1", "added", "round-1"),
        "notify.1": ("round-3", "modified", "round-1"),  # the brackets settled
        "notify.2": ("round-3", "split", "round-1"),
        "notify.3": ("round-3", "split", "round-1"),  # a piece of the split: since the clause it came from
        "2": ("round-2", "added", "round-2"),
        "2.1": ("round-2", "added", "round-2"),
        "3": ("round-1", "added", "round-1"),  # renumbered in round-2: its words are round-1's
        "3.1": ("round-1", "added", "round-1"),
        "4": ("round-1", "added", "round-1"),
        "4.1": ("round-1", "added", "round-1"),
        "5": ("round-3", "added", "round-3"),
        "5.1": ("round-3", "added", "round-3"),
    }
    first = data["clauses"][2]
    assert (first["citation"], first["path"], first["line"], first["party"]) == (
        "section 1(1)",
        "rules.md",
        9,
        "Joint committee",
    )


def test_an_earlier_round_and_one_document(repo: Path) -> None:
    data = blamed(repo, "round-2", "rules")
    assert data["version"] == "round-2" and len(data["rounds"]) == 2
    clauses = by_clause(data)
    assert clauses["notify.1"] == ("round-2", "modified", "round-1")
    assert clauses["3"] == ("round-1", "added", "round-1")
    assert "3.2" not in clauses and "5" not in clauses
    assert by_clause(blamed(repo, "rules")) == by_clause(blamed(repo))  # a lone DOC


def test_terminal_reads_like_git_blame(repo: Path) -> None:
    out = run_cli(repo, "blame").output
    lines = out.splitlines()
    assert lines[0] == "Incident Rules: blame by clause at round-3"
    line = next(x for x in lines if "section 1(1)" in x)
    assert line.split() == [
        "round-3", "2026-03-01", "Joint", "committee", "since", "round-1", "section", "1(1)",
        "The", "developer", "shall", "notify", "the", "Office", "within", "72", "hours.",
    ]  # fmt: skip
    assert "train its staff <script>alert(1)" in out  # terminal text is shown as written


def test_markdown_escapes_and_tabulates(repo: Path) -> None:
    out = run_cli(repo, "blame", "--format", "markdown").output
    assert "| clause | last worded | party | date | how | since | text |" in out
    assert "| section 3 | round-1 | Office for AI | 2026-01-01 | added | round-1 | Records |" in out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_working_tree_is_blamed_when_it_differs(repo: Path) -> None:
    rules = repo / "rules.md"
    rules.write_text(rules.read_text().replace("kept for 5 years", "kept for 7 years"))
    data = blamed(repo)
    assert data["version"] == "working tree"
    assert by_clause(data)["3.1"] == ("working tree", "modified", "round-1")
    assert next(c for c in data["clauses"] if c["clause"] == "3.1")["party"] == ""


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ("nowhere",),
            ("'nowhere' is neither a round nor a document", "rounds: round-1", "documents: rules"),
        ),
        (("round-9", "rules"), ("'round-9' is not a round", "known rounds: round-1, round-2, round-3")),
        (("round-1", "nowhere"), ("no document 'nowhere'",)),
        (("round-1", "rules", "more"), ("blame takes at most VERSION and DOC",)),
    ],
)
def test_bad_input_is_one_error_line(repo: Path, args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    one_error(run_cli(repo, "blame", *args), *needles)


def test_bundled_corpus_blames_the_restored_deadline_on_round_3() -> None:
    clauses = by_clause(blamed(BUNDLED, "round-4", "frontier-ai-security-rules"))
    assert clauses["incident-notification.1"] == ("round-3", "modified", "round-1")
    assert clauses["incident-notification"][0] == "round-1"  # renumbered in round-3, its title unchanged
    assert clauses["review"] == ("round-4", "added", "round-4")
