"""Invariants of redlines and alignment, checked with hypothesis."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from regdocs.compare.align import align
from regdocs.compare.redline import Op, apply_new, apply_old, redline, tokenize
from regdocs.findings.analysis import diff_corpora
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus

WORDS = st.sampled_from(
    [
        "shall",
        "should",
        "may",
        "the",
        "Office",
        "developer",
        "72",
        "24",
        "hours",
        ",",
        ".",
        " ",
        "  ",
        "\n",
        "a",
        "(b)",
        "é",
        "model-weights",
        "—",
        "notify",
    ]
)
TEXT = st.lists(WORDS, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXT, TEXT)
def test_applying_the_redline_to_old_gives_new(old: str, new: str) -> None:
    segments = redline(old, new)
    assert apply_old(segments) == old
    assert apply_new(segments) == new
    assert all(s.text for s in segments)
    # readability: no kept island of one letter or blanks between two changes
    for k in range(1, len(segments) - 1):
        if (
            segments[k].op is Op.EQUAL
            and segments[k - 1].op is not Op.EQUAL
            and segments[k + 1].op is not Op.EQUAL
        ):
            assert len(segments[k].text.strip()) > 1


def test_tokens_cover_the_text() -> None:
    text = "A developer shall, within 72 hours—notify £10,000,000 (b)."
    assert "".join(tokenize(text)) == text


CLAUSE = st.tuples(
    st.sampled_from(["(1)", "(2)", "(a)", "(b)", "(i)", "## 1.", "## 2.", "# Part 1", "- (c)"]),
    st.lists(
        st.sampled_from(
            [
                "shall notify",
                "the Office",
                "within 72 hours",
                "may",
                "records",
                "for 5 years",
                "every developer",
                "section 2(1)",
            ]
        ),
        min_size=1,
        max_size=6,
    ),
)
DOC = st.lists(CLAUSE, min_size=1, max_size=25).map(
    lambda cs: "\n\n".join(f"{n} {' '.join(w)}." for n, w in cs) + "\n"
)


@settings(max_examples=150, deadline=None)
@given(DOC, DOC)
def test_alignment_never_pairs_a_clause_twice(a: str, b: str) -> None:
    old, new = parse_document(a, "d.md"), parse_document(b, "d.md")
    al = align(old, new)
    news = [j for j, _, _ in al.pairs.values()]
    news += [j for group in al.splits.values() for j in group if j not in news]
    news += list(al.merges)
    olds = list(al.pairs) + list(al.splits) + [i for g in al.merges.values() for i in g]
    assert len(olds) == len(set(olds))
    paired_new = [j for j, _, _ in al.pairs.values()]
    assert len(paired_new) == len(set(paired_new))
    assert not set(al.splits) & set(al.pairs)


@settings(max_examples=100, deadline=None)
@given(DOC)
def test_diff_of_a_version_with_itself_has_no_changes(text: str) -> None:
    doc = parse_document(text, "d.md")
    corpus = Corpus("t", (doc,), "v")
    diff = diff_corpora(corpus, corpus)
    assert not diff.has_changes and not diff.findings
