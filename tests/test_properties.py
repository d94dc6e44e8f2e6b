"""Invariants on arbitrary input: the parser never crashes and never loses a word."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regdocs.errors import InputError
from regdocs.parse.document import parse_document

LINES = st.sampled_from(
    [
        "# Part 1 — General",
        "## 1. Scope",
        "## 2.3 Access {#access}",
        "### (a) Sub",
        "(1) A provider shall act.",
        "(a) first;",
        "(i) roman;",
        "(ii) two;",
        "(h) eighth",
        "(A) upper",
        "- (b) bullet",
        "- plain bullet",
        "1. ordered",
        "  - (i) nested",
        "> quoted (1) text",
        "",
        "",
        "Some words about section 3(2).",
        '"Term" means a thing.',
        "| a | b |",
        "```",
        "<!-- note -->",
        "§ 4 Rule",
        "Article 9: x",
        "a. letter",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINES, max_size=40))
def test_structured_lines_never_crash_and_keep_every_word(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    doc = parse_document(text, "p.md")
    kept = " ".join(
        [doc.preamble, *(c.id + " " + c.label + " " + c.title + " " + c.text for c in doc.walk())]
    )
    for word in re.findall(r"[A-Za-z]{3,}", text.replace("<!-- note -->", "")):
        assert word in kept, word


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        doc = parse_document(text.encode("utf-8", "surrogatepass"), "p.md")
    except InputError:
        return
    ids = [c.id for c in doc.walk()]
    assert all(ids)
