"""Parser cases as fixture files (markdown in, golden description out) plus targeted checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from describe import describe

from regdocs.parse.document import parse_document
from regdocs.parse.model import ClauseKind, IdSource

CASES = sorted((Path(__file__).parent / "fixtures" / "parse").glob("*.md"))


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_fixture(case: Path, update_goldens: bool) -> None:
    doc = parse_document(case.read_bytes(), case.name)
    got = describe(doc)
    golden = case.with_suffix(".golden")
    if update_goldens:
        golden.write_text(got, encoding="utf-8")
    assert golden.exists(), f"no golden {golden}: run pytest --update-goldens once and review the file"
    assert got == golden.read_text(encoding="utf-8")


def _ids(text: str) -> list[str]:
    return [c.id for c in parse_document(text, "t.md").walk()]


def test_every_number_form_is_recognised() -> None:
    doc = parse_document((Path(__file__).parent / "fixtures/parse/numbering-forms.md").read_bytes(), "n.md")
    labels = [c.label for c in doc.walk()]
    for form in ("Part 2", "2.3", "§ 4", "Article 5", "(a)", "(1)", "(iv)", "(A)", "a.", "i.", "4c.", "aa)"):
        assert form in labels, form


def test_explicit_id_is_kept_and_removed_from_text() -> None:
    doc = parse_document(
        "## 12. Incident notification {#incident}\n\n(1) Notify within 72 hours. {#notify}\n", "t.md"
    )
    section = doc.clauses[0]
    assert (section.id, section.id_source, section.title) == (
        "incident",
        IdSource.EXPLICIT,
        "Incident notification",
    )
    para = section.children[0]
    assert para.id == "notify" and para.text == "Notify within 72 hours."


def test_derived_ids_follow_the_number_path() -> None:
    text = "# Part 1 — General\n\n## 3. Terms\n\n(2) Two.\n\n(a) A.\n\n(i) One.\n"
    assert _ids(text) == ["part-1", "3", "3.2", "3.2.a", "3.2.a.i"]


def test_sections_restarting_in_each_part_are_qualified_by_part() -> None:
    text = "# Part 1 — A\n\n## 1. X\n\n# Part 2 — B\n\n## 1. Y\n"
    assert _ids(text) == ["part-1", "part-1.1", "part-2", "part-2.1"]


def test_unnumbered_paragraphs_belong_to_their_clause() -> None:
    doc = parse_document(
        "## 1. Scope\n\nIntro words.\n\nMore words.\n\n(1) First.\n\nTrailing words.\n", "t.md"
    )
    scope = doc.clauses[0]
    assert scope.text == "Intro words.\n\nMore words."
    assert scope.children[0].text == "First.\n\nTrailing words."


def test_letter_i_after_h_is_a_letter_and_alone_is_roman() -> None:
    doc = parse_document("(1) x\n\n(h) eight\n\n(i) nine\n\n(2) y\n\n(a) a\n\n(i) one\n", "t.md")
    one, two = doc.clauses
    assert [c.number.style if c.number else None for c in one.children] == ["lower-alpha", "lower-alpha"]
    roman = two.children[0].children[0].number
    assert roman is not None and roman.style == "lower-roman"


def test_bullets_without_numbers_are_text_of_their_clause() -> None:
    doc = parse_document("## 1. Controls\n\n* Users. You control it.\n\n* Orgs. Owners do.\n", "t.md")
    assert doc.clauses[0].children == ()
    assert "* Users. You control it." in doc.clauses[0].text


def test_lazy_ordered_list_numbers_by_position() -> None:
    assert [c.label for c in parse_document("1. a\n1. b\n1. c\n", "t.md").walk()] == ["1.", "2.", "3."]


def test_cross_references_are_recognised() -> None:
    text = (
        "## 1. Refs\n\nSee [section 12](#incident), section 12(2)(b), paragraph (b) of section 4, "
        "Part 3, Article 5 and sections 7 and 8.\n"
    )
    targets = [r.target for r in parse_document(text, "t.md").clauses[0].refs]
    assert targets == [
        "incident",
        "section 12.2.b",
        "section 4 > b",
        "part 3",
        "article 5",
        "section 7",
        "section 8",
    ]


def test_defined_terms_are_recognised() -> None:
    text = '(1) "AI system" means a system.\n\n(2) “GitHub,” “We,” and “Us” refer to GitHub.\n\n(3) **Model weights** means numbers.\n'
    terms = [t.term for c in parse_document(text, "t.md").walk() for t in c.terms]
    assert terms == ["AI system", "GitHub", "We", "Us", "Model weights"]


def test_crlf_and_bom_parse_like_plain_lf() -> None:
    plain = "---\nid: x\n---\n# Part 1 — A\n\n## 1. B\n\n(1) Text.\n"
    crlf = ("\ufeff" + plain.replace("\n", "\r\n")).encode("utf-8")
    a, b = parse_document(plain.encode(), "t.md"), parse_document(crlf, "t.md")
    assert describe(a) == describe(b)


def test_html_comments_are_not_clause_text() -> None:
    doc = parse_document("## 1. A\n\n<!-- note to drafters -->\n\nReal text.\n", "t.md")
    assert doc.clauses[0].text == "Real text."


def test_kinds() -> None:
    doc = parse_document("## 1. A\n\n(1) p\n\n- (a) item\n", "t.md")
    assert [c.kind for c in doc.walk()] == [ClauseKind.HEADING, ClauseKind.PARAGRAPH, ClauseKind.ITEM]


def test_long_documents_read_in_stretches_parse_exactly_as_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    import regdocs.parse.document as parse_module

    files = [*sorted((Path(__file__).parent.parent / "corpus").glob("*.md")), *CASES]
    whole = {f: describe(parse_document(f.read_bytes(), f.name)) for f in files}
    original = parse_module._token_chunks
    monkeypatch.setattr(parse_module, "_token_chunks", lambda source, lines: original(source, lines, 5))
    for f in files:
        assert describe(parse_document(f.read_bytes(), f.name)) == whole[f], f


def test_reference_scan_in_blocks_matches_one_pass() -> None:
    from regdocs.parse.references import reference_starts

    text = "\n".join(
        f"Line {k}: see section {k}(2), sub-paragraph (b) and Part 3 — § 4." for k in range(3000)
    )
    assert reference_starts(text, block=997) == reference_starts(text, block=10**9)


# --- the unit vocabulary (`parse/units.py`) --------------------------------------------------------------


def test_every_cited_unit_spelling_is_read_as_a_reference() -> None:
    from regdocs.parse.units import CITED_UNITS, UNIT_OF, Form, spellings

    for spelling in spellings(CITED_UNITS, Form.WORD | Form.PLURAL | Form.VARIANT | Form.SIGN):
        for written in {spelling, spelling.title(), spelling.upper()}:
            refs = parse_document(f"## 1. Refs\n\nSee {written} 7(2).\n", "t.md").clauses[0].refs
            assert [r.target for r in refs] == [f"{UNIT_OF[spelling]} 7.2"], written


def test_every_subdivision_spelling_is_read_before_its_unit_and_the_relative_ones_alone() -> None:
    from regdocs.parse.units import RELATIVE_UNITS, SUBDIVISIONS, Form, spellings

    words = Form.WORD | Form.PLURAL | Form.VARIANT
    for spelling in spellings(SUBDIVISIONS, words):
        refs = parse_document(f"## 1. Refs\n\nSee {spelling} (b) of Article 5.\n", "t.md").clauses[0].refs
        assert [r.target for r in refs] == ["article 5 > b"], spelling
    for spelling in spellings(RELATIVE_UNITS, words):
        refs = parse_document(f"## 1. Refs\n\nSee {spelling} (b).\n", "t.md").clauses[0].refs
        assert [r.target for r in refs] == ["relative > b"], spelling
    assert parse_document("## 1. Refs\n\nSee point (b).\n", "t.md").clauses[0].refs == ()


def test_every_numbered_unit_spelling_numbers_a_heading_and_prefixes_its_id() -> None:
    from regdocs.parse.units import NUMBERED_UNITS, UNIT_OF, UNIT_PREFIX, Form, spellings

    for spelling in spellings(NUMBERED_UNITS, Form.WORD | Form.ABBREVIATION):
        clause = parse_document(f"# {spelling.title()} 3 — Scope\n\nText.\n", "t.md").clauses[0]
        unit = UNIT_OF[spelling]
        assert clause.number is not None and clause.number.unit == unit, spelling
        assert (clause.id, clause.title) == (f"{UNIT_PREFIX[unit]}-3", "Scope"), spelling


def test_unit_alternatives_are_escaped_longest_first_and_each_spelling_names_one_unit() -> None:
    import re

    from regdocs.parse.units import UNIT_OF, UNITS, Form, alternatives, keywords, spellings

    every = Form.WORD | Form.PLURAL | Form.VARIANT | Form.ABBREVIATION | Form.SHORT | Form.SIGN
    sign = "\u00a7"
    assert spellings(["section"], every) == ("sections", "section", "sec.", "ss.", "s.", sign * 2, sign)
    pattern = re.compile(alternatives(["section", "article"], every))
    first = pattern.match("sections 4")
    assert first is not None and first.group() == "sections"
    assert pattern.fullmatch("art.") and not pattern.fullmatch("artx") and not pattern.fullmatch("sx")
    assert sum(len(u.spellings(every)) for u in UNITS) == len(UNIT_OF)  # no spelling in two units
    assert keywords(["section", "subsection"], every) == ("s.", "sec.", "section", sign)


def test_unit_words_matched_case_blind_never_crash() -> None:
    """`(?i:section)` matches `ſection` and `SECTİON`, which `lower()` does not turn into `section`."""
    for heading in ("# \u017fection 1. Scope", "# SECT\u0130ON 1. Scope", "# \u212aapitel 1"):
        doc = parse_document(heading + "\n\nText.\n", "rules.md")
        assert doc.clauses
    doc = parse_document("# \u017fection 4. Scope\n\nSee \u017fection 4.\n", "rules.md")
    assert doc.clauses[0].number is not None and doc.clauses[0].number.unit == "section"
