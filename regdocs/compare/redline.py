"""Word-level redlines: tokens, an edit script between two texts, and its readable clean-up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)


class Op(Enum):
    """What a redline segment does."""

    EQUAL = "equal"
    INSERT = "insert"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text that is kept, inserted or deleted."""

    op: Op
    """Keep, insert or delete."""
    text: str
    """The text of the run."""


def tokenize(text: str) -> list[str]:
    """Split text into words, numbers, whitespace runs and single punctuation marks."""
    return _TOKEN_RE.findall(text)


_WORD_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def word_tokens(text: str) -> list[str]:
    """The tokens of `text` that are not whitespace (as `tokenize` without the blanks, in one pass)."""
    return _WORD_TOKEN_RE.findall(text)


WORD_LIMIT = 4_000_000
"""Largest token-count product word-diffed in one go: the edit script's memory grows with the product."""
_CHUNK_RE = re.compile(r"[^\n.;]*(?:[.;]\s*|\n+|$)")


def redline(old: str, new: str) -> tuple[Segment, ...]:
    """Return the edit script turning `old` into `new`, cleaned up for reading."""
    if old == new:
        return (Segment(Op.EQUAL, old),) if old else ()
    if not old or not new:  # all inserted or all deleted: nothing to align (10,000 added clauses: 0.3 s)
        return (Segment(Op.INSERT, new),) if new else (Segment(Op.DELETE, old),)
    a, b = tokenize(old), tokenize(new)
    if len(a) * len(b) > WORD_LIMIT:
        return _tidy(_coarse(old, new))
    raw = _opcodes(a, b)
    return _tidy(raw)


def redline_with_similarity(old: str, new: str) -> tuple[tuple[Segment, ...], float]:
    """`redline(old, new)` and `similarity(old, new)`, tokenising and aligning the two texts once."""
    if old == new or not old or not new:
        return redline(old, new), 1.0 if old == new else 0.0
    a, b = tokenize(old), tokenize(new)
    ids: dict[str, int] = {}
    ia = [ids.setdefault(t, len(ids)) for t in a]
    ib = [ids.setdefault(t, len(ids)) for t in b]
    if len(a) * len(b) > WORD_LIMIT:
        return _tidy(_coarse(old, new)), _similarity_ids(ia, ib)
    spans = _spans(ia, ib)
    kept = sum(i2 - i1 for tag, i1, i2, _, _ in spans if tag == "equal")
    total = len(a) + len(b)
    # what Indel.normalized_similarity gives: 1 - (insertions + deletions) / (len(a) + len(b))
    return _tidy(_edits(a, b, spans)), 1.0 - (total - 2 * kept) / total


def _coarse(old: str, new: str) -> list[tuple[Op, str]]:
    """Huge clauses: align sentences first, then word-diff each changed pair of stretches that is small enough."""
    ca = [c for c in _CHUNK_RE.findall(old) if c]
    cb = [c for c in _CHUNK_RE.findall(new) if c]
    ids: dict[str, int] = {}
    ia = [ids.setdefault(c, len(ids)) for c in ca]
    ib = [ids.setdefault(c, len(ids)) for c in cb]
    out: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in _spans(ia, ib):
        left, right = "".join(ca[i1:i2]), "".join(cb[j1:j2])
        if tag == "equal":
            out.append((Op.EQUAL, left))
            continue
        ta, tb = tokenize(left), tokenize(right)
        if left and right and len(ta) * len(tb) <= WORD_LIMIT:
            out.extend(_opcodes(ta, tb))
            continue
        if left:
            out.append((Op.DELETE, left))
        if right:
            out.append((Op.INSERT, right))
    return out


def _spans(ia: list[int], ib: list[int]) -> list[tuple[str, int, int, int, int]]:
    """rapidfuzz's Indel opcodes as plain tuples (tag, i1, i2, j1, j2)."""
    from rapidfuzz.distance import Indel

    return [
        (str(op.tag), int(op.src_start), int(op.src_end), int(op.dest_start), int(op.dest_end))
        for op in Indel.opcodes(ia, ib)
    ]


def _opcodes(a: list[str], b: list[str]) -> list[tuple[Op, str]]:
    """Token-level edit script: rapidfuzz's Indel opcodes on token ids."""
    ids: dict[str, int] = {}
    ia = [ids.setdefault(t, len(ids)) for t in a]
    ib = [ids.setdefault(t, len(ids)) for t in b]
    return _edits(a, b, _spans(ia, ib))


def _edits(a: list[str], b: list[str], spans: list[tuple[str, int, int, int, int]]) -> list[tuple[Op, str]]:
    """The edit script of token lists `a` and `b` from their opcodes."""
    out: list[tuple[Op, str]] = []
    for tag, i1, i2, j1, j2 in spans:
        if tag == "equal":
            out.append((Op.EQUAL, "".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append((Op.DELETE, "".join(a[i1:i2])))
        if j2 > j1:
            out.append((Op.INSERT, "".join(b[j1:j2])))
    return out


def _is_island(text: str) -> bool:
    """A kept run too small to read on its own between two changes: blanks, one letter, a mark."""
    stripped = text.strip()
    return not stripped or len(stripped) <= 1 or stripped in ("the", "a", "an", "of", "to")


def _tidy(ops: list[tuple[Op, str]]) -> tuple[Segment, ...]:
    """Fold small equal islands into the surrounding change and group deletions before insertions."""
    changed = True
    while changed:
        changed = False
        for k in range(1, len(ops) - 1):
            op, text = ops[k]
            if (
                op is Op.EQUAL
                and ops[k - 1][0] is not Op.EQUAL
                and ops[k + 1][0] is not Op.EQUAL
                and _is_island(text)
            ):
                ops[k : k + 1] = [(Op.DELETE, text), (Op.INSERT, text)]
                changed = True
                break
    # merge runs: within each stretch between equals, all deletions then all insertions
    segments: list[Segment] = []
    dele: list[str] = []
    ins: list[str] = []

    def flush() -> None:
        if dele:
            segments.append(Segment(Op.DELETE, "".join(dele)))
        if ins:
            segments.append(Segment(Op.INSERT, "".join(ins)))
        dele.clear()
        ins.clear()

    for op, text in ops:
        if not text:
            continue
        if op is Op.EQUAL:
            flush()
            if segments and segments[-1].op is Op.EQUAL:
                segments[-1] = Segment(Op.EQUAL, segments[-1].text + text)
            else:
                segments.append(Segment(Op.EQUAL, text))
        elif op is Op.DELETE:
            dele.append(text)
        else:
            ins.append(text)
    flush()
    return tuple(segments)


def apply_old(segments: tuple[Segment, ...]) -> str:
    """Rebuild the old text from a redline."""
    return "".join(s.text for s in segments if s.op is not Op.INSERT)


def apply_new(segments: tuple[Segment, ...]) -> str:
    """Rebuild the new text from a redline (applying the edit script to the old text)."""
    return "".join(s.text for s in segments if s.op is not Op.DELETE)


def similarity(old: str, new: str) -> float:
    """Word-level similarity in [0, 1] (normalised Indel on tokens)."""
    a, b = tokenize(old), tokenize(new)
    if not a and not b:
        return 1.0
    ids: dict[str, int] = {}
    return _similarity_ids([ids.setdefault(t, len(ids)) for t in a], [ids.setdefault(t, len(ids)) for t in b])


def _similarity_ids(a: list[int], b: list[int]) -> float:
    from rapidfuzz.distance import Indel

    return float(Indel.normalized_similarity(a, b))
