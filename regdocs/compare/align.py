"""Pair the clauses of two versions of a document: ids, identical text, similarity, splits and merges, moves."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from itertools import chain
from typing import Any

from regdocs.compare.editorial import title_words
from regdocs.compare.pairing import Alignment, Elsewhere, Method, Node
from regdocs.compare.redline import word_tokens
from regdocs.compare.reworded import by_words
from regdocs.compare.wording import Rarity, ranges
from regdocs.parse.model import Clause, ClauseKind, Document, IdSource

__all__ = [
    "PREAMBLE",
    "Alignment",
    "Elsewhere",
    "Method",
    "Node",
    "align",
    "content",
    "flatten",
    "plain",
    "preamble_clause",
    "strip_marks",
]

SIMILAR = 60
"""Minimum token similarity (0-100, with context bonus) to call two clauses the same clause reworded."""
UNCERTAIN = 40
"""Below SIMILAR but at least this: reported as a possible match, never silently paired."""
_BONUS_ID = 12
_BONUS_PARENT = 8
_WORD_CHAR_RE = re.compile(r"\w")


PREAMBLE = "_preamble"
"""Id of the pseudo-clause holding a document's text before its first clause."""


def preamble_clause(doc: Document) -> Clause | None:
    """The text before the first clause as a clause of its own, so that its changes are diffed too."""
    if not doc.preamble:
        return None
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

    # a stack, not a recursive closure: that is a reference cycle, which only the cyclic GC frees
    stack: list[tuple[Clause, int, tuple[Clause, ...]]] = [(top, -1, ()) for top in reversed(doc.clauses)]
    while stack:
        clause, parent, ancestors = stack.pop()
        me = len(out)
        out.append(Node(clause, me, parent, ancestors, content(clause)))
        inner = (*ancestors, clause)
        stack += [(child, me, inner) for child in reversed(clause.children)]
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


def align(old_doc: Document, new_doc: Document, rarity: Rarity | None = None) -> Alignment:
    """Pair every clause of `old_doc` with its counterpart in `new_doc` where there is one.

    `rarity` weighs content words by how rare they are in the whole corpus (default: in these two).
    """
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
    # 3. same number and title (case and punctuation aside); same derived id under the same parent and
    # still similar: reworded in place (cheap, no matrix)
    _in_place(result, used_new, pair)
    _same_heading(result, used_new, pair)
    # 4. similarity among siblings, then on everything left (rapidfuzz cdist over token ids)
    _local(result, used_new, pair)
    _similar(result, used_new, pair)
    # 5. by rare content words: splits and merges, reworded clauses, containers of paired clauses
    by_words(result, used_new, pair, rarity)
    # 7. moves
    _moves(result)
    return result


def _title_key(clause: Clause) -> tuple[str, str, tuple[str, ...]] | None:
    """Number and title words, case and punctuation aside (digits keep theirs: `10^26` is not `10-26`)."""
    if not clause.title:
        return None
    unit, value = (clause.number.unit, clause.number.value) if clause.number else ("", "")
    return unit, value, title_words(clause.title)


def _same_heading(
    result: Alignment, used_new: set[int], pair: Callable[[int, int, Method, float], None]
) -> None:
    """Pair the one unpaired clause of a number and title with the one new clause of that number and title.

    Unless its sub-clauses say otherwise (most of those already paired went under one other new clause:
    that one is clearly the better partner), or their words do: two still alike are left to the similarity
    passes, which pair them unless another partner is better still.
    """
    old, new = result.old, result.new
    olds: dict[tuple[str, str, tuple[str, ...]], list[int]] = defaultdict(list)
    news: dict[tuple[str, str, tuple[str, ...]], list[int]] = defaultdict(list)
    for o in old:
        key = _title_key(o.clause) if o.index not in result.pairs else None
        if key is not None and key[2]:
            olds[key].append(o.index)
    for n in new:
        key = _title_key(n.clause) if n.index not in used_new else None
        if key is not None and key in olds:
            news[key].append(n.index)
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    votes: dict[int, Counter[int]] = defaultdict(Counter)
    for i, j in partner.items():
        if old[i].parent >= 0:
            votes[old[i].parent][new[j].parent] += 1
    for key, found in news.items():
        if len(found) != 1 or len(olds[key]) != 1:
            continue
        i, j = olds[key][0], found[0]
        top = votes[i].most_common(1)
        if top and top[0][0] != j and top[0][1] >= 2 and votes[i][j] * 2 < top[0][1]:
            continue
        if _token_similarity(old[i].text, new[j].text) * 100 < SIMILAR:  # else left to the similarity passes
            pair(i, j, Method.TITLE, _token_similarity(old[i].text.casefold(), new[j].text.casefold()))


def _token_similarity(a: str, b: str) -> float:
    """Indel similarity (0-1) of two texts' word tokens."""
    from rapidfuzz.distance import Indel

    vocab: dict[str, int] = {}
    x = [vocab.setdefault(t, len(vocab)) for t in word_tokens(a)]
    y = [vocab.setdefault(t, len(vocab)) for t in word_tokens(b)]
    return float(Indel.normalized_similarity(x, y))


def _in_place(result: Alignment, used_new: set[int], pair: Callable[[int, int, Method, float], None]) -> None:
    """Pair a clause with the unpaired clause of the same derived id under its old parent's partner when similar.

    Most rewording happens in place, so this leaves cdist only the clauses that moved, came or went.
    """
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
        score = _token_similarity(o.text, n.text) * 100
        if score >= SIMILAR + 10:
            pair(o.index, n.index, Method.SIMILARITY, score / 100)
            partner[o.index] = n.index


def _token_ids(nodes: list[Node], idx: list[int], vocab: dict[str, int]) -> list[list[int]]:
    """The clauses' non-blank tokens as ids, a new token taking the next id (in order of appearance)."""
    tokens = [word_tokens(nodes[i].text) for i in idx]
    for t in dict.fromkeys(chain.from_iterable(tokens)):  # a loop over distinct tokens only
        vocab.setdefault(t, len(vocab))
    return [list(map(vocab.__getitem__, ts)) for ts in tokens]


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
    again against the columns still free, so the pairs are those of the full matrix. Past FULL_CELLS
    cells only candidate cells are scored (`_Candidates`): 10,000 rewritten clauses took 7 s whole.
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
    matrix = (_Candidates if len(rest_old) * len(rest_new) > FULL_CELLS else _Matrix)(
        old, new, rest_old, rest_new, partner
    )
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


class _Remainder:
    """The clauses left to pair, as token ids and arrays: what `_Matrix` and `_Candidates` both score."""

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
        self.vocab_size = len(vocab)
        self.rest_old, self.rest_new = rest_old, rest_new
        self.row_of = {i: r for r, i in enumerate(rest_old)}
        self.n_old, self.n_new = max(len(old), 1), max(len(new), 1)
        ids: dict[str, int] = {}
        self.new_id = np.array([ids.setdefault(new[j].clause.id, len(ids)) for j in rest_new], dtype=np.int64)
        self.old_id = np.array([ids.get(old[i].clause.id, -1) for i in rest_old], dtype=np.int64)
        self.id_count = len(ids)
        self.new_parent = np.array([new[j].parent for j in rest_new], dtype=np.int64)
        # the parent a new clause needs for the bonus: -1 for a top-level clause, else the old parent's partner
        self.old_parent = np.array(
            [-1 if old[i].parent == -1 else partner.get(old[i].parent, -2) for i in rest_old], dtype=np.int64
        )
        self.old_at = np.array(rest_old, dtype=np.int64) / self.n_old
        self.new_at = np.array(rest_new, dtype=np.int64) / self.n_new


class _Matrix(_Remainder):
    """Similarity (rapidfuzz ratio on token ids, plus context bonus) of unpaired old clauses (rows) to new ones."""

    def __init__(
        self,
        old: list[Node],
        new: list[Node],
        rest_old: list[int],
        rest_new: list[int],
        partner: dict[int, int],
    ) -> None:
        super().__init__(old, new, rest_old, rest_new, partner)
        self.workers = -1 if len(self.a) * len(self.b) > 20000 else 1  # threads pay off on big matrices only
        self.step = max(1, BLOCK_CELLS // len(self.b))

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


FULL_CELLS = 1 << 22
"""Largest remainder (rows × columns) scored as a whole matrix; past it only candidate cells are scored."""
PROBES = 3
"""Rarest words of a clause looked up on the other side to find its candidates."""
RARE = 24
"""A probe word found in at most this many clauses on the other side brings all of them as candidates."""
WINDOW = 8
"""A clause's rarest word, when commoner than RARE, brings the WINDOW clauses nearest in position."""
SIBLINGS = 64
"""A clause's siblings (same partnered parent, which earns the parent bonus) are candidates up to this many."""


def _incidence(seqs: list[list[int]], by_token: bool) -> tuple[Any, Any]:
    """(clause, token) pairs, each once, sorted by clause then token (or by token then clause)."""
    import numpy as np

    lengths = np.fromiter((len(s) for s in seqs), dtype=np.int64, count=len(seqs))
    tokens = np.fromiter(chain.from_iterable(seqs), dtype=np.int64, count=int(lengths.sum()))
    owners = np.repeat(np.arange(len(seqs), dtype=np.int64), lengths)
    span = int(tokens.max()) + 1 if len(tokens) else 1
    if by_token:
        key = _distinct(tokens * len(seqs) + owners)
        return key % len(seqs), key // len(seqs)
    key = _distinct(owners * span + tokens)
    return key // span, key % span


def _distinct(keys: Any) -> Any:
    """Sorted distinct values (`np.unique` hashes integers in numpy 2, 25x slower than this sort here)."""
    import numpy as np

    keys = np.sort(keys)
    return keys[np.r_[True, keys[1:] != keys[:-1]]] if len(keys) else keys


def _probe(
    src: list[list[int]], dst: list[list[int]], src_at: Any, dst_at: Any, vocab: int
) -> tuple[Any, Any]:
    """Cells (src clause, dst clause) where the dst clause holds one of the src clause's rarest words.

    A word held by at most RARE dst clauses brings them all; the rarest word, if commoner, brings the
    WINDOW dst clauses holding it that stand nearest in position (boilerplate differs in its numbers).
    """
    import numpy as np

    d_owner, d_token = _incidence(dst, by_token=True)
    count = np.bincount(d_token, minlength=vocab)
    begin = np.concatenate(([0], np.cumsum(count)))
    s_owner, s_token = _incidence(src, by_token=False)
    held = count[s_token] > 0
    s_owner, s_token = s_owner[held], s_token[held]
    order = np.lexsort((s_token, count[s_token], s_owner))  # per clause, rarest first
    s_owner, s_token = s_owner[order], s_token[order]
    rank = np.arange(len(s_owner)) - np.searchsorted(s_owner, s_owner)
    size = count[s_token]
    whole = (rank < PROBES) & (size <= RARE)
    near = (rank == 0) & (size > RARE)
    rows = [np.repeat(s_owner[whole], size[whole])]
    cols = [d_owner[ranges(begin[s_token[whole]], begin[s_token[whole] + 1])]]
    if near.any():
        token, owner = s_token[near], s_owner[near]
        # where the src clause would stand among the dst clauses, then that word's posting around it
        place = np.searchsorted(dst_at, src_at[owner])
        key = d_token * len(dst) + d_owner
        mid = np.searchsorted(key, token * len(dst) + place)
        lo = np.clip(mid - WINDOW // 2, begin[token], np.maximum(begin[token + 1] - WINDOW, begin[token]))
        hi = np.minimum(lo + WINDOW, begin[token + 1])
        rows.append(np.repeat(owner, hi - lo))
        cols.append(d_owner[ranges(lo, hi)])
    return np.concatenate(rows), np.concatenate(cols)


class _Candidates(_Remainder):
    """The similarity matrix of a huge remainder, scored only on candidate cells (see `_similar`).

    Candidates of a clause: the clauses on the other side holding one of its PROBES rarest words (both
    ways), the one with its id and its siblings (the cells that can earn a context bonus). A reworded
    clause keeps most of its words, so it shares its rarer ones with its new text; cells left out would
    score with common words only, which is what rewritten text shares with everything.
    """

    def __init__(
        self,
        old: list[Node],
        new: list[Node],
        rest_old: list[int],
        rest_new: list[int],
        partner: dict[int, int],
    ) -> None:
        import numpy as np

        super().__init__(old, new, rest_old, rest_new, partner)
        self.step = max(1, len(rest_old))
        a, b, old_at, new_at = self.a, self.b, self.old_at, self.new_at
        new_id, old_id, new_parent, old_parent = self.new_id, self.old_id, self.new_parent, self.old_parent
        rows, cols = _probe(a, b, old_at, new_at, self.vocab_size)
        back_cols, back_rows = _probe(b, a, new_at, old_at, self.vocab_size)
        rows_list, cols_list = [rows, back_rows], [cols, back_cols]
        # same id: the id bonus
        col_of_id = np.full(self.id_count, -1, dtype=np.int64)
        col_of_id[new_id] = np.arange(len(rest_new))
        has = old_id >= 0
        rows_list.append(np.flatnonzero(has))
        cols_list.append(col_of_id[old_id[has]])
        # siblings: the parent bonus
        by_parent = np.argsort(new_parent, kind="stable")
        first = np.searchsorted(new_parent[by_parent], old_parent, side="left")
        last = np.searchsorted(new_parent[by_parent], old_parent, side="right")
        few = (last > first) & (last - first <= SIBLINGS)
        rows_list.append(np.repeat(np.flatnonzero(few), (last - first)[few]))
        cols_list.append(by_parent[ranges(first[few], last[few])])
        width = max(len(rest_new), 1)
        cells = _distinct(np.concatenate(rows_list) * width + np.concatenate(cols_list))
        self.rows, self.cols = cells // width, cells % width
        same_id = old_id[self.rows] == new_id[self.cols]
        same_parent = old_parent[self.rows] == new_parent[self.cols]
        fast = self.vocab_size < 0x10F800  # one character per token, past the surrogates
        chars = [_char(k) for k in range(self.vocab_size)] if fast else []
        self.score = self._score(
            _texts(a, chars) if fast else a, _texts(b, chars) if fast else b, same_id, same_parent
        )
        self.dist = np.abs(old_at[self.rows] - new_at[self.cols])

    def _score(self, a: Sequence[object], b: Sequence[object], same_id: Any, same_parent: Any) -> Any:
        """Scores of the candidate cells as `_Matrix.block` gives them (-1 below the floor)."""
        import numpy as np
        from rapidfuzz import fuzz, process

        floor = UNCERTAIN - _BONUS_ID - _BONUS_PARENT
        raw = process.cpdist(
            [a[r] for r in self.rows.tolist()],
            [b[c] for c in self.cols.tolist()],
            scorer=fuzz.ratio,
            dtype=np.uint8,
            workers=-1 if len(self.rows) > 20000 else 1,
            score_cutoff=floor,
        )
        score = raw.astype(np.int16)
        near = raw >= SIMILAR - _BONUS_ID - _BONUS_PARENT
        score += (near & same_id) * np.int16(_BONUS_ID)
        score += (near & same_parent) * np.int16(_BONUS_PARENT)
        score[raw == 0] = -1
        return score

    def scan(
        self,
        lo: int,
        hi: int,
        queues: _Queues,
        more: set[int],
        best_old: dict[int, tuple[int, float]],
        best_new: dict[int, tuple[int, float]],
    ) -> None:
        """Queue every pairable candidate cell, best last; note each row's and column's best cell."""
        import numpy as np

        rows, cols, score, dist = self.rows, self.cols, self.score, self.dist
        seen = score >= 0
        # best of each row: highest score, then nearest, then first column (as the whole matrix has it)
        order = np.lexsort((cols, dist, -score, rows))
        order = order[seen[order]]
        head = order[np.r_[True, rows[order][1:] != rows[order][:-1]]] if len(order) else order
        for k in head.tolist():
            best_old[self.rest_old[int(rows[k])]] = (self.rest_new[int(cols[k])], float(score[k]))
        order = np.lexsort((rows, dist, -score, cols))
        order = order[seen[order]]
        head = order[np.r_[True, cols[order][1:] != cols[order][:-1]]] if len(order) else order
        for k in head.tolist():
            best_new[self.rest_new[int(cols[k])]] = (self.rest_old[int(rows[k])], float(score[k]))
        for k in np.flatnonzero(score >= SIMILAR).tolist():
            i, j = self.rest_old[int(rows[k])], self.rest_new[int(cols[k])]
            queues.setdefault(int(rows[k]), []).append((-float(score[k]), float(dist[k]), i, j))
        for queue in queues.values():
            queue.sort(reverse=True)

    def rescan(self, r: int, used_new: set[int], queues: _Queues, more: set[int]) -> None:
        """Nothing to score again: every pairable candidate cell of a row is queued at once."""


def _texts(seqs: list[list[int]], chars: list[str]) -> list[str]:
    """Token-id sequences as strings, `chars[id]` per token: rapidfuzz scores these 4-20x faster."""
    return ["".join(map(chars.__getitem__, s)) for s in seqs]


def _char(token: int) -> str:
    return chr(token + 0x800 if token >= 0xD800 else token)  # no lone surrogates


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
