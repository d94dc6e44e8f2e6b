"""The bundled corpus: four rounds in this repository's history, lint-clean except round 3's dangling reference."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli
from regdocs.corpus.config import load_config
from regdocs.corpus.load import load_corpus
from regdocs.corpus.sources import Sources

CORPUS = ROOT / "corpus"
KEY = (CORPUS / "README.md").read_text(encoding="utf-8")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--corpus", str(CORPUS), *args])
    return result.exit_code, result.output, result.stderr


@pytest.fixture(scope="module")
def rounds() -> dict[str, dict[str, set[str]]]:
    """Clause ids per document per round, read from git history."""
    out: dict[str, dict[str, set[str]]] = {}
    with Sources(load_config(CORPUS)) as src:
        for name in ("round-1", "round-2", "round-3", "round-4"):
            corpus = load_corpus(src, src.resolve(name))
            out[name] = {d.id: {c.id for c in d.walk()} for d in corpus.documents}
    return out


def test_rounds_lists_four_rounds_with_commits() -> None:
    code, out, _ = run("rounds", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [r["name"] for r in data["rounds"]] == ["round-1", "round-2", "round-3", "round-4"]
    assert all(re.fullmatch(r"[0-9a-f]{40}", r["commit"]) for r in data["rounds"])
    assert [r["party"] for r in data["rounds"]][:2] == ["Office for Frontier AI Security", "Meridian AI Ltd"]
    assert all(r["message"] for r in data["rounds"])


def test_corpus_is_big_enough(rounds: dict[str, dict[str, set[str]]]) -> None:
    for name, docs in rounds.items():
        assert len(docs["frontier-ai-security-rules"]) >= 80, name


def test_lint_passes_on_working_tree_and_flags_round_3() -> None:
    code, out, _ = run("lint")
    assert code == 0, out
    for name in ("round-1", "round-2", "round-4"):
        code, out, _ = run("lint", "--at", name)
        assert code == 0, (name, out)
    code, out, _ = run("lint", "--at", "round-3")
    assert code == 1
    assert re.search(
        r"frontier-ai-security-rules\.md:\d+:\d+: error: cross-reference 'section 24\(3\)'.*\[dangling-xref\]",
        out,
    )


def _key_rows() -> list[tuple[str, str, list[str]]]:
    """(transition, kind, cells) for every answer-key row."""
    rows = []
    for match in re.finditer(r"^## (round-\d) -> (round-\d).*?$(.*?)(?=^## |\Z)", KEY, re.M | re.S):
        for line in match.group(3).splitlines():
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if len(cells) == 6 and cells[0] not in ("kind",) and not set(cells[0]) <= set("-: "):
                rows.append((f"{match.group(1)}..{match.group(2)}", cells[0], cells))
    return rows


def test_answer_key_ids_exist_in_their_rounds(rounds: dict[str, dict[str, set[str]]]) -> None:
    rows = _key_rows()
    assert len(rows) >= 60
    kinds = {kind for _, kind, _ in rows}
    for needed in ("added", "removed", "modified", "moved", "renumbered", "split", "merged", "formatting"):
        assert needed in kinds, needed
    for transition, _, (_, doc, old, new, _, _) in rows:
        a, b = transition.split("..")
        for ident in filter(lambda s: s != "-", (s.strip() for s in old.split("+"))):
            assert ident in rounds[a][doc], (transition, doc, ident)
        for ident in filter(lambda s: s != "-", (s.strip() for s in new.split("+"))):
            assert ident in rounds[b][doc], (transition, doc, ident)


def test_outline_of_round_1_differs_from_working_tree_as_the_key_says(
    rounds: dict[str, dict[str, set[str]]],
) -> None:
    code1, out1, _ = run("outline", "round-1")
    code4, out4, _ = run("outline")
    assert code1 == code4 == 0
    # Round 1 has the protected-disclosures section 23 (removed in round 2), no section 12 on
    # training runs (added in round 3) and no Schedule 2 (added in round 3).
    assert "Protected disclosures" in out1 and "Protected disclosures" not in out4
    assert "Notification of training runs" not in out1 and "Notification of training runs" in out4
    assert "schedule-2" not in out1 and "schedule-2" in out4
    assert "review" not in rounds["round-3"]["frontier-ai-security-rules"]
    assert "review" in rounds["round-4"]["frontier-ai-security-rules"]


def test_show_by_number_and_id() -> None:
    code, out, _ = run("show", "round-1", "incident-notification")
    assert code == 0 and "within 24 hours" in out
    code, out, _ = run("show", "round-2", "incident-notification")
    assert code == 0 and "within 72 hours" in out
    code, out, _ = run("show", "section 7(2)(c)")
    assert code == 0 and "(i)" in out and "privileged access" in out
