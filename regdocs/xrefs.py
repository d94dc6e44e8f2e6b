"""Cross-references: find them in clause text, and resolve them to clauses."""

from __future__ import annotations

import re
from collections.abc import Iterator

from regdocs.model import Clause, CrossRef, Document, RefKind

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
_TEXT_REF_RE = re.compile(
    r"(?:(?i:\b(?:paragraphs?|sub-?paragraphs?|subsections?|points?))\s+(?P<tail>" + _SUB + r"+)\s+of\s+)?"
    r"(?P<unit>" + _UNIT + r")\s*(?P<first>" + _ONE + r")"
    r"(?P<more>(?:\s*(?:,|,?\s*and|,?\s*or|to)\s+" + _ONE + r")*)"
)
_MORE_RE = re.compile(_ONE)
_RELATIVE_RE = re.compile(
    r"(?i:\b(?:paragraphs?|sub-?paragraphs?|subsections?))\s+(?P<tail>" + _SUB + r"+)(?!\s+of\s)"
)
_LINK_RE = re.compile(r"\[[^\]\n]{0,500}\]\(\s*<?([^)\s>#]*)#([^)\s>]+)>?\s*(?:\"[^\"]*\"\s*)?\)")
_SUB_PART_RE = re.compile(r"\(([^)]+)\)")


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

    def at(offset: int) -> tuple[int, int]:
        line = first_line + raw.count("\n", 0, offset)
        col = offset - (raw.rfind("\n", 0, offset) + 1) + 1
        return line, col

    links: list[tuple[int, int]] = []
    if "](" in raw:
        for link in _LINK_RE.finditer(raw):
            links.append((link.start(), link.end()))
            line, col = at(link.start())
            doc, anchor = link.group(1), link.group(2)
            if doc and not doc.endswith(".md"):
                continue
            found.append((link.start(), CrossRef(RefKind.LINK, f"{doc}#{anchor}", anchor, line, col, doc)))
    done = -1
    for start in starts:
        if start < done or any(a <= start < b for a, b in links):
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


class Resolver:
    """Resolve cross-references within one corpus version."""

    def __init__(self, documents: tuple[Document, ...]) -> None:
        self._documents = documents
        self._by_anchor: dict[str, dict[str, Clause]] = {}
        self._parents: dict[tuple[str, int], Clause] = {}
        for doc in documents:
            anchors: dict[str, Clause] = {}
            for clause in doc.walk():
                for key in (clause.id, *clause.anchors):
                    anchors.setdefault(key, clause)
                for child in clause.children:
                    self._parents[(doc.path, id(child))] = clause
            self._by_anchor[doc.path] = anchors

    def resolve(self, doc: Document, clause: Clause, ref: CrossRef) -> Clause | Document | None:
        """Return the clause (or document) a reference points to, or None when it points nowhere."""
        if ref.kind is RefKind.LINK:
            target_doc = doc
            if ref.document:
                base = doc.path.rsplit("/", 1)[0] + "/" if "/" in doc.path else ""
                wanted = _normpath(base + ref.document)
                target_doc = next((d for d in self._documents if d.path == wanted), None)  # type: ignore[assignment]
                if target_doc is None:
                    return None
            return self._by_anchor[target_doc.path].get(ref.target)
        if ref.target.startswith("relative > "):
            path = ref.target.split(" > ", 1)[1].split(".")
            node: Clause | None = clause
            while node is not None:
                hit = _descend_any(node, path)
                if hit is not None:
                    return hit
                node = self._parents.get((doc.path, id(node)))
            return None
        head, _, tail = ref.target.partition(" > ")
        unit, _, path_text = head.partition(" ")
        for found in self._find_unit(doc, unit, path_text.split(".")):
            if not tail:
                return found
            tops = found.clauses if isinstance(found, Document) else (found,)
            for top in tops:
                hit = _descend_any(top, tail.split("."))
                if hit is not None:
                    return hit
        return None

    def _find_unit(self, doc: Document, unit: str, path: list[str]) -> Iterator[Clause | Document]:
        """Yield what `unit path` may name, most likely first (outermost clauses first)."""
        docs = [doc] + [d for d in self._documents if d is not doc]
        if unit in ("schedule", "annex", "appendix"):
            for d in docs:
                for top in d.clauses:
                    n = top.number
                    if n and n.unit == unit and n.value == path[0]:
                        hit = _descend(top, path[1:])
                        if hit is not None:
                            yield hit
            return
        for top_clause in _numbered(doc, unit, path[0]):
            hit = _descend(top_clause, path[1:])
            if hit is not None:
                yield hit


def _numbered(doc: Document, unit: str, value: str) -> list[Clause]:
    """Return clauses numbered `value` that a reference to `unit` may mean, outermost first."""
    plain_ok = unit not in ("part", "chapter")
    found: list[tuple[int, int, Clause]] = []
    stack = [(c, 0) for c in reversed(doc.clauses)]
    order = 0
    while stack:
        clause, depth = stack.pop()
        order += 1
        stack.extend((k, depth + 1) for k in reversed(clause.children))
        n = clause.number
        if n is None or n.value != value:
            continue
        if n.unit == unit or (
            plain_ok
            and n.unit in ("", "section", "article")
            and n.style in ("arabic", "dotted", "upper-alpha")
        ):
            found.append((depth, order, clause))
    found.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in found]


def _descend(clause: Clause, path: list[str]) -> Clause | None:
    """Follow direct children by number: `[2, b]` from section 12 to 12(2)(b)."""
    node = clause
    for step in path:
        nxt = next((c for c in node.children if c.number and c.number.value == step), None)
        if nxt is None:
            return None
        node = nxt
    return node


def _descend_any(clause: Clause, path: list[str]) -> Clause | None:
    """Find the path below `clause` at any depth, nearest first."""
    for node in clause.walk():
        if node is clause:
            continue
        if node.number and node.number.value == path[0]:
            hit = _descend(node, path[1:])
            if hit is not None:
                return hit
    return None


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
