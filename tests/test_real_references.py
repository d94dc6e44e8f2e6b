"""Cross-references as real documents write them (issue 11): dotted, listed, ranged and German citations resolve to
the clause a reader means; citations of another document (an RFC, a standard, another statute) are not read as
references here; a diff reports only the references a change broke. Fixtures in `fixtures/forms/` are cut from
the texts their front matter names; the slow tests read the real corpora in `../shared/corpora`."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SHARED

from regdocs.findings.analysis import diff_corpora
from regdocs.findings.lint import lint_corpus
from regdocs.parse.document import parse_document
from regdocs.parse.model import Clause, Corpus, Document
from regdocs.parse.references import Resolver, find_refs

FORMS = Path(__file__).parent / "fixtures" / "forms"


def read(name: str, text: str | None = None) -> Document:
    """The fixture `name` parsed (or `text` in its place)."""
    data = text if text is not None else (FORMS / f"{name}.md").read_text(encoding="utf-8")
    return parse_document(data, f"{name}.md")


def clause(doc: Document, cid: str) -> Clause:
    return next(c for c in doc.walk() if c.id == cid)


def resolved(doc: Document, cid: str) -> dict[str, list[str]]:
    """Each reference of clause `cid` as written -> the titles (or opening words) of the clauses it reaches."""
    resolver = Resolver((doc,))
    owner = clause(doc, cid)
    out: dict[str, list[str]] = {}
    for ref in owner.refs:
        hit = resolver.resolve(doc, owner, ref)
        out.setdefault(ref.text, []).append(
            "" if not isinstance(hit, Clause) else hit.title or " ".join(hit.text.split()[:4])
        )
    return out


# --- dotted and listed: the CA/B Forum Baseline Requirements ------------------------------------------------------


def test_dotted_sections_listed_and_paired_resolve_to_their_headings() -> None:
    doc = read("br-excerpt")
    item = next(c for c in clause(doc, "3.2.2.4").children if c.text.startswith("When the FQDN is an Onion"))
    assert resolved(doc, item.id)["sections 3.2.2.4.4, 3.2.2.4.13, 3.2.2.4.14"] == [
        "Constructed Email to Domain Contact",
        "Email to DNS CAA Contact",
        "Email to DNS TXT Contact",
    ]
    assert resolved(doc, "3.2.2.9.a")["Sections 3.2.2.4 and 3.2.2.5"] == [
        "Validation of Domain Authorization or Control",
        "Authentication for an IP Address",
    ]


def test_sections_of_an_rfc_or_a_cps_are_not_this_documents() -> None:
    doc = read("br-excerpt")  # it has a section 4.2 and a section 3 of its own
    items = clause(doc, "3.2.2.4.22").children
    assert (
        "RFC 8659, Section 4.2" in items[0].text
        and "Section 4.2 of the CA's Certificate Policy" in items[1].text
    )
    assert "RFC 8657, Section 3" in items[2].text
    assert [r.text for item in items[:3] for r in item.refs] == []


def test_lint_of_the_excerpt_reports_only_what_was_cut_away() -> None:
    doc = read("br-excerpt")
    dangling = sorted(
        {p.message.split("'")[1] for p in lint_corpus(Corpus("t", (doc,))) if p.rule == "dangling-xref"}
    )
    assert dangling == [
        "#16-definitions-and-acronyms",
        "#3221-identity",
        "#3223-verification-of-country",
        "#531-qualifications-experience-and-clearance-requirements",
        "#541-types-of-events-recorded",
        "#552-retention-period-for-archive",
        "#87-self-audits",
        "Appendix B",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The RDATA value MUST conform to the `issue-value` syntax as defined in RFC 8659, Section 4.2; and",
        "using the ACME HTTP Challenge method defined in Section 8.3 of RFC 8555.",
        "and have no factors smaller than 752. [Source: Section 5.3.3, NIST SP 800-89]",
        "[Source: Sections 5.6.2.3.2 and 5.6.2.3.3, respectively, of NIST SP 800-56A: Revision 2]",
        "in Section 9.16.3 of the CA's CPS",
        "ISO 27001 clause 5",  # the issue's own examples
        "as required by section 3 of the Act",
    ],
)
def test_a_citation_of_another_document_is_no_reference(sentence: str) -> None:
    assert find_refs(sentence, 1) == ()


@pytest.mark.parametrize(
    ("sentence", "targets"),
    [
        ("described in Section 8 of these Requirements.", ["section 8"]),  # these Requirements: this document
        ("Except as stated in Section 4 of Part 2", ["section 4", "part 2"]),
        ("as specified in Section 3.2.2.8.", ["section 3.2.2.8"]),
        (
            "(such as in Section 4.2.1 of these Guidelines or Section 3.2.2.14.3 of the EV Guidelines).",
            ["section 4.2.1"],
        ),
    ],
)
def test_a_citation_of_this_document_is_still_a_reference(sentence: str, targets: list[str]) -> None:
    assert [r.target for r in find_refs(sentence, 1)] == targets


# --- German: ranges, `Abs. 1 Satz 2`, `nach Absatz 2`, other statutes ----------------------------------------------


def test_german_citations_resolve_to_section_paragraph_and_item() -> None:
    verjaehrung = read("bgb-verjaehrung")
    assert resolved(verjaehrung, "sec-204.3")["§§\n206, 210 und 211"] == [
        "Hemmung der Verjährung bei höherer Gewalt",
        "Ablaufhemmung bei nicht voll Geschäftsfähigen",
        "Ablaufhemmung in Nachlassfällen",
    ]
    verein = read("bgb-verein")
    assert resolved(verein, "sec-31b.1") == {"§ 31a Absatz 1 Satz 3": ["Sind Organmitglieder oder besondere"]}
    assert resolved(verein, "sec-31a.2") == {"Absatz 1 Satz 1": ["Sind Organmitglieder oder besondere"]}
    miete = read("bgb-miete")
    assert resolved(miete, "sec-555a.4") == {
        "Absatz 2 oder 3": ["Erhaltungsmaßnahmen sind dem Mieter", "Aufwendungen, die der Mieter"]
    }


def test_german_item_lists_resolve_to_inserted_items() -> None:
    doc = read("bgb-verjaehrung")
    assert resolved(doc, "sec-204.3")["Absatz 1 Nr. 6a, 9, 12 und 13"] == [
        "die Zustellung der Anmeldung",
        "die Zustellung des Antrags",
        "die Einreichung des Antrags",
        "die Einreichung des Antrags",
    ]


def test_a_range_names_both_ends() -> None:
    refs = clause(read("bgb-miete"), "sec-549.1").refs
    assert [(r.text, r.target) for r in refs] == [
        ("§§ 535 bis 548", "section 535"),
        ("§§ 535 bis 548", "section 548"),
        ("§§ 549 bis 577a", "section 549"),
        ("§§ 549 bis 577a", "section 577a"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "mittels Glasfaser an ein öffentliches Netz mit sehr hoher Kapazität im Sinne des § 3 Nummer 33\n"
        "des Telekommunikationsgesetzes angeschlossen wird,",
        "die in Artikel 248 §§ 1 bis 12,\n13 Absatz 1, 3 bis 5 und §§ 14 bis 16 des Einführungsgesetzes zum",
        "Wenn der Verpflichtete ein Arbeitnehmer ist, findet § 109 der Gewerbeordnung Anwendung.",
        "##### (XXXX) §§ 3 bis 6 (weggefallen)",
    ],
)
def test_a_citation_of_another_statute_or_of_repealed_sections_is_no_reference(sentence: str) -> None:
    assert find_refs(sentence, 1) == ()


def test_a_section_of_this_statute_beside_one_of_another_stays() -> None:
    sentence = "nach § 492 Absatz 2 in Verbindung mit Artikel 247 § 6 Absatz 2 des Einführungsgesetzes"
    assert [r.target for r in find_refs(sentence, 1)] == ["section 492.2"]
    assert [r.target for r in find_refs("Tritt im Falle des § 2251 der Erblasser vor dem Ablauf", 1)] == [
        "section 2251"
    ]


# --- only references a change broke are findings of a diff ---------------------------------------------------------


def _xref_findings(old: Document, new: Document) -> list[str]:
    diff = diff_corpora(Corpus("t", (old,), "a"), Corpus("t", (new,), "b"))
    return [f.message for f in diff.findings if f.kind.value.startswith("xref")]


def test_references_dangling_before_are_no_findings_in_unchanged_or_changed_clauses() -> None:
    old, new = (
        read("bgb-hemmung-06"),
        read("bgb-hemmung-07"),
    )  # § 204 gained 6a.; §§ 208, 210, 211 are cut away
    assert clause(old, "sec-204.3").text != clause(new, "sec-204.3").text
    messages = _xref_findings(old, new)
    assert not [m for m in messages if "§§" in m or "§ 208" in m], messages


def test_a_reference_a_change_broke_is_a_finding() -> None:
    old = read("bgb-hemmung-07")
    text = (FORMS / "bgb-hemmung-07.md").read_text(encoding="utf-8")
    cut = text[: text.index("##### § 206")] + text[text.index("##### § 207") :]  # § 206 repealed
    messages = _xref_findings(old, read("bgb-hemmung-07", cut))
    assert len(messages) == 1 and "'§§\n206, 210 und 211' points to no clause" in messages[0], messages
    assert "which was removed" in messages[0]


# --- the real corpora ---------------------------------------------------------------------------------------------

BR = sorted((SHARED / "cabforum-br" / "versions").glob("*.md"))


@pytest.mark.slow
@pytest.mark.parametrize("path", BR, ids=[p.stem for p in BR])
def test_br_lint_reports_no_dangling_reference_to_an_existing_section(path: Path) -> None:
    doc = parse_document(path.read_bytes(), path.name)
    problems = [p for p in lint_corpus(Corpus("br", (doc,))) if p.rule == "dangling-xref"]
    cited = sorted(p.message.split("'")[1] for p in problems)
    # what remains names no clause of the BR: the pre-2017 numbering of a revision-history row, and parts of ETSI
    # EN 319 411-1 (the BR has no Parts)
    assert cited == ["Part 1", "Part 1", "Part 2", "Section 11.1.3"]
    numbers = {(c.number.unit, c.number.value) for c in doc.walk() if c.number}
    assert ("", "11.1.3") not in numbers and not any(unit == "part" for unit, _ in numbers)


def test_br_is_here() -> None:
    if not BR:
        pytest.skip("../shared/corpora is not here")
    assert len(BR) == 11
