"""Build the clause tree from markdown-it's block tokens: one method per token kind."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from regdocs.errors import InputError
from regdocs.parse.model import ClauseKind, Number
from regdocs.parse.numbering import (
    STYLE_RANK,
    alpha_value,
    alternative_style,
    as_style,
    follows,
    inserted_after,
    match_bare,
    match_number,
    roman_value,
)
from regdocs.parse.tables import ProvisionRow, provision_rows

MAX_NESTING = 40
"""markdown-it's block nesting limit; past it the parser drops content, so we refuse the file."""

# A match may only start where a run of blanks starts: else every blank of a long run rescans the run
EXPLICIT_ID_RE = re.compile(r"(?<![ \t])[ \t]*+\{#([A-Za-z0-9][A-Za-z0-9_.:-]*+)\}[ \t]*+$")
"""A trailing `{#id}`: the id a writer gives a clause."""
_LIST_MARKER_RE = re.compile(r"[ \t]*(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]+|$)")


@dataclass(slots=True, eq=False)
class Node:
    """A clause while the tree is being built (mutable; frozen into Clause at the end)."""

    kind: ClauseKind
    """Heading, numbered paragraph, list item or table row."""
    number: Number | None
    """Its number, if it has one (a heading may not)."""
    level: int
    """Heading level, or depth below the nearest heading."""
    start: int
    """0-based line where the clause starts."""
    title: str = ""
    """A heading's text after its number."""
    explicit_id: str = ""
    """The id from a trailing `{#id}`, or ''."""
    strip: int = 0
    """Characters of number (and list marker) before the text on the first line."""
    indent: int = 0
    """A list item's continuation indent, removed from its other lines."""
    children: list[Node] = field(default_factory=list)
    """Clauses directly inside it."""
    rank: int = 0
    """Nesting rank of a numbered paragraph's style (`STYLE_RANK`); 99 for a list item."""
    root: bool = False
    """At the top of the tree."""
    stop: int = -1
    """0-based line where its own text stops when that is before the next clause (a table of rows follows); -1: it
    runs to the next clause."""
    tails: list[list[int]] | None = None
    """More stretches of its own text, [first line, line after] (-1: to the next clause or the end): the text after a
    table of its rows."""
    row: ProvisionRow | None = None
    """The table row a row clause was read from (its text and attributes)."""


class TreeBuilder:
    """Turn block tokens into clause nodes, stretch by stretch (the state carries over between stretches)."""

    __slots__ = (
        "cut",
        "floors",
        "items",
        "lines",
        "lists",
        "nodes",
        "path",
        "roots",
        "skip",
        "stack",
        "tail",
    )

    def __init__(self, lines: list[str], path: str) -> None:
        self.lines = lines
        """The document's lines (list items measure their marker there)."""
        self.path = path
        """The document's path, for errors."""
        self.nodes: list[Node] = []
        """Every clause node, in document order."""
        self.stack: list[Node] = []
        """Open clauses, outermost first."""
        self.floors: list[int] = [0]
        """Stack lengths no clause closes below: one per open list item that is a clause (its paragraphs stay in it)."""
        self.lists: list[list[int]] = []
        """Per open list: [stack length at open, ordered, start, items seen]."""
        self.items: list[bool] = []
        """Per open list item: is it a clause?"""
        self.roots: list[Node] = []
        """The clauses at the top of the tree."""
        self.skip = 0
        """Depth inside unnumbered bullet items or block quotes: no clauses there."""
        self.cut: list[tuple[int, int]] = []
        """Lines of the header rows of tables of provisions, [first, after): text of no clause."""
        self.tail: list[int] | None = None
        """The stretch of text after a table of rows while it runs (it ends where the next clause or table begins)."""

    def feed(self, tokens: list[Any]) -> None:
        """Turn one stretch of block tokens into clause nodes."""
        deepest = MAX_NESTING - 1
        handlers = _HANDLERS
        for i, tok in enumerate(tokens):
            if tok.level >= deepest:
                raise InputError(
                    f"content nested more than {MAX_NESTING // 2} levels deep (lists within lists)",
                    path=self.path,
                    line=(tok.map[0] + 1) if tok.map else None,
                    hint="flatten the nesting; regdocs would otherwise lose the deeper text",
                )
            handler = handlers.get(tok.type)  # inline content and closing tags (two tokens in three): none
            if handler is not None:
                handler(self, tokens, i)

    def paragraph_open(self, tokens: list[Any], i: int) -> None:
        """Open a numbered paragraph (`(a) ...`), closing the open ones it does not nest in."""
        if self.skip or tokens[i - 1].type == "list_item_open":
            return
        content, explicit = _explicit(tokens[i + 1].content)
        found = match_number(content, heading=False)
        if found is None:
            return
        pnum = _disambiguate(found[0], self._around())
        rank = STYLE_RANK[pnum.style]
        stack, floor = self.stack, self.floors[-1]
        host = self._host_of_inserted(pnum)
        if host >= 0:  # `6a.` after the list item `6.`: its sibling, in the clause that holds it
            del stack[host + 1 :]
        while (
            host < 0
            and len(stack) > floor
            and stack[-1].kind is not ClauseKind.HEADING
            and stack[-1].rank >= rank
        ):
            stack.pop()
        start = tokens[i].map[0]
        self._open(
            Node(ClauseKind.PARAGRAPH, pnum, 0, start, explicit_id=explicit, strip=found[1], rank=rank)
        )

    def heading_open(self, tokens: list[Any], i: int) -> None:
        """Open a heading, closing every open clause down to a heading of a higher level."""
        if self.skip:
            return
        tok = tokens[i]
        level = int(tok.tag[1])
        stack, floor = self.stack, self.floors[-1]
        while len(stack) > floor and not (stack[-1].kind is ClauseKind.HEADING and stack[-1].level < level):
            stack.pop()
        content, explicit = _explicit(tokens[i + 1].content)
        found = match_number(content, heading=True) or match_bare(content, self._around())
        hnum = _disambiguate(found[0], self._around()) if found else None
        node = Node(ClauseKind.HEADING, hnum, level, tok.map[0], explicit_id=explicit)
        node.title = content[found[1] :].strip() if found else content.strip()
        self._open(node)

    def list_item_open(self, tokens: list[Any], i: int) -> None:
        """Open a list item: a clause when its list is ordered or its text starts with a number."""
        ctx = self.lists[-1]
        ctx[3] += 1
        if self.skip:
            self.skip += 1
            self.items.append(False)
            return
        del self.stack[ctx[0] :]
        tok = tokens[i]
        marker = _LIST_MARKER_RE.match(self.lines[tok.map[0]])
        indent = marker.end() if marker else 0
        para = tokens[i + 2].content if tokens[i + 1].type == "paragraph_open" else ""
        content, explicit = _explicit(para)
        used = 0
        if ctx[1]:
            inum: Number | None = _arabic(ctx[2] + ctx[3] - 1)
        else:
            found = match_number(content, heading=False)
            inum = None
            if found:
                inum = _disambiguate(found[0], self._around())
                used = found[1]
        if inum is None:
            self.skip = 1
            self.items.append(False)
            return
        node = Node(
            ClauseKind.ITEM,
            inum,
            0,
            tok.map[0],
            explicit_id=explicit,
            strip=indent + used,
            indent=indent,
            rank=99,
        )
        self._open(node)
        self.floors.append(len(self.stack))
        self.items.append(True)

    def list_item_close(self, tokens: list[Any], i: int) -> None:
        """Close a list item (a clause's item ends its floor; an unnumbered one its skip)."""
        if self.items.pop():
            self.floors.pop()
        else:
            self.skip -= 1

    def list_open(self, tokens: list[Any], i: int) -> None:
        """Open a bullet or ordered list."""
        tok = tokens[i]
        ordered = tok.type == "ordered_list_open"
        start = int(tok.attrGet("start") or 1) if ordered else 1
        top = self.stack[-1] if ordered and not self.skip and len(self.stack) > self.floors[-1] else None
        if top and top.kind is ClauseKind.PARAGRAPH and top.number and follows(_arabic(start), top.number):
            self.stack.pop()  # `7.` after the paragraph `6a.`: the list goes on beside it, not inside it
        self.lists.append([len(self.stack), ordered, start, 0])

    def list_close(self, tokens: list[Any], i: int) -> None:
        """Close a list and the clauses opened inside it."""
        depth = self.lists.pop()[0]
        if not self.skip:
            del self.stack[depth:]

    def table_open(self, tokens: list[Any], i: int) -> None:
        """Open a clause per row of a table of provisions, under the innermost heading; other tables stay text."""
        if self.skip or self.lists:
            return  # in a list item or a block quote, a table is part of that text
        rows = provision_rows(tokens, i)
        if not rows:
            return
        start, end = tokens[i].map
        self.cut.append((start, rows[0].line))
        if self.tail is not None:
            self.tail[1] = start
            self.tail = None
        elif self.nodes and self.nodes[-1].stop < 0:
            self.nodes[-1].stop = start  # the text before the table is the previous clause's, not the table
        stack = self.stack
        while stack and stack[-1].kind is not ClauseKind.HEADING:
            stack.pop()
        for row in rows:
            self._open(Node(ClauseKind.ROW, row.number, 0, row.line, stop=row.end, row=row))
            stack.pop()
        # text after the table is the heading's (a note on the section), or the last row's when no heading is open
        holder = stack[-1] if stack else self.nodes[-1]
        self.tail = [end, -1]
        if holder.tails is None:
            holder.tails = []
        holder.tails.append(self.tail)

    def blockquote_open(self, tokens: list[Any], i: int) -> None:
        """Enter a block quote: no clauses inside."""
        self.skip += 1

    def blockquote_close(self, tokens: list[Any], i: int) -> None:
        """Leave a block quote."""
        self.skip -= 1

    def _open(self, node: Node) -> None:
        """Attach a new clause to the innermost open clause (or make it a root) and open it."""
        if self.tail is not None:
            self.tail[1] = node.start
            self.tail = None
        stack = self.stack
        if stack:
            parent = stack[-1]
            parent.children.append(node)
            if node.kind is not ClauseKind.HEADING:
                node.level = 1 if parent.kind is ClauseKind.HEADING else parent.level + 1
        else:
            node.root = True
            self.roots.append(node)
            if node.kind is not ClauseKind.HEADING:
                node.level = 1
        stack.append(node)
        self.nodes.append(node)

    def _host_of_inserted(self, number: Number) -> int:
        """The open clause whose last child `number` is inserted after (`6a.` after `6.`): its stack index, or -1."""
        if not number.suffix:
            return -1
        stack = self.stack
        for k in range(len(stack) - 1, self.floors[-1] - 1, -1):
            children = stack[k].children
            if children and children[-1].number and inserted_after(number, children[-1].number):
                return k
        return -1

    def _around(self) -> list[Number]:
        """Numbers a new clause may continue: the open clauses and their last children."""
        stack, floor = self.stack, self.floors[-1]
        out = [n.number for n in stack[floor:] if n.number]
        if self.roots and self.roots[-1].number:
            out.append(self.roots[-1].number)
        out += [n.children[-1].number for n in stack[floor:] if n.children and n.children[-1].number]
        if floor and stack and stack[floor - 1].children and stack[floor - 1].children[-1].number:
            out.append(stack[floor - 1].children[-1].number)  # type: ignore[arg-type]
        return out


_HANDLERS: dict[str, Callable[[TreeBuilder, list[Any], int], None]] = {
    "paragraph_open": TreeBuilder.paragraph_open,
    "heading_open": TreeBuilder.heading_open,
    "list_item_open": TreeBuilder.list_item_open,
    "list_item_close": TreeBuilder.list_item_close,
    "bullet_list_open": TreeBuilder.list_open,
    "ordered_list_open": TreeBuilder.list_open,
    "bullet_list_close": TreeBuilder.list_close,
    "ordered_list_close": TreeBuilder.list_close,
    "table_open": TreeBuilder.table_open,
    "blockquote_open": TreeBuilder.blockquote_open,
    "blockquote_close": TreeBuilder.blockquote_close,
}
"""The block tokens the builder acts on, and how."""


def _arabic(value: int) -> Number:
    """The number markdown gives the item `value` of an ordered list."""
    return Number(f"{value}.", str(value), "", "arabic", value)


def _explicit(content: str) -> tuple[str, str]:
    """Split a trailing `{#id}` from inline content: (content without it, id or '')."""
    if not content.endswith("}") and not content.rstrip().endswith("}"):
        return content, ""
    m = EXPLICIT_ID_RE.search(content)
    if not m:
        return content, ""
    return content[: m.start()], m.group(1)


def _disambiguate(number: Number, around: list[Number]) -> Number:
    """Read `(i)`, `(v)`, `(x)` as letters when they continue a letter sequence, else as roman."""
    other = alternative_style(number)
    if other is None:
        return number
    value = number.value
    for style in (number.style, other):
        want = alpha_value(value) if style.endswith("alpha") else roman_value(value)
        if any(n.style == style and n.ordinal == want - 1 for n in around):
            return as_style(number, style)
    roman = number.style if number.style.endswith("roman") else other
    if any(n.style == roman for n in around):
        return as_style(number, roman)
    return number
