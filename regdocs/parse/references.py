"""Cross-references: find them in clause text, and resolve them to clauses."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator

from regdocs.parse.model import Clause, CrossRef, Document, Number, RefKind

_UNIT_WORDS = {
    "section": "section",
    "sections": "section",
    "article": "article",
    "articles": "article",
    "regulation": "regulation",
    "regulations": "regulation",
    "rule": "rule",
    "rules": "rule",
    "clause": "clause",
    "clauses": "clause",
    "part": "part",
    "parts": "part",
    "chapter": "chapter",
    "chapters": "chapter",
    "schedule": "schedule",
    "schedules": "schedule",
    "annex": "annex",
    "annexes": "annex",
    "appendix": "appendix",
    "\u00a7": "section",
    "\u00a7\u00a7": "section",
}
_NUM = r"(?:[0-9]+[A-Za-z]?(?:\.[0-9]+)*|[A-Z](?![\w'\u2019]))"
_SUB = r"(?:\((?:[0-9]+[A-Za-z]?|[a-z]{1,4}|[A-Z]{1,3})\))"
_ONE = _NUM + _SUB + "*"
_UNIT = (
    r"(?i:\b(sections?|articles?|regulations?|rules?|clauses?|parts?|chapters?|schedules?"
    r"|annex(?:es)?|appendix)\b)|\u00a7\u00a7?"
)
# `, 2`, `and 2`, `, or 2`, `to 2`: written so that a run of blanks can be read one way only
# (`\s*(?:,|,?\s*and|…)\s+` splits a run in n ways: 40 KB of blanks after `section 1` took 7 s).
_MORE = r"\s*+(?:,(?:\s*+(?:and|or))?|and|or|to)\s++" + _ONE
_TEXT_REF_RE = re.compile(
    r"(?:(?i:\b(?:paragraphs?|sub-?paragraphs?|subsections?|points?))\s+(?P<tail>" + _SUB + r"+)\s+of\s+)?"
    r"(?P<unit>" + _UNIT + r")\s*(?P<first>" + _ONE + r")"
    r"(?P<more>(?:" + _MORE + r")*)"
)
_MORE_RE = re.compile(_ONE)
_RELATIVE_RE = re.compile(
    r"(?i:\b(?:paragraphs?|sub-?paragraphs?|subsections?))\s+(?P<tail>" + _SUB + r"+)(?!\s+of\s)"
)
LINK_TEXT = 500
"""Longest link text read as a link to a clause (`[text](#id)`)."""
# Only ever matched at the first `[` of the stretch before a `](` (see `_links`), and the target stops at
# a `]`, so that no two attempts scan the same characters (`[a](#[a](#…` rescanned to the end each time).
_LINK_RE = re.compile(
    r"\[[^\]\n]{0," + str(LINK_TEXT) + r"}\]\(\s*+<?([^)\s>#\]]*+)#([^)\s>\]]+)>?\s*(?:\"[^\"]*+\"\s*+)?\)"
)
_SUB_PART_RE = re.compile(r"\(([^()]+)\)")


def _path(one: str) -> str:
    """Turn `12(2)(b)` into `12.2.b`."""
    head, _, rest = one.partition("(")
    parts = [head.lower()]
    if rest:
        parts.extend(p.lower() for p in _SUB_PART_RE.findall("(" + rest))
    return ".".join(parts)


_KEYWORDS = (
    "section", "article", "regulation", "rule", "clause", "part", "chapter", "schedule", "annex",
    "appendix", "paragraph", "point", "\u00a7",
)  # fmt: skip


def reference_starts(raw: str, block: int = 1 << 20) -> list[int]:
    """Offsets where a reference may start: a keyword at a word start (C-speed scans, no regex).

    Long texts are scanned in blocks cut at line ends: `str.lower()` of a non-ASCII string briefly needs
    12 bytes per character, which for a 20 MB document would be a 240 MB spike.
    """
    if len(raw) <= block:
        return _starts(raw, 0)
    found: list[int] = []
    at = 0
    while at < len(raw):
        end = raw.find("\n", at + block)
        end = len(raw) if end < 0 else end + 1
        found += _starts(raw[at:end], at)
        at = end
    return found


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _starts(raw: str, offset: int) -> list[int]:
    lowered = raw.translate(
        _ASCII_LOWER
    )  # not str.lower(): "İ".lower() is two characters and would shift offsets
    found: list[int] = []
    for word in _KEYWORDS:
        at = lowered.find(word)
        while at >= 0:
            before = lowered[at - 1] if at else " "
            if word == "\u00a7" or not (before.isalnum() or before in "-_"):
                found.append(at)
            elif word in ("section", "paragraph"):  # subsection, sub-paragraph, subparagraph
                sub = at - 4 if lowered.startswith("sub-", at - 4) else at - 3
                if lowered.startswith("sub", sub) and not (
                    sub and (lowered[sub - 1].isalnum() or lowered[sub - 1] in "-_")
                ):
                    found.append(sub)
            at = lowered.find(word, at + len(word))
    found.sort()
    return [offset + f for f in found] if offset else found


def find_refs(raw: str, first_line: int, starts: list[int] | None = None) -> tuple[CrossRef, ...]:
    """Find the cross-references in a clause's source text starting at `first_line`.

    `starts` are the offsets from `reference_starts(raw)` when the caller already has them.
    """
    if starts is None:
        starts = reference_starts(raw)
    if not starts and "](" not in raw:
        return ()
    found: list[tuple[int, CrossRef]] = []
    at = Locator(raw, first_line)
    link_starts: list[int] = []
    link_ends: list[int] = []
    for link in _links(raw):
        link_starts.append(link.start())
        link_ends.append(link.end())
        line, col = at(link.start())
        doc, anchor = link.group(1), link.group(2)
        if doc and not doc.endswith(".md"):
            continue
        found.append((link.start(), CrossRef(RefKind.LINK, f"{doc}#{anchor}", anchor, line, col, doc)))
    done = -1
    for start in starts:
        if start < done:
            continue
        k = bisect_right(link_starts, start) - 1  # links do not overlap: only the last one before can hold it
        if k >= 0 and start < link_ends[k]:
            continue
        m = _TEXT_REF_RE.match(raw, start)
        if m:
            done = m.end()
            unit = _UNIT_WORDS.get(m.group("unit").lower(), "section")
            tail = _path("x" + m.group("tail"))[2:] if m.group("tail") else ""
            ones = [m.group("first")]
            if m.group("more"):
                ones.extend(_MORE_RE.findall(m.group("more")))
            line, col = at(start)
            text = m.group(0).strip()
            for one in ones:
                target = f"{unit} {_path(one)}" + (f" > {tail}" if tail else "")
                found.append((start, CrossRef(RefKind.TEXT, text, target, line, col)))
            continue
        r = _RELATIVE_RE.match(raw, start)
        if r:
            done = r.end()
            line, col = at(start)
            tail = _path("x" + r.group("tail"))[2:]
            found.append((start, CrossRef(RefKind.TEXT, r.group(0), f"relative > {tail}", line, col)))
    found.sort(key=lambda pair: pair[0])
    return tuple(ref for _, ref in found)


def _links(raw: str) -> Iterator[re.Match[str]]:
    """Yield what `_LINK_RE.finditer(raw)` would, trying each `](` once instead of every `[` before it.

    A match ends its text at the first `]` after its `[`, so of the `[`s that reach one `](`, only the
    first within LINK_TEXT characters (and after the previous link) can match, and if it does not, none can.
    """
    done = 0
    close = raw.find("](")
    while close >= 0:
        if close >= done:
            low = max(done, close - LINK_TEXT - 1)
            low = max(low, raw.rfind("]", low, close) + 1, raw.rfind("\n", low, close) + 1)
            open_ = raw.find("[", low, close)
            if open_ >= 0:
                m = _LINK_RE.match(raw, open_)
                if m is not None:
                    yield m
                    done = m.end()
        close = raw.find("](", close + 1)


class Locator:
    """Line and column of offsets in a text: one newline scan, then a binary search per offset.

    Counting the newlines before each offset (`raw.count("\\n", 0, offset)`) is quadratic in a long clause.
    """

    __slots__ = ("_first", "_newlines", "_raw")

    def __init__(self, raw: str, first_line: int) -> None:
        self._raw = raw
        self._first = first_line
        self._newlines: list[int] | None = None

    def __call__(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of `offset`."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._raw)]
        k = bisect_left(self._newlines, offset)  # newlines before the offset
        line_start = self._newlines[k - 1] + 1 if k else 0
        return self._first + k, offset - line_start + 1


class Resolver:
    """Resolve cross-references within one corpus version.

    Numbers are indexed once per document (`_Numbers`): walking the clause tree for each reference is
    O(references × clauses) (58 s of a 62 s outline of the German Civil Code).
    """

    def __init__(self, documents: tuple[Document, ...]) -> None:
        self._documents = documents
        self._by_anchor: dict[str, dict[str, Clause]] = {}
        self._parents: dict[tuple[str, int], Clause] = {}
        self._numbers: dict[int, tuple[Document, _Numbers]] = {}
        for doc in documents:
            anchors: dict[str, Clause] = {}
            for clause in doc.walk():
                for key in (clause.id, *clause.anchors):
                    anchors.setdefault(key, clause)
                for child in clause.children:
                    self._parents[(doc.path, id(child))] = clause
            self._by_anchor[doc.path] = anchors

    def _index(self, doc: Document) -> _Numbers:
        """The number index of `doc`, built on first use."""
        entry = self._numbers.get(id(doc))
        if entry is None or entry[0] is not doc:
            entry = (doc, _Numbers(doc))
            self._numbers[id(doc)] = entry
        return entry[1]

    def resolve(self, doc: Document, clause: Clause, ref: CrossRef) -> Clause | Document | None:
        """Return the clause (or document) a reference points to, or None when it points nowhere."""
        if ref.kind is RefKind.LINK:
            target_path = doc.path
            if ref.document:
                base = doc.path.rsplit("/", 1)[0] + "/" if "/" in doc.path else ""
                target_path = _normpath(base + ref.document)
                if target_path not in self._by_anchor:
                    return None
            return self._by_anchor[target_path].get(ref.target)
        if ref.target.startswith("relative > "):
            index = self._index(doc)
            path = tuple(ref.target.split(" > ", 1)[1].split("."))
            node: Clause | None = clause
            while node is not None:
                hit = index.below(node, path)
                if hit is not None:
                    return hit
                node = self._parents.get((doc.path, id(node)))
            return None
        head, _, tail = ref.target.partition(" > ")
        unit, _, path_text = head.partition(" ")
        for owner, found in self._find_unit(doc, unit, path_text.split(".")):
            if not tail:
                return found
            hit = self._index(owner).below(found, tuple(tail.split(".")))
            if hit is not None:
                return hit
        return None

    def _find_unit(self, doc: Document, unit: str, path: list[str]) -> Iterator[tuple[Document, Clause]]:
        """Yield what `unit path` may name (and its document), most likely first (outermost clauses first)."""
        if unit in ("schedule", "annex", "appendix"):
            for d in [doc] + [d for d in self._documents if d is not doc]:
                for top in d.clauses:
                    n = top.number
                    if n and n.unit == unit and n.value == path[0]:
                        hit = _descend(top, path[1:])
                        if hit is not None:
                            yield d, hit
            return
        for hit in self._index(doc).named(unit, tuple(path)):
            yield doc, hit


_PLAIN = "plain"
"""Index group of the clauses `section N` may mean whatever their unit (see `_plain_ok`)."""


class _Numbers:
    """Where a number path (`12.2.b`) leads in one document, from every clause it can start at.

    `_descend(start, rest)` follows the first child numbered like each step, so a clause is reached
    from at most one start per ancestor: O(clauses × depth) entries, and a reference is resolved by a
    dictionary look-up and a binary search instead of a walk over the whole tree.
    """

    __slots__ = ("_by_start", "_order", "_paths")

    def __init__(self, doc: Document) -> None:
        self._order: dict[int, tuple[int, int]] = {}  # id(clause) -> (preorder position, end of subtree)
        numbered: list[Clause] = []
        place: dict[int, tuple[int, int]] = {}  # id(numbered clause) -> (depth, preorder position)
        parent_of: dict[int, Clause] = {}
        first: dict[tuple[int, str], Clause] = {}  # (id(parent), number) -> its first child so numbered
        at = 0

        def visit(clause: Clause, depth: int) -> None:
            nonlocal at
            me = at
            at += 1
            if clause.number is not None:
                numbered.append(clause)
                place[id(clause)] = (depth, me)
            for child in clause.children:
                parent_of[id(child)] = clause
                if child.number is not None:
                    first.setdefault((id(clause), child.number.value), child)
                visit(child, depth + 1)
            self._order[id(clause)] = (me, at)

        for top in doc.clauses:
            visit(top, 0)
        paths: dict[tuple[str, ...], list[tuple[int, Clause]]] = defaultdict(list)
        by_start: dict[tuple[tuple[str, ...], str], list[tuple[int, int, Clause]]] = defaultdict(list)
        for target in numbered:
            assert target.number is not None
            path: tuple[str, ...] = (target.number.value,)
            start = target
            while True:  # from `start`, `_descend(start, path[1:])` reaches `target`
                depth, pos = place[id(start)]
                n = start.number
                assert n is not None
                paths[path].append((pos, target))
                by_start[(path, n.unit)].append((depth, pos, target))
                if _plain_ok(n):
                    by_start[(path, _PLAIN)].append((depth, pos, target))
                up = parent_of.get(id(start))
                if up is None or up.number is None or first.get((id(up), n.value)) is not start:
                    break
                path = (up.number.value, *path)
                start = up
        self._paths = {}
        for key, found in paths.items():
            found.sort(key=lambda e: e[0])
            self._paths[key] = ([pos for pos, _ in found], [c for _, c in found])
        for starts in by_start.values():
            starts.sort(key=lambda e: (e[0], e[1]))
        self._by_start = dict(by_start)

    def named(self, unit: str, path: tuple[str, ...]) -> Iterator[Clause]:
        """Where `path` leads from each clause `unit path[0]` may mean, outermost first, then in order."""
        lists = [self._by_start.get((path, unit), [])]
        if unit not in ("part", "chapter"):
            lists.append(self._by_start.get((path, _PLAIN), []))
        last = -1
        for _, pos, target in heapq.merge(*lists, key=lambda e: (e[0], e[1])):
            if pos != last:  # a start can be in both lists
                last = pos
                yield target

    def below(self, clause: Clause, path: tuple[str, ...]) -> Clause | None:
        """Where `path` leads from the first clause below `clause` (in document order) it can start at."""
        found = self._paths.get(path)
        span = self._order.get(id(clause))
        if found is None or span is None:
            return None
        positions, targets = found
        k = bisect_right(positions, span[0])  # strictly below the clause itself
        return targets[k] if k < len(positions) and positions[k] < span[1] else None


def _plain_ok(n: Number) -> bool:
    """A number `section N` may mean whatever its unit word: plain (`3.`, `2.1`, `(A)`), section, article."""
    return n.unit in ("", "section", "article") and n.style in ("arabic", "dotted", "upper-alpha")


def _descend(clause: Clause, path: list[str]) -> Clause | None:
    """Follow direct children by number: `[2, b]` from section 12 to 12(2)(b)."""
    node = clause
    for step in path:
        nxt = next((c for c in node.children if c.number and c.number.value == step), None)
        if nxt is None:
            return None
        node = nxt
    return node


def _normpath(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    return "/".join(parts)
