"""The diff engine against the bundled corpus's answer key (corpus/README.md), in every format."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli
from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, Side, Triage
from regdocs.corpus.config import load_config
from regdocs.corpus.load import compare
from regdocs.corpus.sources import Sources

CORPUS = ROOT / "corpus"
KEY = (CORPUS / "README.md").read_text(encoding="utf-8")
PAIRS = [("round-1", "round-2"), ("round-2", "round-3"), ("round-3", "round-4")]
FINDING = {
    "weakened": {"weakened"},
    "strengthened": {"strengthened"},
    "number-changed": {"number-changed"},
    "definition-changed": {"term-redefined"},
    "dangling-xref": {"xref-dangling"},
}


def key_rows(a: str, b: str) -> list[dict[str, str]]:
    m = re.search(rf"^## {a} -> {b}.*?$(.*?)(?=^## |\Z)", KEY, re.M | re.S)
    assert m, (a, b)
    rows = []
    for line in m.group(1).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] != "kind" and not set(cells[0]) <= set("-: "):
            rows.append(dict(zip(("kind", "doc", "old", "new", "finding", "note"), cells, strict=True)))
    return rows


@pytest.fixture(scope="module")
def diffs() -> dict[tuple[str, str], CorpusDiff]:
    with Sources(load_config(CORPUS)) as src:
        return {(a, b): compare(src, a, b) for a, b in PAIRS}


def ids(sides: tuple[Side, ...]) -> tuple[str, ...]:
    return tuple(s.id for s in sides)


def find(diff: CorpusDiff, doc: str, old: str, new: str) -> ClauseChange | None:
    olds = tuple(x for x in old.split("+") if x != "-")
    news = tuple(x for x in new.split("+") if x != "-")
    for d in diff.documents:
        if d.id != doc:
            continue
        for c in d.changes:
            if (not olds or ids(c.old) == olds) and (not news or ids(c.new) == news):
                return c
    return None


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_every_answer_key_change_is_found_with_its_kind_and_finding(
    diffs: dict[tuple[str, str], CorpusDiff], a: str, b: str
) -> None:
    diff = diffs[(a, b)]
    docs = {d.id: d for d in diff.documents}
    for row in key_rows(a, b):
        kind, doc, old, new = row["kind"], row["doc"], row["old"], row["new"]
        where = f"{a}->{b} {row}"
        if kind == "document-added":
            assert docs[doc].status == "added", where
            continue
        if kind == "document-renamed":
            assert docs[doc].status == "renamed", where
            continue
        if old == new == "-":
            assert docs[doc].metadata, where
            continue
        change = find(diff, doc, old, new)
        if kind == "dangling-xref":
            found = [f for f in diff.findings if f.kind == "xref-dangling" and f.clause == new]
            assert found, where
            continue
        assert change is not None, where
        if kind == "formatting":
            assert change.modified and change.triage is Triage.EDITORIAL, where
        elif kind == "renumbered":
            assert change.renumbered and change.kind in (ChangeKind.RENUMBERED, ChangeKind.MOVED), where
        elif kind == "modified" and "consequential" in row["note"]:
            assert change.modified and change.triage is Triage.EDITORIAL, where
        elif kind == "modified":
            assert change.kind is ChangeKind.MODIFIED and change.triage is Triage.SUBSTANTIVE, where
        else:
            assert change.kind.value == kind, (change.kind, where)
        wanted = FINDING.get(row["finding"])
        if wanted:
            clause = (change.new or change.old)[0].id
            kinds = {f.kind for f in diff.findings if f.document == doc and f.clause == clause}
            assert wanted & kinds, (kinds, where)


def _covered(diff: CorpusDiff, a: str, b: str) -> set[tuple[str, str]]:
    keyed: set[tuple[str, str]] = set()
    for row in key_rows(a, b):
        for side in (row["old"], row["new"]):
            for ident in side.split("+"):
                if ident != "-":
                    keyed.add((row["doc"], ident))
    return keyed


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_no_substantive_change_outside_the_answer_key(
    diffs: dict[tuple[str, str], CorpusDiff], a: str, b: str
) -> None:
    diff = diffs[(a, b)]
    keyed = _covered(diff, a, b)
    added_docs = {row["doc"] for row in key_rows(a, b) if row["kind"] == "document-added"}
    for d in diff.documents:
        for c in d.changes:
            if c.triage is not Triage.SUBSTANTIVE or d.id in added_docs:
                continue
            mine = [s.id for s in (*c.old, *c.new)]
            ok = any(
                (d.id, m) in keyed or any(m.startswith(k + ".") for doc, k in keyed if doc == d.id)
                for m in mine
            )
            assert ok, (a, b, c.kind, mine)


def test_round_1_to_2_headline_findings(diffs: dict[tuple[str, str], CorpusDiff]) -> None:
    messages = [f.message for f in diffs[("round-1", "round-2")].findings]
    assert any("deadline extended from 24 hours to 72 hours" in m for m in messages)
    assert any('"shall not" -> "should"' in m and "prohibition removed" in m for m in messages)
    assert any("threshold raised from 10^25 to 10^26" in m for m in messages)
    back = [f.message for f in diffs[("round-2", "round-3")].findings]
    assert any("deadline shortened from 72 hours to 24 hours" in m for m in back)
    assert any("'section 24(3)' points to no clause" in m and "write 'section 25(3)'" in m for m in back)


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--corpus", str(CORPUS), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_all_four_formats(a: str, b: str) -> None:
    code, term = run("diff", a, b, "--color", "never")
    assert code == 0 and "Findings" in term and "[-" in term and "{+" in term
    code, md = run("diff", f"{a}..{b}", "--format", "markdown")
    assert code == 0 and "| document |" in md and "<del>" in md and "<ins>" in md
    code, page = run("diff", a, b, "--format", "html")
    assert code == 0 and page.startswith("<!doctype html>") and '<del aria-label="deleted">' in page
    assert "<script" not in page and "http" not in page.split("<body>", 1)[1].replace("http://www.w3.org", "")
    code, raw = run("diff", a, b, "--format", "json")
    data = json.loads(raw)
    assert code == 0 and data["schema"] == 1 and data["has_changes"]
    for row in key_rows(a, b):
        if row["kind"] in ("moved", "split", "merged", "added", "removed"):
            clause = row["new"].split("+")[0] if row["new"] != "-" else row["old"].split("+")[0]
            assert clause in raw, (row, "missing from json")
            assert f"[{clause}" in term or clause in term


def test_identical_versions_say_no_changes_and_exit_0() -> None:
    code, out = run("diff", "round-4", "round-4", "--color", "never", "--exit-code")
    assert code == 0 and "no changes" in out


def test_exit_code_stat_only_and_clause_filters() -> None:
    code, out = run("diff", "round-1", "round-2", "--exit-code", "--stat")
    assert code == 1 and "frontier-ai-security-rules.md" in out and "renumbered" in out
    code, out = run("diff", "round-3", "round-4", "--only", "editorial", "--color", "never")
    assert code == 0 and "section 1(3)" in out and "section 5(2)" not in out
    code, out = run("diff", "round-2", "round-3", "--clause", "incident-notification", "--color", "never")
    assert "split" in out and "section 8(3)" not in out
    code, out = run("diff", "round-1", "round-2", "--findings", "--color", "never")
    assert "Findings" in out and "[-" not in out


def test_unknown_version_lists_rounds() -> None:
    result = CliRunner().invoke(cli, ["--corpus", str(CORPUS), "diff", "round-9", "round-2"])
    assert result.exit_code == 2 and "known rounds: round-1, round-2, round-3, round-4" in result.stderr


def test_output_file_is_written_but_never_into_the_corpus(tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, _ = run("diff", "round-1", "round-2", "--format", "markdown", "-o", str(target))
    assert code == 0 and target.read_text().startswith("## Frontier AI Security Rules")
    result = CliRunner().invoke(
        cli, ["--corpus", str(CORPUS), "diff", "round-1", "round-2", "-o", str(CORPUS / "x.md")]
    )
    assert result.exit_code == 2 and "refusing to write into the corpus" in result.stderr
    assert not (CORPUS / "x.md").exists()


def test_history_follows_split_and_renumbering() -> None:
    code, out = run("history", "incident-notification.6", "--color", "never")
    assert code == 0
    assert "round-1" in out and "round-3" in out and "split" in out
    code, out = run("history", "15", "--format", "json")
    data = json.loads(out)
    steps = data["steps"]
    assert [s["version"] for s in steps][:4] == ["round-1", "round-2", "round-3", "round-4"]
    cites = [s["sides"][0]["citation"] for s in steps[:4]]
    assert cites == ["section 11", "section 11", "section 15", "section 15"]  # Red-teaming moved to Part 3
    assert (
        steps[2]["kind"] == "moved"
        and steps[0]["round"]["round"]["party"] == "Office for Frontier AI Security"
    )
