"""Tables of provisions: a row whose first cell is an id is a clause; other tables stay text, compared whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from regdocs.compare.changes import compare_corpora
from regdocs.compare.model import ChangeKind, Triage
from regdocs.compare.redline import Op
from regdocs.findings.analysis import diff_corpora
from regdocs.parse.document import parse_document
from regdocs.parse.model import Clause, ClauseKind, Corpus, Document
from regdocs.parse.tables import row_number
from regdocs.render.markdown import render_markdown
from regdocs.render.terminal import render_terminal

FIXTURES = Path(__file__).parent / "fixtures" / "tables"


def _doc(name: str, text: str | None = None) -> Document:
    return parse_document(text if text is not None else (FIXTURES / name).read_text(encoding="utf-8"), name)


def _clause(doc: Document, cid: str) -> Clause:
    return next(c for c in doc.walk() if c.id == cid)


def _section(doc: Document, title: str) -> Clause:
    """The heading `V2.1 Password Security`, whether `V2.1` is read as its number or as part of its title."""
    return next(
        c for c in doc.walk() if c.kind is ClauseKind.HEADING and f"{c.label} {c.title}".endswith(title)
    )


def _line_of(name: str, start: str) -> int:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith(start))


def _with_row_changed(name: str, row: str, old: str, new: str) -> str:
    lines = (FIXTURES / name).read_text(encoding="utf-8").split("\n")
    return "\n".join(line.replace(old, new) if line.startswith(row) else line for line in lines)


def test_each_asvs_4_row_is_a_clause_with_its_number_text_and_attributes() -> None:
    doc = _doc("asvs-4.0.3.md")
    section = _section(doc, "V2.1 Password Security")
    assert [c.id for c in section.children] == ["2.1.1", "2.1.2", "2.1.3", "2.1.4", "2.1.5"]
    row = section.children[0]
    assert row.kind is ClauseKind.ROW and row.label == "2.1.1" and row.number and row.number.value == "2.1.1"
    assert row.text == (
        "Verify that user set passwords are at least 12 characters in length (after multiple spaces are "
        "combined). ([C6](https://owasp.org/www-project-proactive-controls/#div-numbering))"
    )
    assert row.attributes == (("L1", "✓"), ("L2", "✓"), ("L3", "✓"), ("CWE", "521"), ("NIST §", "5.1.1.2"))
    assert row.line == _line_of("asvs-4.0.3.md", "| **2.1.1** |")
    assert _clause(doc, "2.1.5").text == "Verify users can change their password."
    assert _clause(doc, "2.1.5").attributes[3] == ("CWE", "620")


def test_the_heading_keeps_its_own_text_and_the_note_after_its_table() -> None:
    section = _section(_doc("asvs-4.0.3.md"), "V2.1 Password Security")
    assert section.text.startswith('Passwords, called "Memorized Secrets" by NIST 800-63')
    assert section.text.split("\n\n")[-1].startswith(
        "Note: The goal of allowing the user to view their password"
    )
    assert "|" not in section.text  # neither the header row nor any requirement
    assert all("Note:" not in row.text for row in section.children)


def test_rows_stand_under_the_heading_above_them_whatever_its_number() -> None:
    section = _section(_doc("asvs-4.0.3.md"), "V2.2 General Authenticator Security")
    assert [c.id for c in section.children] == ["2.2.1", "2.2.2"]
    numbered = parse_document(
        "## 5. Misc\n\n(a) First.\n\n| # | Description |\n|---|---|\n| **5.1.1** | Verify this. |\n", "t.md"
    )
    (heading,) = numbered.clauses
    paragraph, row = heading.children  # the row closes (a): it is the heading's, not the paragraph's
    assert (paragraph.kind, paragraph.text, paragraph.children) == (ClauseKind.PARAGRAPH, "First.", ())
    assert (row.kind, row.id, row.text) == (ClauseKind.ROW, "5.1.1", "Verify this.")


def test_asvs_5_rows_carry_their_level() -> None:
    doc = _doc("asvs-5.0.0.md")
    rows = [c for c in doc.walk() if c.kind is ClauseKind.ROW]
    assert [(c.id, c.attributes) for c in rows] == [
        ("6.1.1", (("Level", "1"),)),
        ("6.1.2", (("Level", "2"),)),
        ("6.1.3", (("Level", "2"),)),
        ("6.2.1", (("Level", "1"),)),
        ("6.2.2", (("Level", "1"),)),
    ]
    assert _clause(doc, "6.2.2").text == "Verify that users can change their password."


def test_a_changed_level_is_a_substantive_change_of_that_requirement() -> None:
    old = _doc("asvs-5.0.0.md")
    new = _doc("asvs-5.0.0.md", _with_row_changed("asvs-5.0.0.md", "| **6.1.2** |", "| 2 |", "| 1 |"))
    (doc,) = compare_corpora(Corpus("t", (old,)), Corpus("t", (new,))).documents
    (change,) = doc.changes
    assert (
        change.key == "6.1.2" and change.kind is ChangeKind.MODIFIED and change.triage is Triage.SUBSTANTIVE
    )
    assert [(s.op, s.text) for s in change.redline if s.op is not Op.EQUAL] == [
        (Op.DELETE, "2"),
        (Op.INSERT, "1"),
    ]
    assert change.redline[-3].text.endswith("Level: ")


def test_a_changed_level_is_shown_by_diff() -> None:
    old = _doc("asvs-5.0.0.md")
    new = _doc("asvs-5.0.0.md", _with_row_changed("asvs-5.0.0.md", "| **6.1.2** |", "| 2 |", "| 1 |"))
    diff = diff_corpora(Corpus("t", (old,)), Corpus("t", (new,)))
    (change,) = diff.documents[0].changes
    assert change.triage is Triage.SUBSTANTIVE and not change.note
    assert "Level: [-2-]{+1+}" in render_terminal(diff)
    assert "Level: <del>2</del><ins>1</ins>" in render_markdown(diff)


def test_an_added_row_shows_its_attributes() -> None:
    old = _doc("asvs-5.0.0.md")
    text = (FIXTURES / "asvs-5.0.0.md").read_text(encoding="utf-8")
    new = _doc(
        "asvs-5.0.0.md",
        text + "| **6.2.3** | Verify that password change requires the current password. | 1 |\n",
    )
    (doc,) = compare_corpora(Corpus("t", (old,)), Corpus("t", (new,))).documents
    (change,) = doc.changes
    assert change.kind is ChangeKind.ADDED and change.key == "6.2.3"
    assert change.redline[-1].text.endswith("current password.\n\nLevel: 1")


def test_a_table_without_ids_stays_text_of_its_heading() -> None:
    legend = _clause(_doc("asvs-4.0.3.md"), "legend")
    assert not legend.children
    assert "| o | Recommended, but not required |" in legend.text


def test_br_revision_history_and_relevant_dates_are_not_split() -> None:
    doc = _doc("br-2.2.4.md")
    assert not [c for c in doc.walk() if c.kind is ClauseKind.ROW]
    assert [c.id for c in doc.walk()] == ["1.2", "1.2.1", "1.2.2", "1.3"]
    assert "| 2.2.4    | SC096      |" in _clause(doc, "1.2.1").text  # version numbers are no provision ids
    assert "| 2015-01-16     | 7.1.3 " in _clause(doc, "1.2.2").text


def test_a_deleted_relevant_dates_row_is_one_change_of_its_table() -> None:
    old = _doc("br-2.2.4.md")
    text = (FIXTURES / "br-2.2.4.md").read_text(encoding="utf-8")
    new = _doc(
        "br-2.2.4.md", "\n".join(line for line in text.split("\n") if not line.startswith("| 2015-01-16"))
    )
    diff = diff_corpora(Corpus("t", (old,)), Corpus("t", (new,)))
    (change,) = diff.documents[0].changes
    assert change.key == "1.2.2" and change.kind is ChangeKind.MODIFIED
    (deleted,) = [s for s in change.redline if s.op is not Op.EQUAL]
    assert deleted.op is Op.DELETE and "utilizing the SHA-1 algorithm with an Expiry Date" in deleted.text
    assert len(diff.findings) <= 1


def test_a_table_in_a_list_item_or_with_no_id_column_is_not_split() -> None:
    doc = _doc("in-list-and-no-ids.md")
    assert not [c for c in doc.walk() if c.kind is ClauseKind.ROW]
    (heading,) = doc.clauses
    first, second = heading.children
    assert "| **6.2.2** | Verify that users can change their password. | 1 |" in first.text
    assert "| 1 | Verify that users can change their password. | 1 |" in second.text
    assert "| 2 | Applications that handle sensitive data. |" in second.text


@pytest.mark.parametrize(
    ("cell", "label", "value", "unit"),
    [
        ("**1.2.3**", "1.2.3", "1.2.3", ""),
        ("1.2.3", "1.2.3", "1.2.3", ""),
        ("V1.2.3", "V1.2.3", "1.2.3", ""),
        ("PR.AA-01", "PR.AA-01", "pr.aa-01", ""),
        ("§ 4", "§ 4", "4", "section"),
        ("**C.10**", "C.10", "c.10", ""),
    ],
)
def test_row_id_forms(cell: str, label: str, value: str, unit: str) -> None:
    number = row_number(cell)
    assert number is not None and (number.label, number.value, number.unit) == (label, value, unit)


@pytest.mark.parametrize("cell", ["4", "2013-01-01", "AES-256", "MD5", "✓", "", "Not required"])
def test_cells_that_are_no_row_ids(cell: str) -> None:
    assert row_number(cell) is None


def test_row_ids_stay_unique_and_rows_outside_any_heading_are_roots() -> None:
    doc = parse_document(
        "| # | Description |\n|---|---|\n| 1.1 | One. |\n| 1.2 | Two. |\n\nAfter the table.\n\n"
        "# 1.1 Again\n\nText.\n",
        "t.md",
    )
    assert [(c.id, c.kind) for c in doc.clauses] == [
        ("1.1", ClauseKind.ROW),
        ("1.2", ClauseKind.ROW),
        ("1.1-2", ClauseKind.HEADING),
    ]
    assert doc.clauses[1].text == "Two.\n\nAfter the table."  # no heading to hold it: the last row does
    assert doc.preamble == ""
