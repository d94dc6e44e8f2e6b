"""Numbering forms of real documents (issue 11): each case reads a fixture in `fixtures/forms/`, cut from the text
its front matter names, and checks what a reader checks in `outline`: each heading's number and id, and where a
clause sits in the tree."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from regdocs.cli import cli
from regdocs.findings.lint import lint_corpus
from regdocs.parse.document import parse_document
from regdocs.parse.model import Clause, ClauseKind, Corpus, Document

FORMS = Path(__file__).parent / "fixtures" / "forms"


def read(name: str) -> Document:
    """The fixture `name` parsed."""
    return parse_document((FORMS / f"{name}.md").read_bytes(), f"{name}.md")


def outline(doc: Document) -> list[tuple[str, str]]:
    """(number as written, id) of every clause, in document order: the first two columns of `regdocs outline`."""
    return [(c.label, c.id) for c in doc.walk()]


def clause(doc: Document, cid: str) -> Clause:
    """The clause with id `cid`."""
    return next(c for c in doc.walk() if c.id == cid)


# --- German statutes: Buch, Abschnitt, Titel, Untertitel, Kapitel, Unterkapitel; `Erster Abschnitt` ------------


def test_bgb_structure_headings_are_numbered_with_ids_of_their_own() -> None:
    doc = read("bgb-verein")
    assert outline(doc)[:7] == [
        ("Buch 1", "buch-1"),
        ("Abschnitt 1", "abschnitt-1"),
        ("Titel 1", "titel-1"),
        ("§ 1", "sec-1"),
        ("Titel 2", "titel-2"),
        ("Untertitel 1", "untertitel-1"),
        ("Kapitel 1", "kapitel-1"),
    ]
    assert clause(doc, "titel-2").title == "Juristische Personen"


def test_retitling_a_bgb_title_keeps_every_id() -> None:
    text = (FORMS / "bgb-verein.md").read_text(encoding="utf-8")
    retitled = text.replace("Titel 2 - Juristische Personen", "Titel 2 - Personen des Privatrechts")
    assert retitled != text
    assert outline(parse_document(retitled, "bgb-verein.md")) == outline(read("bgb-verein"))


def test_inserted_sections_and_chapters_are_siblings_of_their_neighbours() -> None:
    verein = read("bgb-verein")
    kapitel = clause(verein, "untertitel-1")
    assert [c.label for c in kapitel.children] == ["Kapitel 1", "§ 31", "§ 31a", "§ 31b"]
    assert clause(verein, "sec-31a").number.suffix == "a"  # type: ignore[union-attr]
    miete = read("bgb-miete")
    assert [
        (c.label, c.id) for c in clause(miete, "untertitel-2").children if c.number and c.number.unit
    ] == [
        ("Kapitel 1", "kapitel-1"),
        ("§ 549", "sec-549"),
        ("Kapitel 1a", "kapitel-1a"),
        ("§ 555a", "sec-555a"),
        ("§ 555b", "sec-555b"),
        ("Kapitel 2", "kapitel-2"),
        ("Unterkapitel 1", "unterkapitel-1"),
        ("§ 556", "sec-556"),
    ]


def test_ordinal_words_number_german_headings() -> None:
    doc = read("bgb-1896")
    assert outline(doc) == [
        ("Erstes Buch", "buch-1"),
        ("Erster Abschnitt", "abschnitt-1"),
        ("Erster Titel", "titel-1"),
        ("§ 1", "sec-1"),
        ("§ 2", "sec-2"),
        ("Zweiter Titel", "titel-2"),
        ("§ 21", "sec-21"),
    ]
    assert clause(doc, "abschnitt-1").title == "Personen."


def test_inserted_list_numbers_are_siblings_of_the_items_around_them() -> None:
    doc = read("bgb-verjaehrung")
    items = [c.label.rstrip(".") for c in clause(doc, "sec-204.1").children]
    assert items == [
        "1",
        "1a",
        "2",
        "3",
        "4",
        "5",
        "6",
        "6a",
        "7",
        "8",
        "9",
        "10",
        "10a",
        "11",
        "12",
        "13",
        "14",
    ]
    assert [c.id for c in clause(doc, "sec-204").children] == ["sec-204.1", "sec-204.2", "sec-204.3"]
    assert clause(doc, "sec-204.1.6a").text.startswith(
        "die Zustellung der Anmeldung zu einem Musterverfahren"
    )
    items = [c.label.rstrip(".") for c in clause(read("bgb-miete"), "sec-555b").children]
    assert items == ["1", "2", "3", "4", "4a", "5", "6", "7"]


# --- `Article. I.`, `**Section. 1.**` (the US Constitution) ------------------------------------------------------


def test_article_and_section_with_a_stop_after_the_word() -> None:
    doc = read("us-constitution")
    assert outline(doc) == [
        ("Article I", "art-i"),
        ("Section 1", "art-i.sec-1"),
        ("Section 2", "art-i.sec-2"),
        ("Article II", "art-ii"),
        ("Section 1", "art-ii.sec-1"),
    ]


def test_a_bold_number_opens_a_numbered_paragraph() -> None:
    doc = read("us-constitution-bold")
    sections = clause(doc, "art-iii").children
    assert [(c.label, c.id, c.kind) for c in sections] == [
        ("Section 1", "art-iii.sec-1", ClauseKind.PARAGRAPH),
        ("Section 2", "art-iii.sec-2", ClauseKind.PARAGRAPH),
        ("Section 3", "art-iii.sec-3", ClauseKind.PARAGRAPH),
    ]
    assert sections[0].text.startswith("The judicial Power of the United States, shall be vested")


def test_a_bold_requirement_id_opens_a_numbered_paragraph() -> None:
    doc = read("asvs-v2-1")
    assert outline(doc) == [("V2.1", "2.1"), ("2.1.1", "2.1.1"), ("2.1.2", "2.1.2"), ("2.1.3", "2.1.3")]
    assert clause(doc, "2.1.1").text.startswith("Verify that user set passwords are at least 12 characters")


# --- `V1.2` (OWASP ASVS), `A.1.` (appendix headings) --------------------------------------------------------------


def test_asvs_chapter_and_section_headings() -> None:
    doc = read("asvs-v6")
    assert outline(doc) == [("V6", "6"), ("", "control-objective"), ("V6.1", "6.1"), ("V6.2", "6.2")]
    assert [c.title for c in clause(doc, "6").children] == [
        "Control Objective",
        "Authentication Documentation",
        "Password Security",
    ]


def test_lettered_appendix_headings() -> None:
    doc = read("br-appendix")
    assert outline(doc) == [
        ("APPENDIX A", "app-a"),
        ("A.1.", "a.1"),
        ("A.1.1.", "a.1.1"),
        ("A.1.2.", "a.1.2"),
        ("A.2.", "a.2"),
        ("A.2.1.", "a.2.1"),
        ("A.2.2.", "a.2.2"),
    ]
    assert clause(doc, "a.1.1").title == "CAA contactemail Property"


# --- bare `5 Title`: a number only in sequence --------------------------------------------------------------------


def test_bare_heading_numbers_in_sequence_and_inserted_ones() -> None:
    doc = read("computer-misuse-act")
    headings = [(c.label, c.id) for c in doc.walk() if c.kind is ClauseKind.HEADING and c.number]
    assert headings == [("1", "1"), ("2", "2"), ("3", "3"), ("3ZA", "3za"), ("3A", "3a")]
    assert clause(doc, "1").title == "Unauthorised access to computer material."
    rules = {p.rule for p in lint_corpus(Corpus("t", (doc,)))}
    assert not rules & {"numbering-order", "numbering-gap", "numbering-duplicate"}  # `3ZA` comes before `3A`


def test_a_year_or_a_count_alone_is_a_title_not_a_number() -> None:
    doc = read("not-numbered")
    assert [(c.number, c.id, c.title) for c in doc.clauses] == [
        (None, "2024-annual-report", "2024 Annual report"),
        (None, "10-principles", "10 Principles"),
    ]


# --- dotted headings keep their number as id -------------------------------------------------------------------


def test_a_dotted_heading_keeps_its_number_as_id_when_list_items_come_first() -> None:
    doc = read("br-excerpt")
    for c in doc.walk():
        if c.kind is ClauseKind.HEADING and c.number:
            assert c.id == c.number.value, c.label
    assert clause(doc, "3.2.2.4.1").title == "Validating the Applicant as a Domain Contact"


# --- what a reader types ----------------------------------------------------------------------------------------


def test_outline_of_a_file_shows_number_and_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no regdocs.toml here: a file is a VERSION of its own
    result = CliRunner().invoke(cli, ["outline", str(FORMS / "bgb-miete.md")])
    assert result.exit_code == 0, result.output
    rows = [line.split()[:3] for line in result.stdout.splitlines()[2:]]
    assert ["Kapitel", "1a", "kapitel-1a"] in rows
    assert ["Unterkapitel", "1", "unterkapitel-1"] in rows
