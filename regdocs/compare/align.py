"""Pair the clauses of two versions of a document: ids, identical text, similarity, splits and merges, moves."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Any

from regdocs.compare.redline import tokenize
from regdocs.parse.model import Clause, Document, IdSource

SIMILAR = 60
"""Minimum token similarity (0-100, with context bonus) to call two clauses the same clause reworded."""
UNCERTAIN = 40
"""Below SIMILAR but at least this: reported as a possible match, never silently paired."""
COVER = 0.8
"""Share of a piece's words that must appear in the whole for a split or merge."""
_BONUS_ID = 12
_BONUS_PARENT = 8
_WORD_CHAR_RE = re.compile(r"\w")
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
    text: str = ""
    """`content(clause)`, computed once."""


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
    old_at: dict[str, int] = field(default_factory=dict)
    """Old clause id -> index."""
    new_at: dict[str, int] = field(default_factory=dict)
    """New clause id -> index."""


PREAMBLE = "_preamble"
"""Id of the pseudo-clause holding a document's text before its first clause."""


def preamble_clause(doc: Document) -> Clause | None:
    """The text before the first clause as a clause of its own, so that its changes are diffed too."""
    if not doc.preamble:
        return None
    from regdocs.parse.model import ClauseKind

    start = doc.front_matter_lines + 1
    return Clause(
        PREAMBLE,
        IdSource.DERIVED,
        None,
        "",
        doc.preamble,
        ClauseKind.PARAGRAPH,
        0,
        doc.path,
        start,
        start + doc.preamble.count("\n"),
    )


def flatten(doc: Document) -> list[Node]:
    """List a document's clauses in document order with parent indices (the preamble first, if any)."""
    out: list[Node] = []
    pre = preamble_clause(doc)
    if pre is not None:
        out.append(Node(pre, 0, -1, (), content(pre)))

    def visit(clause: Clause, parent: int, ancestors: tuple[Clause, ...]) -> None:
        me = len(out)
        out.append(Node(clause, me, parent, ancestors, content(clause)))
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
    return _plain_text(content(clause))


def _plain_text(text: str) -> str:
    if "*" not in text and "_" not in text:
        return text
    return " ".join(strip_marks(text, "*_").split())


@lru_cache(maxsize=8)
def _marks_re(marks: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(marks) + "]++")


def strip_marks(text: str, marks: str) -> str:
    """Remove what `(?<!\\w)[marks]+|[marks]+(?!\\w)` matches, in linear time.

    That pattern backtracks quadratically on `a____…b` (40 KB took 308 s to diff), so each run of marks
    is worked out on its own: after a position whose left neighbour is not a word character, the rest of
    the run goes; else the stretch up to the farthest position whose right neighbour is not one goes.
    """
    wordy = "".join(c for c in marks if _WORD_CHAR_RE.match(c))

    def unmark(m: re.Match[str]) -> str:
        run, whole = m.group(), m.string
        before = m.start() > 0 and _WORD_CHAR_RE.match(whole, m.start() - 1) is not None
        after = m.end() < len(whole) and _WORD_CHAR_RE.match(whole, m.end()) is not None
        end = len(run) if not after else len(run.rstrip(wordy)) - 1  # the farthest non-word mark
        at = 0
        while at < len(run):
            if not (before if at == 0 else run[at - 1] in wordy):
                return ""  # nothing kept: the rest of the run goes
            if end > at:
                at = end  # the stretch up to `end` goes
                continue
            rest = run[at:].lstrip(wordy)  # kept up to and including the next non-word mark, the rest goes
            return run[at : len(run) - len(rest) + 1]
        return ""

    return _marks_re(marks).sub(unmark, text)


def align(old_doc: Document, new_doc: Document) -> Alignment:
    """Pair every clause of `old_doc` with its counterpart in `new_doc` where there is one."""
    result = Alignment(flatten(old_doc), flatten(new_doc))
    old, new = result.old, result.new
    result.old_at = {n.clause.id: n.index for n in old}
    result.new_at = {n.clause.id: n.index for n in new}
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
        if o.index not in result.pairs and o.text:
            old_by[_plain_text(o.text)].append(o.index)
    for n in new:
        if n.index not in used_new and n.text:
            new_by[_plain_text(n.text)].append(n.index)
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
    # 3. same derived id under the same parent and still similar: reworded in place (cheap, no matrix)
    _in_place(result, used_new, pair)
    # 4. similarity among siblings, then on everything left (rapidfuzz cdist over token ids)
    _local(result, used_new, pair)
    _similar(result, used_new, pair)
    # 5. splits and merges
    _splits_and_merges(result, used_new)
    # 6. moves
    _moves(result)
    return result


def _in_place(result: Alignment, used_new: set[int], pair: Callable[[int, int, Method, float], None]) -> None:
    """Pair a clause with the unpaired clause of the same derived id under its old parent's partner when similar.

    Most rewording happens in place, so this leaves cdist only the clauses that moved, came or went.
    """
    from rapidfuzz.distance import Indel

    old, new = result.old, result.new
    free_new = {n.clause.id: n for n in new if n.index not in used_new}
    if not free_new:
        return
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    for o in old:
        if o.index in result.pairs:
            continue
        n = free_new.get(o.clause.id)
        if n is None or n.index in used_new:
            continue
        if not ((o.parent == -1 and n.parent == -1) or (o.parent >= 0 and partner.get(o.parent) == n.parent)):
            continue
        vocab: dict[str, int] = {}
        a = [vocab.setdefault(t, len(vocab)) for t in tokenize(o.text) if not t.isspace()]
        b = [vocab.setdefault(t, len(vocab)) for t in tokenize(n.text) if not t.isspace()]
        score = Indel.normalized_similarity(a, b) * 100
        if score >= SIMILAR + 10:
            pair(o.index, n.index, Method.SIMILARITY, score / 100)
            partner[o.index] = n.index


def _token_ids(nodes: list[Node], idx: list[int], vocab: dict[str, int]) -> list[list[int]]:
    return [
        [vocab.setdefault(t, len(vocab)) for t in tokenize(content(nodes[i].clause)) if not t.isspace()]
        for i in idx
    ]


def _local(result: Alignment, used_new: set[int], pair: Callable[[int, int, Method, float], None]) -> None:
    """Similarity among the unpaired children of each pair of partnered parents: small matrices, most rewording."""
    old, new = result.old, result.new
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    olds: dict[int, list[int]] = defaultdict(list)
    news: dict[int, list[int]] = defaultdict(list)
    for o in old:
        if o.index not in result.pairs and o.parent >= 0 and o.parent in partner:
            olds[partner[o.parent]].append(o.index)
    for n in new:
        if n.index not in used_new and n.parent >= 0:
            news[n.parent].append(n.index)
    for parent, group in olds.items():
        if parent in news:
            subset = (group, [j for j in news[parent] if j not in used_new])
            _similar(result, used_new, pair, subset, record=False, partner=partner)


_Queues = dict[int, list[tuple[float, float, int, int]]]
"""Row -> its kept cells as (-score, distance, old index, new index), best last."""


def _similar(
    result: Alignment,
    used_new: set[int],
    pair: Callable[[int, int, Method, float], None],
    subset: tuple[list[int], list[int]] | None = None,
    *,
    record: bool = True,
    partner: dict[int, int] | None = None,
) -> None:
    """Pair the best-matching remaining clauses above SIMILAR; note near misses as candidates.

    Pairs are made best first over every cell of the similarity matrix (score, then nearest position,
    then order), but the matrix is scored a block of rows at a time and each row keeps only its TOP
    best pairable cells (memory O(N·TOP), not O(N²): a full matrix and a list of its cells took 3.8 GB
    for 4,000 rewritten clauses). A row whose kept cells all lose their column to better pairs is scored
    again against the columns still free, so the pairs are those of the full matrix.
    """
    import heapq

    old, new = result.old, result.new
    if subset is None:
        rest_old = [o.index for o in old if o.index not in result.pairs]
        rest_new = [n.index for n in new if n.index not in used_new]
    else:
        rest_old, rest_new = subset
    if not rest_old or not rest_new:
        return
    if partner is None:
        partner = {i: j for i, (j, _, _) in result.pairs.items()}
    matrix = _Matrix(old, new, rest_old, rest_new, partner)
    queues: _Queues = {}
    more: set[int] = set()  # rows with pairable cells beyond those kept
    best_old: dict[int, tuple[int, float]] = {}
    best_new: dict[int, tuple[int, float]] = {}
    for lo in range(0, len(rest_old), matrix.step):
        matrix.scan(lo, min(lo + matrix.step, len(rest_old)), queues, more, best_old, best_new)
    heads = [queue.pop() for queue in queues.values() if queue]
    heapq.heapify(heads)
    while heads:
        neg, _, i, j = heapq.heappop(heads)
        if j not in used_new:
            pair(i, j, Method.SIMILARITY, min(-neg, 100.0) / 100)
            continue
        r = matrix.row_of[i]
        queue = queues[r]
        while queue and queue[-1][3] in used_new:
            queue.pop()
        if not queue and r in more:
            more.discard(r)
            matrix.rescan(r, used_new, queues, more)
            queue = queues.get(r, [])
        if queue:
            heapq.heappush(heads, queue.pop())
    if record:
        _near_misses(result, used_new, best_old, best_new)


def _near_misses(
    result: Alignment,
    used_new: set[int],
    best_old: dict[int, tuple[int, float]],
    best_new: dict[int, tuple[int, float]],
) -> None:
    """Note each clause left unpaired with its best match at UNCERTAIN or above, as a possible match."""
    for i, (j, s) in best_old.items():
        if i not in result.pairs and s >= UNCERTAIN:
            result.candidates[("old", i)] = (j, min(s, 100.0) / 100)
    for j, (i, s) in best_new.items():
        if j not in used_new and s >= UNCERTAIN:
            result.candidates[("new", j)] = (i, min(s, 100.0) / 100)


TOP = 8
"""Pairable cells kept per row of the similarity matrix (more are scored again only when needed)."""
BLOCK_CELLS = 1 << 20
"""Matrix cells scored at once: rows are scored a block at a time."""


class _Matrix:
    """Similarity (rapidfuzz ratio on token ids, plus context bonus) of unpaired old clauses (rows) to new ones."""

    def __init__(
        self,
        old: list[Node],
        new: list[Node],
        rest_old: list[int],
        rest_new: list[int],
        partner: dict[int, int],
    ) -> None:
        import numpy as np

        vocab: dict[str, int] = {}
        self.a = _token_ids(old, rest_old, vocab)
        self.b = _token_ids(new, rest_new, vocab)
        self.rest_old, self.rest_new = rest_old, rest_new
        self.row_of = {i: r for r, i in enumerate(rest_old)}
        self.n_old, self.n_new = max(len(old), 1), max(len(new), 1)
        self.workers = -1 if len(self.a) * len(self.b) > 20000 else 1  # threads pay off on big matrices only
        self.step = max(1, BLOCK_CELLS // len(self.b))
        ids: dict[str, int] = {}
        self.new_id = np.array([ids.setdefault(new[j].clause.id, len(ids)) for j in rest_new])
        self.old_id = np.array([ids.get(old[i].clause.id, -1) for i in rest_old])
        self.new_parent = np.array([new[j].parent for j in rest_new])
        # the parent a new clause needs for the bonus: -1 for a top-level clause, else the old parent's partner
        self.old_parent = np.array(
            [-1 if old[i].parent == -1 else partner.get(old[i].parent, -2) for i in rest_old]
        )
        self.old_at = np.array(rest_old, dtype=np.int64) / self.n_old
        self.new_at = np.array(rest_new, dtype=np.int64) / self.n_new

    def block(self, lo: int, hi: int) -> tuple[Any, Any]:
        """Scores (-1 below the floor) and position distances of rows lo..hi against every column."""
        import numpy as np
        from rapidfuzz import fuzz, process

        floor = UNCERTAIN - _BONUS_ID - _BONUS_PARENT
        raw = process.cdist(
            self.a[lo:hi], self.b, scorer=fuzz.ratio, dtype=np.uint8, workers=self.workers, score_cutoff=floor
        )
        score = raw.astype(np.int16)
        near = raw >= SIMILAR - _BONUS_ID - _BONUS_PARENT  # context only tips clauses that are already close
        score += (near & (self.old_id[lo:hi, None] == self.new_id[None, :])) * np.int16(_BONUS_ID)
        score += (near & (self.old_parent[lo:hi, None] == self.new_parent[None, :])) * np.int16(_BONUS_PARENT)
        score[raw == 0] = -1
        return score, np.abs(self.old_at[lo:hi, None] - self.new_at[None, :])

    def scan(
        self,
        lo: int,
        hi: int,
        queues: _Queues,
        more: set[int],
        best_old: dict[int, tuple[int, float]],
        best_new: dict[int, tuple[int, float]],
    ) -> None:
        """Score rows lo..hi: keep their best pairable cells, and each row's and column's best cell."""
        import numpy as np

        score, dist = self.block(lo, hi)
        # best cell of each row and column: highest score, then nearest, then first (as a full sort would)
        row_max = score.max(axis=1)
        row_pick = np.where(score == row_max[:, None], dist, np.inf).argmin(axis=1)
        for r in np.flatnonzero(row_max >= 0).tolist():
            best_old[self.rest_old[lo + r]] = (self.rest_new[int(row_pick[r])], float(row_max[r]))
        col_max = score.max(axis=0)
        col_pick = np.where(score == col_max[None, :], dist, np.inf).argmin(axis=0)
        for c in np.flatnonzero(col_max >= 0).tolist():
            j, s = self.rest_new[c], float(col_max[c])
            i = self.rest_old[lo + int(col_pick[c])]
            seen = best_new.get(j)
            if seen is None or s > seen[1] or (s == seen[1] and self._dist(i, j) < self._dist(seen[0], j)):
                best_new[j] = (i, s)
        self._keep(score, dist, lo, queues, more)

    def rescan(self, r: int, used_new: set[int], queues: _Queues, more: set[int]) -> None:
        """Score row r again against the columns still free and keep its best pairable cells."""
        import numpy as np

        score, dist = self.block(r, r + 1)
        taken = np.array([j in used_new for j in self.rest_new])
        score[0, taken] = -1
        self._keep(score, dist, r, queues, more)

    def _keep(self, score: Any, dist: Any, lo: int, queues: _Queues, more: set[int]) -> None:
        """Queue each row's TOP best pairable cells (and any tied with the last), best last."""
        import numpy as np

        pairable = score >= SIMILAR
        counts = pairable.sum(axis=1)
        if score.shape[1] > TOP:
            key = np.where(pairable, score - dist / 2, -np.inf)  # rounding may tie keys, never swap them
            kth = -np.partition(-key, TOP - 1, axis=1)[:, TOP - 1]
            pairable &= key >= kth[:, None]
        rows, cols = np.nonzero(pairable)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            i, j = self.rest_old[lo + r], self.rest_new[c]
            queues.setdefault(lo + r, []).append((-float(score[r, c]), self._dist(i, j), i, j))
        kept = np.bincount(rows, minlength=len(score))
        for r in np.flatnonzero(counts > kept).tolist():
            more.add(lo + r)
        for r in set(rows.tolist()):
            queues[lo + r].sort(reverse=True)

    def _dist(self, i: int, j: int) -> float:
        return abs(i / self.n_old - j / self.n_new)


def _words(clause: Clause) -> Counter[str]:
    return Counter(w for w in _WORD_RE.findall(content(clause).lower()) if w not in _STOP)


def _cover(piece: Counter[str], whole: Counter[str]) -> float:
    total = sum(piece.values())
    return sum(min(c, whole[w]) for w, c in piece.items()) / total if total else 0.0


def _best_container(
    piece: Counter[str],
    index: dict[str, list[int]],
    bags: Callable[[int], Counter[str]],
    near: float,
    size: int,
) -> tuple[int, float]:
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
        if v < top:
            continue
        key = (round(_cover(piece, bags(k)), 2), -abs(k / size - near))
        if key > best_key:
            best, best_key = k, key
    return best, best_key[0]


def _splits_and_merges(result: Alignment, used_new: set[int]) -> None:
    """Pieces left unpaired on one side that one clause on the other side contains: a split or a merge.

    Only clauses whose text changed can be split or merged, so the search is limited to those.
    """
    old, new = result.old, result.new
    old_bags: dict[int, Counter[str]] = {}
    new_bags: dict[int, Counter[str]] = {}

    def obag(i: int) -> Counter[str]:
        if i not in old_bags:
            old_bags[i] = _words(old[i].clause)
        return old_bags[i]

    def nbag(j: int) -> Counter[str]:
        if j not in new_bags:
            new_bags[j] = _words(new[j].clause)
        return new_bags[j]

    def index(ids: list[int], bag: Callable[[int], Counter[str]]) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for k in ids:
            for w in bag(k):
                out[w].append(k)
        return out

    def changed(i: int) -> bool:
        return i not in result.pairs or old[i].text != new[result.pairs[i][0]].text

    # split: unpaired new pieces covered by one old clause, together covering it
    loose_new = [n.index for n in new if n.index not in used_new]
    if loose_new:
        containers = [o.index for o in old if changed(o.index)]
        old_index = index(containers, obag)
        pieces: dict[int, list[int]] = defaultdict(list)
        for j in loose_new:
            if sum(nbag(j).values()) < 4:
                continue
            i, cover = _best_container(nbag(j), old_index, obag, j / max(len(new), 1), max(len(old), 1))
            if i >= 0 and cover >= COVER:
                pieces[i].append(j)
        for i, found in pieces.items():
            group = sorted(set(found + ([result.pairs[i][0]] if i in result.pairs else [])))
            if len(group) < 2:
                continue
            union: Counter[str] = Counter()
            for j in group:
                union |= nbag(j)
            if _cover(obag(i), union) >= COVER:
                result.splits[i] = tuple(group)
                used_new.update(group)
                result.pairs.pop(i, None)
    # merge: unpaired old pieces covered by one new clause, together covering it
    loose_old = [o.index for o in old if o.index not in result.pairs and o.index not in result.splits]
    if not loose_old:
        return
    by_new = {j: i for i, (j, _, _) in result.pairs.items()}
    in_splits = {j for group in result.splits.values() for j in group}

    def changed_new(j: int) -> bool:
        if j in in_splits:
            return False
        return j not in by_new or new[j].text != old[by_new[j]].text

    containers = [n.index for n in new if changed_new(n.index)]
    new_index = index(containers, nbag)
    parts: dict[int, list[int]] = defaultdict(list)
    for i in loose_old:
        if sum(obag(i).values()) < 4:
            continue
        j, cover = _best_container(obag(i), new_index, nbag, i / max(len(old), 1), max(len(new), 1))
        if j >= 0 and cover >= COVER:
            parts[j].append(i)
    for j, found in parts.items():
        group = sorted(set(found + ([by_new[j]] if j in by_new else [])))
        if len(group) < 2:
            continue
        union = Counter()
        for i in group:
            union |= obag(i)
        if _cover(nbag(j), union) >= COVER:
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
