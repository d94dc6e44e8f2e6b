"""The negotiation table (`regdocs table`) and `rounds --stat` on a real repository of three rounds, and on
the bundled corpus."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, one_error, run_cli
from negotiated import negotiation_repo

from regdocs.cli import cli
from regdocs.corpus.config import load_config
from regdocs.corpus.sources import Sources
from regdocs.gitflow.roundstat import round_stats
from regdocs.render.roundstat import round_stats_json, round_stats_text

BUNDLED = ROOT / "corpus"


@pytest.fixture
def repo(make_repo: Callable[..., Path]) -> Path:
    return negotiation_repo(make_repo)


def table_json(root: Path, *args: str) -> dict[str, Any]:
    result = run_cli(root, "table", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.output)
    return data


def rows_by_key(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["key"]: r for r in data["rows"]}


def marks(row: dict[str, Any]) -> str:
    return " ".join(c["mark"] or " " for c in row["cells"])


def test_every_round_is_a_column_and_every_lineage_a_row(repo: Path) -> None:
    data = table_json(repo)
    assert data["schema"] == 1
    assert [c["name"] for c in data["columns"]] == ["round-1", "round-2", "round-3"]  # no working tree: same
    assert [c["party"] for c in data["columns"]] == ["Office for AI", "Lab Ltd", "Joint committee"]
    rows = rows_by_key(data)
    expected = {
        "part-1": ("+ = =", "settled", "round-1"),
        "notify": ("+ = =", "settled", "round-1"),
        "notify.1": ("+ ~ ~", "changed", ""),  # brackets resolved in round-3
        "notify.2": ("+ = ~", "changed", ""),  # split into (2) and (3) in round-3
        "2": ("  + =", "settled", "round-2"),  # Training, new in round-2
        "3": ("+ ~ =", "settled", "round-2"),  # Records: section 2 renumbered 3
        "4": ("+ ~ =", "settled", "round-2"),
        "4.1": ("+ = =", "settled", "round-1"),
        "5": ("    +", "new", ""),
        "5.1": ("    +", "open", ""),
        "3.2@round-1": ("+ -  ", "dropped", ""),
    }
    assert {k: (marks(r), r["status"], r["since"]) for k, r in rows.items() if k in expected} == expected
    assert len(rows) == data["total"] == 13


def test_cells_are_redlines_against_the_column_before(repo: Path) -> None:
    rows = rows_by_key(table_json(repo))
    deadline = rows["notify.1"]["cells"]
    assert deadline[0]["redline"] == [] and "[within 72 hours]" in deadline[0]["text"]
    assert ["delete", "72 hours"] in deadline[1]["redline"] and ["insert", "7 days"] in deadline[1]["redline"]
    assert [c["citation"] for c in deadline] == ["section 1(1)"] * 3
    split = rows["notify.2"]
    assert split["citation"] == "section 1(2) + section 1(3)"
    assert split["cells"][2]["kind"] == "split" and split["cells"][2]["ids"] == ["notify.2", "notify.3"]
    records = rows["3"]["cells"]
    assert records[1]["same_as"] == "round-1" and records[1]["kind"] == "renumbered"
    assert [c["citation"] for c in records] == ["section 2", "section 3", "section 3"]
    assert records[2]["same_as"] == "round-1" and records[2]["mark"] == "="
    dropped = rows["3.2@round-1"]["cells"]
    assert dropped[1]["redline"] == [["delete", "A penalty may not exceed £1,000,000."]]
    assert dropped[2] == {**dropped[2], "mark": "", "ids": [], "text": ""}
    assert rows["3.2@round-1"]["last_changed"] == "round-2"


def test_cells_carry_the_findings_of_the_diff(repo: Path) -> None:
    deadline = rows_by_key(table_json(repo))["notify.1"]["cells"]
    assert [f["kind"] for f in deadline[1]["findings"]] == ["number-changed"]
    assert "7 days" in deadline[1]["findings"][0]["message"]


def test_terminal_has_a_line_per_clause_with_its_marks(repo: Path) -> None:
    out = run_cli(repo, "table").output
    lines = out.splitlines()
    assert lines[0] == "Incident Rules: negotiation table, 13 clauses"
    assert "columns: 1 round-1 · 2 round-2 · 3 round-3" in lines[1]
    by_citation = {line.split("  ")[1]: line for line in lines if line.startswith("  section")}
    assert (
        "changed" in by_citation["section 1(1)"]
        and "+ ~ ~  round-3 · Joint committee" in by_citation["section 1(1)"]
    )
    assert "settled since round-2  + ~ =  round-2 · Lab Ltd · 2026-02-01" in by_citation["section 3"]
    assert "open (1)" in by_citation["section 5(1)"]
    dropped = next(line for line in lines if "dropped in round-2" in line)
    assert dropped.startswith("  section 3(2)") and "+ -  " in dropped
    assert lines.index(dropped) == len(lines) - 3  # after Penalties (1), before the new section 5


def test_markdown_is_a_table_per_document(repo: Path) -> None:
    out = run_cli(repo, "table", "--format", "markdown").output
    assert "| clause | status | round-1 | round-2 | round-3 | last changed by |" in out
    row = next(line for line in out.splitlines() if line.startswith("| section 1(1) |"))
    assert "<del>72 hours</del><ins>7 days</ins>" in row and row.count(" | ") == 5
    assert "_= round-1 (renumbered)_" in out
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_html_is_one_escaped_page(repo: Path) -> None:
    out = run_cli(repo, "table", "--format", "html").output
    assert out.startswith("<!doctype html>") and out.rstrip().endswith("</html>")
    assert "<script>" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert '<del aria-label="deleted">72 hours</del><ins aria-label="inserted">7 days</ins>' in out
    assert "= round-1 (renumbered)" in out and "http" not in out.replace("http-equiv", "")


def test_csv_parses_with_a_column_per_round(repo: Path) -> None:
    out = run_cli(repo, "table", "--format", "csv").output
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "document",
        "clause",
        "citation",
        "status",
        "round-1",
        "round-2",
        "round-3",
        "last changed",
        "party",
        "date",
    ]
    by_key = {r[1]: r for r in rows[1:]}
    assert len(by_key) == 13
    assert (
        by_key["notify.1"][5]
        == "The developer [shall][should] notify the Office [within [-72 hours-]{+7 days+}]."
    )
    assert by_key["3"][5:7] == ["'= round-1 (renumbered)", "'= round-1"]  # never read as a formula
    assert by_key["3.2@round-1"][3:7] == [
        "dropped in round-2",
        "A penalty may not exceed £1,000,000.",
        "[-A penalty may not exceed £1,000,000.-]",
        "",
    ]


@pytest.mark.parametrize(
    ("args", "keys"),
    [
        (("--status", "new"), {"5"}),
        (("--status", "dropped", "--status", "open"), {"3.2@round-1", "5.1"}),
        (("--status", "changed"), {"notify.1", "notify.2"}),
        (("--changed-by", "LAB"), {"notify.1", "2", "2.1", "3", "4", "3.2@round-1"}),
        (("--only", "substantive"), {"notify.1", "notify.2", "2", "2.1", "5", "5.1", "3.2@round-1"}),
        (("--changed-by", "lab", "--only", "substantive"), {"notify.1", "2", "2.1", "3.2@round-1"}),
        (("--status", "settled", "--only", "substantive"), {"2", "2.1"}),
    ],
)
def test_filters(repo: Path, args: tuple[str, ...], keys: set[str]) -> None:
    data = table_json(repo, *args)
    assert set(rows_by_key(data)) == keys
    assert data["total"] == 13


def test_chosen_rounds_are_the_columns(repo: Path) -> None:
    data = table_json(repo, "round-3", "round-1")
    assert [c["name"] for c in data["columns"]] == ["round-3", "round-1"]
    rows = rows_by_key(table_json(repo, "round-1", "round-3"))
    assert marks(rows["notify.2"]) == "+ ~" and rows["notify.2"]["status"] == "changed"
    assert marks(rows["2"]) == "  +" and rows["2"]["status"] == "new"


def test_working_tree_is_a_column_when_it_differs(repo: Path) -> None:
    rules = repo / "rules.md"
    rules.write_text(rules.read_text().replace("kept for 5 years", "kept for 7 years"))
    data = table_json(repo, "--doc", "rules.md")
    assert [c["name"] for c in data["columns"]][-1] == "working tree"
    row = rows_by_key(data)["3.1"]
    assert marks(row) == "+ = = ~" and row["status"] == "changed" and row["last_changed"] == "working tree"
    assert data["columns"][-1]["party"] == ""


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("round-9",), ("unknown version 'round-9'", "known rounds: round-1, round-2, round-3")),
        (("round-1", "round-1"), ("'round-1' is given twice",)),
        (
            ("--changed-by", "Nobody"),
            ("no round after the first column", "parties: Joint committee, Lab Ltd"),
        ),
        (("--doc", "nowhere"), ("no document 'nowhere'", "documents: rules")),
    ],
)
def test_bad_input_is_one_error_line(repo: Path, args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    one_error(run_cli(repo, "table", *args), *needles)


def test_round_stats_count_changes_open_points_and_findings(repo: Path) -> None:
    with Sources(load_config(repo)) as sources:
        stats = round_stats(sources)
    assert [(s.column.name, s.changed, s.substantive, s.open) for s in stats] == [
        ("round-1", 0, 0, 2),
        ("round-2", 6, 4, 2),
        ("round-3", 4, 4, 1),
    ]
    assert sum(n for s in stats for _, n in s.findings) > 0
    text = round_stats_text(stats)
    assert text.splitlines()[0].split() == [
        "ROUND", "DATE", "PARTY", "CHANGED", "SUBSTANTIVE", "OPEN", "HIGH", "MEDIUM", "LOW",
    ]  # fmt: skip
    data = json.loads(round_stats_json(stats))
    assert data["schema"] == 1 and data["rounds"][1]["findings"].keys() == {"high", "medium", "low"}
    assert data["rounds"][0] == {**data["rounds"][0], "changed": 0, "open": 2}


def test_round_stats_leave_open_points_out_when_brackets_are_off(make_repo: Callable[..., Path]) -> None:
    with Sources(load_config(negotiation_repo(make_repo, ""))) as sources:
        stats = round_stats(sources)
    assert [s.open for s in stats] == [None, None, None]
    assert round_stats_text(stats).splitlines()[1].split()[-4] == "-"


def test_bundled_corpus_has_four_rounds_and_the_notification_deadline_moves() -> None:
    data = table_json(BUNDLED, "--doc", "frontier-ai-security-rules")
    assert [c["name"] for c in data["columns"]][:4] == ["round-1", "round-2", "round-3", "round-4"]
    rows = rows_by_key(data)
    heading = rows["incident-notification"]
    assert heading["citation"].startswith("section ") and "~" in marks(heading)  # renumbered 19 -> 20
    deadline = rows["incident-notification.1"]["cells"]
    assert [c["mark"] for c in deadline[:3]] == ["+", "~", "~"]
    assert [f["kind"] for f in deadline[1]["findings"]] == ["number-changed"]
    assert rows["incident-notification.1"]["last_changed"] == "round-3"
    terminal = run_cli(BUNDLED, "table").output
    assert terminal.splitlines()[1].startswith(
        "marks: + added  ~ changed  = unchanged  - removed; columns: 1 round-1"
    )
    assert "dropped in round-2" in terminal  # section 23, protected disclosures


@pytest.mark.skipif(
    "stat" not in {p.name for p in cli.commands["rounds"].params},
    reason="rounds --stat is not wired into cli/reading.py yet",
)
def test_rounds_stat_on_the_command_line(repo: Path) -> None:
    out = run_cli(repo, "rounds", "--stat").output.splitlines()
    assert out[0].split()[:6] == ["ROUND", "DATE", "PARTY", "CHANGED", "SUBSTANTIVE", "OPEN"]
    assert out[2].split()[:6] == ["round-2", "2026-02-01", "Lab", "Ltd", "6", "4"]
    data = json.loads(run_cli(repo, "rounds", "--stat", "--format", "json").output)
    assert [r["open"] for r in data["rounds"]] == [2, 2, 1]


def test_no_format_lets_document_text_send_terminal_escapes(repo: Path) -> None:
    rules = repo / "rules.md"
    rules.write_text(rules.read_text().replace("kept for 5 years", "kept for 5 years\x1b]0;owned\x07\x1b[2J"))
    for fmt in ("terminal", "markdown", "html", "csv", "json"):
        out = run_cli(repo, "table", "--format", fmt).output
        assert "\x1b" not in out and "\x07" not in out, fmt
    blame = run_cli(repo, "blame").output
    assert "\x1b" not in blame and "\u241b" in blame
