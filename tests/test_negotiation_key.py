"""The negotiation views of the bundled corpus against its answer key (corpus/README.md).

"Open clauses by round" is checked against `table`'s open cells in every round and `rounds --stat`;
"Last changed by" against `blame` (words) and `table` (the row's last change, which also counts
renumbering: none of the ten named clauses was renumbered after its last wording change).
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli

KEY = (ROOT / "corpus" / "README.md").read_text(encoding="utf-8")
ROUNDS = ("round-1", "round-2", "round-3", "round-4")


def _section(title: str) -> list[list[str]]:
    """The rows of the first table under a heading of the answer key, as lists of cells."""
    body = KEY.split(f"### {title}\n", 1)[1]
    rows = [line for line in body.splitlines() if line.startswith("|")]
    out = []
    for line in rows[2:]:
        out.append([cell.strip() for cell in line.strip("|").split("|")])
        if not body.split(line, 1)[1].lstrip("\n").startswith("|"):
            break
    return out


def _json(*args: str) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), *args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def _ids(cell: str) -> set[str]:
    return {x.strip() for x in re.split(r",", re.sub(r"\(.*?\)", "", cell)) if x.strip() not in ("", "-")}


@pytest.fixture(scope="module")
def table() -> dict[str, object]:
    return _json("table")


def test_open_clauses_in_every_round(table: dict[str, object]) -> None:
    expected = {
        row[0]: (_ids(row[1]), _ids(row[2]), int(row[4])) for row in _section("Open clauses by round")
    }
    assert set(expected) == set(ROUNDS)
    rows = table["rows"]
    assert isinstance(rows, list)
    for k, name in enumerate(ROUNDS):
        open_here: dict[str, set[str]] = {}
        for row in rows:
            cell = row["cells"][k]
            assert cell["column"] == name
            if cell["open"]:
                open_here.setdefault(row["document"], set()).update(cell["ids"])
        main, schedule, count = expected[name]
        assert open_here.get("frontier-ai-security-rules", set()) == main, name
        assert open_here.get("schedule-1", set()) == schedule, name
        assert sum(len(v) for v in open_here.values()) == count, name


def test_rounds_stat_counts_the_open_clauses() -> None:
    expected = {row[0]: int(row[4]) for row in _section("Open clauses by round")}
    stat = _json("rounds", "--stat")
    rounds = stat["rounds"]
    assert isinstance(rounds, list)
    assert {r["name"]: r["open"] for r in rounds} == expected


def test_last_changed_by(table: dict[str, object]) -> None:
    expected = {row[0]: (row[2], row[3], row[4]) for row in _section("Last changed by")}
    assert len(expected) == 10
    blame = _json("blame")
    clauses = blame["clauses"]
    assert isinstance(clauses, list)
    by_id = {c["clause"]: c for c in clauses if c["document"] == "frontier-ai-security-rules"}
    rows = table["rows"]
    assert isinstance(rows, list)
    by_key = {r["key"]: r for r in rows if r["document"] == "frontier-ai-security-rules"}
    for clause, (changed, party, date) in expected.items():
        got = by_id[clause]
        assert (got["changed"], got["party"], got["date"]) == (changed, party, date), clause
        assert by_key[clause]["last_changed"] == changed, clause
