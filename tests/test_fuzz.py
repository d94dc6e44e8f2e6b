"""Fuzz parse -> diff -> every renderer with random documents and random edits (hypothesis).

Invariants: nothing raises; diff(A, A) is empty; every old clause appears exactly once as paired or
removed, every new clause exactly once as paired or added. The number of examples is 150 here;
`REGDOCS_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py` runs a long campaign.
"""

from __future__ import annotations

import json
import os
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regdocs.compare.align import PREAMBLE
from regdocs.compare.model import ChangeKind, CorpusDiff
from regdocs.errors import RegdocsError
from regdocs.findings.analysis import diff_corpora
from regdocs.findings.lint import lint_corpus
from regdocs.gitflow.review import Review
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus, Document
from regdocs.render.htmlpage import render_html
from regdocs.render.jsonout import render_json
from regdocs.render.listing import clause_text, outline_text
from regdocs.render.markdown import render_markdown
from regdocs.render.review import render_review, render_review_json
from regdocs.render.terminal import render_stat, render_terminal
from regdocs.render.textconv import clause_text as textconv_text

EXAMPLES = int(os.environ.get("REGDOCS_FUZZ_EXAMPLES", "150"))

_WORD_TEXT = (
    "the provider developer shall must should may not never within business working calendar hours days "
    "weeks months years minutes £100 $5 5% ≥ ≤ 10^26 -40 FLOP section Part Schedule paragraph Article "
    'means includes “Model” "Data" *emphasis* __strong__ ~~struck~~ `code` [link](https://x.org) '
    "<!-- --> @team #12 per day year 72 24 48 1,000 2026-06-01 1 January 2027 § 3 (a) 2.1 "
    "\x1b[2K \u202e no person is prohibited from required recommended"
)
WORDS = tuple(_WORD_TEXT.split())
NUMBERS = ("1.", "2.", "3.", "(1)", "(2)", "(a)", "(b)", "(i)", "(ii)", "(A)", "4a.", "§ 4", "Article 5", "")
HEADS = ("# ", "## ", "### ", "#### ")


@st.composite
def sentence(draw: st.DrawFn) -> str:
    return " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14)))


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 9))
    number = draw(st.sampled_from(NUMBERS))
    text = draw(sentence())
    explicit = draw(st.sampled_from(("", "", "", " {#fees}", " {#duty}")))
    if kind <= 2:
        return f"{draw(st.sampled_from(HEADS))}{number} {text}{explicit}".rstrip()
    if kind <= 6:
        return f"{number} {text}{explicit}".strip()
    if kind == 7:
        return f"{draw(st.sampled_from(('- ', '1. ', '  - ', '> ')))}{text}"
    if kind == 8:
        return f"| {number} | {text} |\n|---|---|\n| x | {draw(sentence())} |"
    return f"<!-- {text}"


@st.composite
def document(draw: st.DrawFn) -> str:
    blocks = draw(st.lists(block(), min_size=0, max_size=12))
    front = draw(st.sampled_from(("", "---\ntitle: Rules\nstatus: binding\neffective: 2026-06-01\n---\n")))
    return front + "\n\n".join(blocks) + "\n"


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    old = draw(document())
    lines = old.split("\n")
    for _ in range(draw(st.integers(0, 4))):
        op = draw(st.integers(0, 5))
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        if op == 0 and lines:
            del lines[at]
        elif op == 1:
            lines.insert(at, draw(block()))
        elif op == 2 and lines:
            words = lines[at].split(" ")
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(st.sampled_from(WORDS))
            lines[at] = " ".join(words)
        elif op == 3 and len(lines) > 1:
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif op == 4 and lines:
            lines.insert(at, lines[at])
        else:
            lines[at:at] = ["", draw(block()), ""]
    return old, "\n".join(lines)


def parsed(text: str, path: str = "rules.md") -> Document | None:
    try:
        return parse_document(text.encode("utf-8"), path)
    except RegdocsError:
        return None  # refused input is fine; a crash is not


def has_duplicate_ids(doc: Document) -> bool:
    ids = Counter(c.id for c in doc.walk())
    return any(n > 1 for n in ids.values())


def render_everything(diff: CorpusDiff, new: Corpus) -> None:
    review = Review("A..B", "A", "B", diff, tuple(lint_corpus(new)))
    for color in (False, True):
        render_terminal(diff, color=color)
    render_terminal(diff, only={"substantive"})
    render_stat(diff)
    render_markdown(diff)
    render_html(diff)
    json.loads(render_json(diff))
    render_review(review)
    render_review(review, limit=2000)
    json.loads(render_review_json(review))
    for doc in new.documents:
        textconv_text(doc)
        outline_text([doc], "B")
        for clause in doc.walk():
            clause_text(doc, clause, "B")


def check_accounting(diff: CorpusDiff, old: Document, new: Document) -> None:
    """Every clause is accounted for exactly once on each side."""
    (d,) = diff.documents
    old_seen: Counter[str] = Counter()
    new_seen: Counter[str] = Counter()
    for change in d.changes:
        assert change.kind is not ChangeKind.UNCHANGED
        old_seen.update(s.id for s in change.old)
        new_seen.update(s.id for s in change.new)
    assert all(n == 1 for n in old_seen.values()), old_seen
    assert all(n == 1 for n in new_seen.values()), new_seen
    old_ids = {c.id for c in old.walk()} | ({PREAMBLE} if old.preamble else set())
    new_ids = {c.id for c in new.walk()} | ({PREAMBLE} if new.preamble else set())
    assert set(old_seen) <= old_ids and set(new_seen) <= new_ids
    assert len(old_seen) + d.unchanged == len(old_ids), (len(old_seen), d.unchanged, len(old_ids))
    assert len(new_seen) + d.unchanged == len(new_ids), (len(new_seen), d.unchanged, len(new_ids))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(edited())
def test_parse_diff_render_never_fails(pair: tuple[str, str]) -> None:
    old_text, new_text = pair
    old, new = parsed(old_text), parsed(new_text)
    if old is None or new is None or has_duplicate_ids(old) or has_duplicate_ids(new):
        return
    old_corpus, new_corpus = Corpus("T", (old,), "A"), Corpus("T", (new,), "B")
    same = diff_corpora(old_corpus, old_corpus)
    assert not same.has_changes and not same.findings
    diff = diff_corpora(old_corpus, new_corpus)
    check_accounting(diff, old, new)
    render_everything(diff, new_corpus)
