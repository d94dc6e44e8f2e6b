"""Pair the clauses of two versions of a document: ids, identical text, similarity, splits and merges, moves."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import Enum

from regdocs.model import Clause, Document, IdSource
from regdocs.redline import tokenize

SIMILAR = 60
"""Minimum token similarity (0-100, with context bonus) to call two clauses the same clause reworded."""
UNCERTAIN = 40
"""Below SIMILAR but at least this: reported as a possible match, never silently paired."""
COVER = 0.8
"""Share of a piece's words that must appear in the whole for a split or merge."""
_BONUS_ID = 12
_BONUS_PARENT = 8
_EMPHASIS_RE = re.compile(r"(?<!\w)[*_]+|[*_]+(?!\w)")
_WORD_RE = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "and",
        "or",
        "in",
        "on",
        "for",
        "by",
        "be",
        "is",
        "are",
        "any",
        "that",
        "this",
        "with",
        "as",
        "at",
        "from",
        "its",
        "it",
    ]
)


class Method(Enum):
    """How a pair was found."""

    ID = "id"
    TEXT = "text"
    SIMILARITY = "similarity"
    SPLIT = "split"
    MERGE = "merge"


@dataclass(frozen=True, slots=True)
class Node:
    """A clause in a flattened document, with its place."""

    clause: Clause
    """The clause."""
    index: int
    """Position in document order."""
    parent: int
    """Index of the parent clause, -1 for top level."""
    ancestors: tuple[Clause, ...]
    """Outermost first, excluding the clause."""


@dataclass(slots=True)
class Alignment:
    """The result of aligning two documents (indices into `old` and `new`)."""

    old: list[Node]
    """Old clauses in document order."""
    new: list[Node]
    """New clauses in document order."""
    pairs: dict[int, tuple[int, Method, float]] = field(default_factory=dict)
    """old index -> (new index, method, similarity 0-1)."""
    splits: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """old index -> new indices it was split into (one of them may also be in `pairs`)."""
    merges: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """new index -> old indices merged into it."""
    moved: set[int] = field(default_factory=set)
    """Old indices of pairs whose clause moved (new parent, or out of order among siblings)."""
    candidates: dict[tuple[str, int], tuple[int, float]] = field(default_factory=dict)
    """('old'|'new', index) -> (best index on the other side, similarity) for unpaired clauses."""


def flatten(doc: Document) -> list[Node]:
    """List a document's clauses in document order with parent indices."""
    out: list[Node] = []

    def visit(clause: Clause, parent: int, ancestors: tuple[Clause, ...]) -> None:
        me = len(out)
        out.append(Node(clause, me, parent, ancestors))
        for child in clause.children:
            visit(child, me, (*ancestors, clause))

    for top in doc.clauses:
        visit(top, -1, ())
    return out


def content(clause: Clause) -> str:
    """The words a reader compares: title and text, whitespace collapsed."""
    return " ".join(f"{clause.title} {clause.text}".split())


def plain(clause: Clause) -> str:
    """Content without emphasis markers: equal plain texts differ only in formatting."""
    return " ".join(_EMPHASIS_RE.sub("", content(clause)).split())


def align(old_doc: Document, new_doc: Document) -> Alignment:
    """Pair every clause of `old_doc` with its counterpart in `new_doc` where there is one."""
    result = Alignment(flatten(old_doc), flatten(new_doc))
    old, new = result.old, result.new
    used_new: set[int] = set()

    def pair(i: int, j: int, method: Method, score: float) -> None:
        result.pairs[i] = (j, method, score)
        used_new.add(j)

    # 1. same explicit id
    explicit_new = {n.clause.id: n.index for n in new if n.clause.id_source is IdSource.EXPLICIT}
    for o in old:
        if o.clause.id_source is IdSource.EXPLICIT and o.clause.id in explicit_new:
            j = explicit_new[o.clause.id]
            if j not in used_new:
                pair(o.index, j, Method.ID, 1.0)
    # 2. identical text (formatting ignored): unique texts first, then same id among repeats
    old_by: dict[str, list[int]] = defaultdict(list)
    new_by: dict[str, list[int]] = defaultdict(list)
    for o in old:
        if o.index not in result.pairs and content(o.clause):
            old_by[plain(o.clause)].append(o.index)
    for n in new:
        if n.index not in used_new and content(n.clause):
            new_by[plain(n.clause)].append(n.index)
    for key, olds in old_by.items():
        news = new_by.get(key)
        if not news:
            continue
        if len(olds) == 1 and len(news) == 1:
            pair(olds[0], news[0], Method.TEXT, 1.0)
            continue
        by_id = {new[j].clause.id: j for j in news}
        for i in olds:
            j2 = by_id.get(old[i].clause.id)
            if j2 is not None and j2 not in used_new:
                pair(i, j2, Method.TEXT, 1.0)
    # 3. similarity on what is left (rapidfuzz cdist over token ids), context as a tie-breaker
    _similar(result, used_new, pair)
    # 4. splits and merges
    _splits_and_merges(result, used_new)
    # 5. moves
    _moves(result)
    return result


def _token_ids(nodes: list[Node], idx: list[int], vocab: dict[str, int]) -> list[list[int]]:
    return [
        [vocab.setdefault(t, len(vocab)) for t in tokenize(content(nodes[i].clause)) if not t.isspace()]
        for i in idx
    ]


def _similar(result: Alignment, used_new: set[int], pair) -> None:  # type: ignore[no-untyped-def]
    old, new = result.old, result.new
    rest_old = [o.index for o in old if o.index not in result.pairs]
    rest_new = [n.index for n in new if n.index not in used_new]
    if not rest_old or not rest_new:
        return
    import numpy as np
    from rapidfuzz import fuzz, process

    vocab: dict[str, int] = {}
    a = _token_ids(old, rest_old, vocab)
    b = _token_ids(new, rest_new, vocab)
    floor = UNCERTAIN - _BONUS_ID - _BONUS_PARENT
    matrix = process.cdist(a, b, scorer=fuzz.ratio, dtype=np.uint8, workers=-1, score_cutoff=max(floor, 1))
    rows, cols = np.nonzero(matrix)
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    scored: list[tuple[float, float, int, int]] = []
    n_old, n_new = max(len(old), 1), max(len(new), 1)
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        i, j = rest_old[r], rest_new[c]
        score = float(matrix[r, c])
        if score >= SIMILAR - _BONUS_ID - _BONUS_PARENT:  # context only tips clauses that are already close
            if old[i].clause.id == new[j].clause.id:
                score += _BONUS_ID
            po, pn = old[i].parent, new[j].parent
            if (po == -1 and pn == -1) or (po >= 0 and partner.get(po) == pn):
                score += _BONUS_PARENT
        distance = abs(i / n_old - j / n_new)
        scored.append((-score, distance, i, j))
    scored.sort()
    best_old: dict[int, tuple[int, float]] = {}
    best_new: dict[int, tuple[int, float]] = {}
    for neg, _, i, j in scored:
        raw = -neg
        best_old.setdefault(i, (j, raw))
        best_new.setdefault(j, (i, raw))
        if -neg < SIMILAR or i in result.pairs or j in used_new:
            continue
        pair(i, j, Method.SIMILARITY, min(raw, 100.0) / 100)
    for i, (j, s) in best_old.items():
        if i not in result.pairs and s >= UNCERTAIN:
            result.candidates[("old", i)] = (j, min(s, 100.0) / 100)
    for j, (i, s) in best_new.items():
        if j not in used_new and s >= UNCERTAIN:
            result.candidates[("new", j)] = (i, min(s, 100.0) / 100)


def _words(clause: Clause) -> Counter[str]:
    return Counter(w for w in _WORD_RE.findall(content(clause).lower()) if w not in _STOP)


def _cover(piece: Counter[str], whole: Counter[str]) -> float:
    total = sum(piece.values())
    return sum(min(c, whole[w]) for w, c in piece.items()) / total if total else 0.0


def _best_container(piece: Counter[str], index: dict[str, list[int]], bags: dict[int, Counter[str]],
                   near: float, size: int) -> tuple[int, float]:
    """The clause on the other side that best contains `piece` (ties: the nearest in position)."""
    rare = sorted(piece, key=lambda w: len(index.get(w, ())))[:6]
    votes: Counter[int] = Counter()
    for w in rare:
        posting = index.get(w, ())
        if len(posting) <= 5000:
            votes.update(posting)
    if not votes:
        return -1, 0.0
    top = votes.most_common(1)[0][1]
    best, best_key = -1, (0.0, 0.0)
    for k, v in votes.items():
        if v < top - 1:
            continue
        key = (round(_cover(piece, bags[k]), 2), -abs(k / size - near))
        if key > best_key:
            best, best_key = k, key
    return best, best_key[0]


def _splits_and_merges(result: Alignment, used_new: set[int]) -> None:
    old, new = result.old, result.new
    old_bags = {o.index: _words(o.clause) for o in old}
    new_bags = {n.index: _words(n.clause) for n in new}
    old_index: dict[str, list[int]] = defaultdict(list)
    new_index: dict[str, list[int]] = defaultdict(list)
    for i, bag in old_bags.items():
        for w in bag:
            old_index[w].append(i)
    for j, bag in new_bags.items():
        for w in bag:
            new_index[w].append(j)
    # split: unpaired new pieces covered by one old clause, together covering it
    pieces: dict[int, list[int]] = defaultdict(list)
    for n in new:
        j = n.index
        if j in used_new or sum(new_bags[j].values()) < 4:
            continue
        i, cover = _best_container(new_bags[j], old_index, old_bags, j / max(len(new), 1), max(len(old), 1))
        if i >= 0 and cover >= COVER:
            pieces[i].append(j)
    for i, found in pieces.items():
        group = sorted(set(found + ([result.pairs[i][0]] if i in result.pairs else [])))
        if len(group) < 2:
            continue
        union: Counter[str] = Counter()
        for j in group:
            union |= new_bags[j]
        if _cover(old_bags[i], union) >= COVER:
            result.splits[i] = tuple(group)
            used_new.update(group)
            result.pairs.pop(i, None)
    # merge: unpaired old pieces covered by one new clause, together covering it
    parts: dict[int, list[int]] = defaultdict(list)
    for o in old:
        i = o.index
        if i in result.pairs or i in result.splits or sum(old_bags[i].values()) < 4:
            continue
        j, cover = _best_container(old_bags[i], new_index, new_bags, i / max(len(old), 1), max(len(new), 1))
        if j >= 0 and cover >= COVER:
            parts[j].append(i)
    by_new = {j: i for i, (j, _, _) in result.pairs.items()}
    for j, found in parts.items():
        group = sorted(set(found + ([by_new[j]] if j in by_new else [])))
        if len(group) < 2:
            continue
        union = Counter()
        for i in group:
            union |= old_bags[i]
        if _cover(new_bags[j], union) >= COVER:
            result.merges[j] = tuple(group)
            for i in group:
                result.pairs.pop(i, None)
            used_new.add(j)


def _moves(result: Alignment) -> None:
    """Moved = paired under a parent that is not the old parent's partner, or out of order among siblings."""
    old, new = result.old, result.new
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    groups: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for i, j in partner.items():
        po, pn = old[i].parent, new[j].parent
        same_parent = (po == -1 and pn == -1) or (po >= 0 and partner.get(po) == pn)
        if not same_parent:
            result.moved.add(i)
        else:
            groups[pn].append((j, i))
    for members in groups.values():
        members.sort()
        keep = _lis([i for _, i in members])
        for _, i in members:
            if i not in keep:
                result.moved.add(i)


def _lis(seq: list[int]) -> set[int]:
    """Values on one longest increasing subsequence (patience sorting, O(n log n))."""
    from bisect import bisect_left

    tails: list[int] = []
    tails_at: list[int] = []
    prev: list[int] = [-1] * len(seq)
    for k, v in enumerate(seq):
        pos = bisect_left(tails, v)
        if pos == len(tails):
            tails.append(v)
            tails_at.append(k)
        else:
            tails[pos] = v
            tails_at[pos] = k
        prev[k] = tails_at[pos - 1] if pos else -1
    out: set[int] = set()
    k = tails_at[-1] if tails_at else -1
    while k >= 0:
        out.add(seq[k])
        k = prev[k]
    return out
