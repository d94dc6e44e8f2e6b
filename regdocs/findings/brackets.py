"""Open points of a negotiated text: square-bracketed alternatives (`[shall][should]`) and optional passages.

Drafters of negotiated texts bracket what is not yet agreed: `The developer [shall][should] notify`,
`[within 72 hours]`. Markdown uses square brackets too, and those are never open points: links `[x](url)`,
reference links whose label is defined (`[x][ref]`, `[x][]`, `[x]`), images `![x](src)`, footnotes `[^1]`,
task boxes `- [ ]`, link definitions `[x]: url`, escaped `\\[`, and anything in a code span or fence.

The text is scanned once, left to right, with a stack of open brackets: no pattern that can backtrack, so
50 KB of `[` take milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from regdocs.parse.model import Clause, ClauseKind, Document

_SPECIAL = re.compile(r"[\\`\[\]~\n]")
"""The characters the scanner stops at (one character class: linear)."""
_MAX_LABEL = 999
"""The longest link label markdown reads (CommonMark)."""
MAX_DEPTH = 4
"""Brackets nested deeper than this are part of the point around them, not points of their own: so that
what is reported stays proportional to the text however deep the nesting."""


@dataclass(frozen=True, slots=True)
class OpenPoint:
    """Bracketed text still under negotiation: one optional passage, or alternatives side by side."""

    alternatives: tuple[str, ...]
    """The bracketed texts without their brackets, in order: `("shall", "should")`, or one passage."""
    start: int
    """Offset of the first `[` in the text scanned."""
    end: int
    """Offset just after the last `]`."""

    @property
    def source(self) -> str:
        """The point as written: `[shall][should]`."""
        return "".join(f"[{a}]" for a in self.alternatives)


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    """An open point of a clause with the line and column of its first bracket in the document's file."""

    point: OpenPoint
    """The point."""
    line: int
    """1-based line (exact for a clause's first lines; the parser may have dropped blank lines inside it)."""
    col: int
    """1-based column (of the text as the parser keeps it: a list item's continued lines lose their indent)."""


@dataclass(frozen=True, slots=True)
class _Group:
    """A matched pair of brackets."""

    start: int
    """Offset of its `[`."""
    end: int
    """Offset just after its `]`."""
    depth: int
    """How many brackets enclose it."""
    line_start: int
    """Offset of the start of the line its `[` is on."""


def label_key(label: str) -> str:
    """A link label as markdown compares them: case folded, runs of whitespace as one space."""
    return " ".join(label.split()).casefold()


def reference_labels(texts: Iterable[str]) -> frozenset[str]:
    """The labels defined by link reference definitions (`[label]: destination`) in any of `texts`."""
    found: set[str] = set()
    for text in texts:
        if "]:" not in text:
            continue
        for line in text.split("\n"):
            body = line.lstrip(" ")
            if len(line) - len(body) > 3 or not body.startswith("["):
                continue
            close = body.find("]:")
            label = body[1:close] if close > 1 else ""
            if label.strip() and "[" not in label and "]" not in label and not label.startswith("^"):
                found.add(label_key(label))
    return frozenset(found)


def open_points(text: str, labels: Collection[str] = frozenset()) -> tuple[OpenPoint, ...]:
    """The open points of `text`, in order; `labels` are the link labels its document defines."""
    if "[" not in text:
        return ()
    groups = _groups(text)
    if not groups:
        return ()
    skipped = _markup(text, groups, labels)
    kept = [
        g
        for g in groups
        if g.depth <= MAX_DEPTH and g.start not in skipped and text[g.start + 1 : g.end - 1].strip()
    ]
    return _points(text, kept)


def clause_points(clause: Clause, labels: Collection[str] = frozenset()) -> tuple[PlacedPoint, ...]:
    """The open points of a clause's title and text, each with its line and column in the file."""
    out = [PlacedPoint(p, clause.line, p.start + 1) for p in open_points(clause.title, labels)]
    text = clause.text
    points = open_points(text, labels)
    if not points:
        return tuple(out)
    # a heading's body ends at its last line; a paragraph, item or row starts on its clause's line
    line = clause.end_line - text.count("\n") if clause.kind is ClauseKind.HEADING else clause.line
    # on a numbered paragraph's first line, the text starts after its number: `(1) `
    at, line_start = 0, -len(clause.label) - 1 if clause.kind is ClauseKind.PARAGRAPH and clause.label else 0
    for p in points:
        line += text.count("\n", at, p.start)
        newline = text.rfind("\n", at, p.start)
        line_start = newline + 1 if newline >= 0 else line_start
        at = p.start
        out.append(PlacedPoint(p, line, p.start - line_start + 1))
    return tuple(out)


def document_labels(doc: Document) -> frozenset[str]:
    """The link labels a document defines (`[label]: url`), wherever its definitions stand."""
    return reference_labels(t for c in _clauses(doc) for t in (c.title, c.text))


def document_points(doc: Document) -> list[tuple[Clause, PlacedPoint]]:
    """Every open point of a document, its preamble's too, with the clause that holds it, in order."""
    clauses = _clauses(doc)
    labels = reference_labels(t for c in clauses for t in (c.title, c.text))
    return [(c, placed) for c in clauses for placed in clause_points(c, labels)]


def _clauses(doc: Document) -> list[Clause]:
    from regdocs.compare.align import preamble_clause  # the aligner's import is not lint's to pay for

    return [c for c in (preamble_clause(doc), *doc.walk()) if c is not None]


def _groups(text: str) -> list[_Group]:
    """Every matched `[...]` outside code and escapes, in the order they close."""
    runs = _backtick_runs(text)
    groups: list[_Group] = []
    stack: list[tuple[int, int]] = []  # (offset of `[`, offset of its line's start)
    line_start = 0
    n = len(text)
    found = _SPECIAL.search(text)
    while found is not None:
        i = found.start()
        c = text[i]
        nxt = i + 1
        if c == "\\":
            nxt = i + 2 if text[i + 1 : i + 2] not in ("", "\n") else i + 1  # `\[` is a literal bracket
        elif c == "`":
            nxt = runs.get(i, i + 1)
        elif c == "[":
            stack.append((i, line_start))
        elif c == "]":
            if stack:
                start, starts_line = stack.pop()
                groups.append(_Group(start, i + 1, len(stack), starts_line))
        elif c == "\n":
            line_start = i + 1
        elif c == "~" and _fence_at(text, i, line_start):
            close = text.find("\n" + text[i : i + 3], i + 3)
            nxt = n if close < 0 else close + 4
        if nxt >= n:
            break
        if nxt > i + 2:  # jumped over code: the line may have changed inside it
            newline = text.rfind("\n", i, nxt)
            line_start = newline + 1 if newline >= 0 else line_start
        found = _SPECIAL.search(text, nxt)
    return groups


def _backtick_runs(text: str) -> dict[int, int]:
    """Start of each backtick run that opens a code span -> the offset after the run that closes it.

    A run closes at the next run of the same length (CommonMark); one with no such run is literal. Each
    length's next run is found by one pass from the right, so the whole is linear.
    """
    if "`" not in text:
        return {}
    runs: list[tuple[int, int]] = []
    at = text.find("`")
    while at >= 0:
        end = at
        while end < len(text) and text[end] == "`":
            end += 1
        runs.append((at, end))
        at = text.find("`", end)
    following: dict[int, int] = {}  # run length -> index of the next run of that length
    closing: list[int] = [-1] * len(runs)
    for k in range(len(runs) - 1, -1, -1):
        length = runs[k][1] - runs[k][0]
        closing[k] = following.get(length, -1)
        following[length] = k
    out: dict[int, int] = {}
    k = 0
    while k < len(runs):
        close = closing[k]
        if close < 0:
            out[runs[k][0]] = runs[k][1]
            k += 1
            continue
        out[runs[k][0]] = runs[close][1]
        k = close + 1
    return out


def _fence_at(text: str, i: int, line_start: int) -> bool:
    """Whether a `~~~` fence opens at `i`: three tildes with at most three spaces before them on the line."""
    return text.startswith("~~~", i) and i - line_start <= 3 and not text[line_start:i].strip(" ")


def _markup(text: str, groups: list[_Group], labels: Collection[str]) -> set[int]:
    """Starts of the groups that are markdown, not open points; and of every group inside a link's text."""
    by_start = {g.start: g for g in groups}
    markup: set[int] = set()
    for g in groups:
        first = text[g.start + 1]
        after = text[g.end] if g.end < len(text) else ""
        if (
            first == "^"  # a footnote
            or after == "("  # a link or an image
            or (g.start and text[g.start - 1] == "!")  # an image
            or (after == ":" and not text[g.line_start : g.start].strip(" "))  # a link definition
            or (g.end - g.start == 3 and first in " xX" and _task_prefix(text[g.line_start : g.start]))
        ):
            markup.add(g.start)
            continue
        if not labels:
            continue
        follower = by_start.get(g.end)
        if follower is not None:
            label = _label(text, follower) or _label(text, g)
            if label and label in labels:
                markup |= {g.start, follower.start}  # `[text][label]` or `[label][]`
                continue
        if _label(text, g) in labels:
            markup.add(g.start)  # `[label]`: a shortcut reference link
    if not markup:
        return markup
    # link texts may hold brackets of their own: those are the link's too (brackets nest, never overlap)
    inside: set[int] = set()
    cover = -1
    for g in sorted(groups, key=lambda g: g.start):
        if g.start < cover:
            inside.add(g.start)
        elif g.start in markup:
            cover = g.end
    return markup | inside


def _label(text: str, g: _Group) -> str:
    """The group's text as a link label, or empty: a label holds at most 999 characters (CommonMark)."""
    return label_key(text[g.start + 1 : g.end - 1]) if g.end - g.start <= _MAX_LABEL + 2 else ""


def _task_prefix(before: str) -> bool:
    """Whether the text before `[ ]` on its line is a list marker (or nothing): a task box."""
    lead = before.strip()
    if lead in ("", "-", "*", "+"):
        return True
    return len(lead) > 1 and lead[-1] in ".)" and lead[:-1].isdigit()


def _points(text: str, groups: list[_Group]) -> tuple[OpenPoint, ...]:
    """Groups side by side at one depth (`[shall][should]`) make one point; every other group one of its own."""
    ordered = sorted(groups, key=lambda g: (g.depth, g.start))
    out: list[OpenPoint] = []
    run: list[_Group] = []
    for g in ordered:
        if run and (run[-1].end != g.start or run[-1].depth != g.depth):
            out.append(_point(text, run))
            run = []
        run.append(g)
    if run:
        out.append(_point(text, run))
    return tuple(sorted(out, key=lambda p: p.start))


def _point(text: str, run: list[_Group]) -> OpenPoint:
    return OpenPoint(tuple(text[g.start + 1 : g.end - 1] for g in run), run[0].start, run[-1].end)
