"""Each lint rule on a small document that breaks it, and a clean document that breaks none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.findings.lint import lint_corpus
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus

CLEAN = """---
id: rules
title: Rules
---
# Part 1 — General

## 1. Interpretation

(1) "AI system" means a machine-based system.

(2) An AI system is covered by section 2(1).

## 2. Duties {#duties}

(1) A provider of an AI system shall comply with [section 1](#duties) and Part 1.

(a) first; and

(b) second.
"""


def rules_of(*texts: str) -> list[tuple[int, str, str]]:
    docs = tuple(parse_document(t, f"doc{k}.md") for k, t in enumerate(texts))
    return [(p.line, p.severity.value, p.rule) for p in lint_corpus(Corpus("t", docs))]


def test_clean_document_has_no_problems() -> None:
    assert rules_of(CLEAN) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## 1. A {#x}\n\nText.\n\n## 2. B {#x}\n\nText.\n", (5, "error", "duplicate-id")),
        ("## 1. A\n\nSee section 9(2).\n", (3, "error", "dangling-xref")),
        ("## 1. A\n\nSee [there](#nowhere).\n", (3, "error", "dangling-xref")),
        ("## 1. A\n\n(a) x\n\n(c) y\n", (5, "warning", "numbering-gap")),
        ("## 1. A\n\n(a) x\n\n(a) y\n", (5, "error", "numbering-duplicate")),
        ("## 1. A\n\nText.\n\n## 3. C\n\nText.\n\n## 2. B\n\nText.\n", (9, "warning", "numbering-order")),
        ("# Part 1\n\n### 1. A\n\nText.\n", (3, "warning", "heading-skip")),
        ("## 1. A\n\n## 2. B\n\nText.\n", (1, "warning", "empty-clause")),
        ('## 1. A\n\n(1) "Widget" means a thing.\n', (3, "warning", "unused-term")),
        ("---\nid: Bad Id!\n---\n## 1. A\n\nText.\n", (2, "error", "front-matter")),
        ("---\nparties: Gov\n---\n## 1. A\n\nText.\n", (2, "error", "front-matter")),
        ("", (1, "error", "empty-document")),
    ],
    ids=lambda v: v[2] if isinstance(v, tuple) else None,
)
def test_rule(text: str, expected: tuple[int, str, str]) -> None:
    found = rules_of(text)
    assert expected in found, found


def test_duplicate_document_ids() -> None:
    doc = "---\nid: same\n---\n## 1. A\n\nText.\n"
    assert (1, "error", "duplicate-document-id") in rules_of(doc, doc)


def test_term_used_in_another_document_counts() -> None:
    assert rules_of('## 1. A\n\n(1) "Widget" means a thing.\n', "## 1. B\n\nEvery widget is fine.\n") == []


def test_inserted_number_suffix_is_not_a_gap() -> None:
    assert rules_of("## 4. A\n\nText.\n\n## 4A. Inserted\n\nText.\n\n## 5. B\n\nText.\n") == []


def test_cli_output_formats_and_strict(tmp_path: Path) -> None:
    (tmp_path / "regdocs.toml").write_text('title = "T"\n')
    (tmp_path / "rules.md").write_text("## 1. A\n\n(a) x\n\n(c) y\n")
    runner = CliRunner()
    text = runner.invoke(cli, ["--corpus", str(tmp_path), "lint"])
    assert text.exit_code == 0
    assert "rules.md:5:1: warning: numbering jumps from (a) to (c)" in text.output
    assert "[numbering-gap]" in text.output
    strict = runner.invoke(cli, ["--corpus", str(tmp_path), "lint", "--strict"])
    assert strict.exit_code == 1
    data = json.loads(runner.invoke(cli, ["--corpus", str(tmp_path), "lint", "--format", "json"]).output)
    assert data["schema"] == 1 and data["warnings"] == 1
    assert data["problems"][0] == {
        "file": str((tmp_path / "rules.md").resolve()),  # outside the current folder: absolute
        "path": "rules.md",
        "line": 5,
        "col": 1,
        "severity": "warning",
        "message": "numbering jumps from (a) to (c); a clause is missing or misnumbered",
        "rule": "numbering-gap",
    }
