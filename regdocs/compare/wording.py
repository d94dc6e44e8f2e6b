"""The similarity of reworded provisions: rare content words shared, markup and link targets left out.

Token ratio (`align._Matrix`) finds a clause whose words stayed in order; a provision redrafted for a
new edition keeps its rarer words, not their order. Here a clause is the set of its content words
(lower case, stop words out, cut to STEM letters so that `authenticate` meets `authentication`), each
weighing its rarity in the corpus (inverse clause frequency over both versions), a heading's title words
TITLE_WEIGHT times as much. Two clauses score the weight they share over their mean weight (Dice), or,
for a clause trimmed from or grown into the other, a share of the smaller one's weight found in the
larger (containment).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

from regdocs.parse.model import Clause, ClauseKind

STEM = 6
"""Letters a content word is cut to: a crude stem that joins `authenticate`, `authentication`, `authenticator`."""
TITLE_WEIGHT = 2.0
"""A heading's title words weigh this much more than its text's."""
MIN_TERMS = 3
"""Fewer distinct content words than this and a clause is too short to pair by its words alone."""
CONTAIN = 0.85
"""Containment c (0-1) scores CONTAIN·c²: a clause inside another is less sure than one alike, and a
clause half inside another is no sign of anything (long clauses share many words by chance)."""
CONTAIN_TERMS = 6
"""A clause of fewer content words is inside too many others: it scores by likeness (Dice) only."""
RATIO = 0.25
"""Containment counts in full when the smaller clause weighs this much of the larger, less below it."""
PAIR = 0.5
"""Two clauses scoring this much (context included) are the same clause reworded: paired best first."""
SURE = 0.7
"""From this score a pair needs no lead over the other matches of its two clauses; below it, AHEAD."""
AHEAD = 1.15
"""How much better than any other match of either clause a pair under SURE must score."""
LOOSE = 0.3
"""Down to this, two clauses are paired only when each is clearly the other's best match (MARGIN)."""
LOOSE_SHARE = 0.3
"""And only when they share this much of the shorter one's content words (not a few rare ones by chance),
which has CONTAIN_TERMS at least (three rare words make a short clause look like many)."""
MARGIN = 1.5
"""How much better than any other match of either clause a loose pair must score."""
SHARED = 3
"""Content words two clauses must share to be paired by their words."""
MAYBE = 0.25
"""A clause left unpaired names its matches scoring at least this as possibly the same clause."""
FLOOR = min(MAYBE, LOOSE / MARGIN)
"""Cells under this score matter to no decision: they are not kept."""
SAMPLE = 1000
"""Clauses read to count how rare each word is; a bigger corpus is sampled evenly."""
JOIN_CELLS = 1 << 19
"""Most (old, new) word matches gathered at once; past it the commonest words are left out of the join."""
DENSE_CELLS = 1 << 21
"""Up to this many (old, new) cells, matches are summed in a dense array rather than sorted."""

_STOP_WORDS = (
    "a an and any are as at be been by can do does for from has have if in into is it its may must "
    "no not of on only or other shall should so such than that the their them then there these they "
    "this those to under upon was were when where which who will with within without would you your "
    "we our"
)
_STOP = frozenset(_STOP_WORDS.split())
_MARKUP_RE = re.compile(
    r"\]\([^()\s\x00]*\)|<[a-z][a-z0-9+.-]*:[^<>\s\x00]*>|https?://[^\s<>()\x00]+|&#?[a-z0-9]+;"
)
"""Link targets (`](url)`, `<url>`, bare URLs) and character references: not words a reader reads."""
_WORD_RE = re.compile(r"[^\W_]+|\x00")
"""Words, and the NUL that `Rarity` puts between texts read in one pass."""


def words(text: str) -> list[str]:
    """The content words of a text: lower case, link targets and stop words out, each cut to STEM letters."""
    plain = _MARKUP_RE.sub(" ", text.lower().replace("\x00", " "))
    return [w[:STEM] for w in _WORD_RE.findall(plain) if w not in _STOP]


class Rarity:
    """The content words of every clause of a corpus (both versions) and how rare each is among them.

    Words are numbered as met; each clause's distinct words are kept as numbers with their multiplier
    (TITLE_WEIGHT for a heading's title words), so that `Bags` builds its arrays without a string.
    """

    def __init__(self, clauses: Iterable[Clause]) -> None:
        import numpy as np

        self._number: dict[str, int] = {}
        """A word as written (lower case) -> its stem's number; -1 for a stop word."""
        self._stems: dict[str, int] = {}
        self._held: dict[int, tuple[Clause, dict[int, float]]] = {}
        every = list({id(c): c for c in clauses}.values())
        # past SAMPLE clauses, every k-th one is read and its counts scaled: what changed is read later
        sample = every[:: -(-len(every) // SAMPLE)] if len(every) > SAMPLE else every
        self.read(sample)
        self.total = max(len(every), 1)
        """Number of clauses in the corpus."""
        bags = [self._held[id(c)][1] for c in sample]
        numbers = np.fromiter(chain.from_iterable(bags), dtype=np.int64, count=sum(map(len, bags)))
        self._df = np.bincount(numbers, minlength=len(self._stems)) * (len(every) / max(len(sample), 1))
        self._idf: Any = None

    def read(self, clauses: Sequence[Clause]) -> None:
        """Number the content words of clauses not read yet, all their texts in one pass of the patterns."""
        clauses = [c for c in {id(c): c for c in clauses}.values() if id(c) not in self._held]
        if not clauses:
            return
        texts = "\x00".join(chain.from_iterable((c.text, c.title) for c in clauses))
        if texts.count("\x00") != 2 * len(clauses) - 1:  # a text holds a NUL: it reads as a blank
            texts = "\x00".join(t.replace("\x00", " ") for c in clauses for t in (c.text, c.title))
        numbers, stems = self._number, self._stems
        read: list[list[int]] = [[]]
        for w in _WORD_RE.findall(_MARKUP_RE.sub(" ", texts.lower())):
            if w == "\x00":
                read.append([])
                continue
            t = numbers.get(w)
            if t is None:
                t = numbers[w] = -1 if w in _STOP else stems.setdefault(w[:STEM], len(stems))
            if t >= 0:
                read[-1].append(t)
        for k, clause in enumerate(clauses):
            bag = dict.fromkeys(read[2 * k], 1.0)
            if read[2 * k + 1]:
                bag.update(
                    dict.fromkeys(read[2 * k + 1], TITLE_WEIGHT if clause.kind is ClauseKind.HEADING else 1.0)
                )
            self._held[id(clause)] = (clause, bag)

    def bag(self, clause: Clause) -> dict[int, float]:
        """The clause's distinct content words (as numbers) with their multiplier."""
        found = self._held.get(id(clause))
        if found is None or found[0] is not clause:
            self._held.pop(id(clause), None)
            self.read([clause])
            found = self._held[id(clause)]
        return found[1]

    def idf(self) -> Any:
        """The rarity of each word by number: log((clauses + 1) / (clauses holding it + 1)), at least a little."""
        import numpy as np

        if self._idf is None or len(self._idf) < len(self._stems):
            df = np.zeros(len(self._stems))
            df[: len(self._df)] = self._df  # words met after counting (a clause not in the corpus) are rare
            self._idf = np.maximum(np.log((self.total + 1) / (df + 1)), 0.05)
        return self._idf

    def weighted(self, clause: Clause) -> dict[int, float]:
        """The clause's content words (as numbers), each with its weight: rarity times its multiplier."""
        bag = self.bag(clause)  # first: it may meet new words
        idf = self.idf()
        return {t: m * float(idf[t]) for t, m in bag.items()}


@dataclass(frozen=True, slots=True)
class Cells:
    """Scored (old, new) pairs that share a content word: positions into the rows and columns asked for."""

    rows: Any
    """Row position of each cell (numpy int64)."""
    cols: Any
    """Column position of each cell (numpy int64)."""
    score: Any
    """Similarity 0-1 of each cell (numpy float64)."""
    contained: Any
    """Share of the smaller clause's weight found in the larger one, 0-1."""
    shared: Any
    """Number of content words the two share."""
    common: Any
    """Weight of the content words the two share."""
    old_weight: Any
    """Weight of the old clause's content words."""
    new_weight: Any
    """Weight of the new clause's content words."""
    fewer: Any
    """Number of distinct content words of the clause that has fewer."""


class Bags:
    """The weighted content words of some old and some new clauses, as arrays a join can work on."""

    def __init__(self, rarity: Rarity, old: Sequence[Clause], new: Sequence[Clause]) -> None:
        import numpy as np

        self.rarity = rarity
        self.old = self._arrays(rarity, old)
        self.new = self._arrays(rarity, new)
        self.vocab_size = len(rarity.idf())
        self.old_weight = np.bincount(self.old[0], weights=self.old[2], minlength=len(old))
        self.new_weight = np.bincount(self.new[0], weights=self.new[2], minlength=len(new))
        self.old_terms = np.bincount(self.old[0], minlength=len(old))
        self.new_terms = np.bincount(self.new[0], minlength=len(new))

    @staticmethod
    def _arrays(rarity: Rarity, clauses: Sequence[Clause]) -> tuple[Any, Any, Any]:
        """(owner, word number, weight) of every content word of every clause, sorted by word number."""
        import numpy as np

        rarity.read(clauses)
        bags = [rarity.bag(c) for c in clauses]
        lengths = np.fromiter(map(len, bags), dtype=np.int64, count=len(bags))
        total = int(lengths.sum())
        owner = np.repeat(np.arange(len(bags), dtype=np.int64), lengths)
        term = np.fromiter(chain.from_iterable(bags), dtype=np.int64, count=total)
        lift = np.fromiter(chain.from_iterable(b.values() for b in bags), dtype=np.float64, count=total)
        weight = rarity.idf()[term] * lift
        order = np.argsort(term, kind="stable")
        return owner[order], term[order], weight[order]

    def cells(self, rows: Sequence[int], cols: Sequence[int], floor: float, held: float = 2.0) -> Cells:
        """Score every pair of `rows` (old positions) and `cols` (new positions) sharing a content word.

        Pairs scoring under `floor` are left out, unless the smaller of the two is at least `held` inside
        the larger (a piece of a split or merge). The join is gathered word by word, rarest first, up to
        JOIN_CELLS matches: a word held by very many clauses on both sides, which weighs little, joins no
        more pairs once that is reached (a huge remainder of rewritten clauses), though it still counts
        towards the clauses' weights.
        """
        import numpy as np

        o_owner, o_term, o_weight = _select(self.old, rows, len(self.old_weight))
        n_owner, n_term, n_weight = _select(self.new, cols, len(self.new_weight))
        o_count = np.bincount(o_term, minlength=self.vocab_size)
        n_count = np.bincount(n_term, minlength=self.vocab_size)
        n_begin = np.concatenate(([0], np.cumsum(n_count)))
        product = o_count * n_count
        if int(product.sum()) > JOIN_CELLS:
            by_rarity = np.argsort(product, kind="stable")
            keep = np.zeros(self.vocab_size, dtype=bool)
            keep[by_rarity[np.cumsum(product[by_rarity]) <= JOIN_CELLS]] = True
            o_keep = keep[o_term]
            o_owner, o_term, o_weight = o_owner[o_keep], o_term[o_keep], o_weight[o_keep]
        fan = n_count[o_term]
        at = ranges(n_begin[o_term], n_begin[o_term] + fan)
        width = max(len(cols), 1)
        keys = np.repeat(o_owner, fan) * width + n_owner[at]
        shared = np.minimum(np.repeat(o_weight, fan), n_weight[at])
        common: Any
        count: Any
        if len(rows) * width <= DENSE_CELLS:  # every cell counted in place: no sort
            count = np.bincount(keys, minlength=len(rows) * width)
            common = np.bincount(keys, weights=shared, minlength=len(rows) * width)
            keys = np.flatnonzero(count)
            common, count = common[keys], count[keys]
        else:
            order = np.argsort(keys)
            keys, shared = keys[order], shared[order]
            starts = (
                np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
            )
            common = np.add.reduceat(shared, starts) if len(keys) else np.zeros(0)
            count = np.diff(np.r_[starts, len(keys)])
            keys = keys[starts]
        r, c = keys // width, keys % width
        a = self.old_weight[np.asarray(rows, dtype=np.int64)][r]
        b = self.new_weight[np.asarray(cols, dtype=np.int64)][c]
        dice = 2 * common / np.maximum(a + b, 1e-9)
        contained = common / np.maximum(np.minimum(a, b), 1e-9)
        fewer = np.minimum(
            self.old_terms[np.asarray(rows, dtype=np.int64)][r],
            self.new_terms[np.asarray(cols, dtype=np.int64)][c],
        )
        contained = np.minimum(contained, 1.0)
        # a few words are inside many clauses, and a short clause inside a long one says little
        ratio = np.minimum(np.minimum(a, b) / np.maximum(np.maximum(a, b), 1e-9) / RATIO, 1.0)
        inside = np.where(fewer < CONTAIN_TERMS, 0.0, CONTAIN * contained**2 * ratio)
        score = np.maximum(dice, inside)
        k = np.flatnonzero((score >= floor) | ((contained >= held) & (fewer >= CONTAIN_TERMS)))
        return Cells(r[k], c[k], score[k], contained[k], count[k], common[k], a[k], b[k], fewer[k])


def _select(arrays: tuple[Any, Any, Any], which: Sequence[int], size: int) -> tuple[Any, Any, Any]:
    """The entries of the clauses `which`, their owners renumbered as positions in `which`."""
    import numpy as np

    owner, term, weight = arrays
    position = np.full(size, -1, dtype=np.int64)
    position[np.asarray(which, dtype=np.int64)] = np.arange(len(which), dtype=np.int64)
    mine = position[owner]
    held = mine >= 0
    return mine[held], term[held], weight[held]


def ranges(starts: Any, stops: Any) -> Any:
    """The concatenated ranges starts[k]..stops[k] (as indices)."""
    import numpy as np

    lengths = np.maximum(stops - starts, 0)
    ends = np.cumsum(lengths)
    return np.arange(int(ends[-1]) if len(ends) else 0) - np.repeat(ends - lengths - starts, lengths)


def choose(cells: Cells, score: Any, distance: Any, alike: Any) -> list[int]:
    """The cells to pair: best first (ahead of the others), then loose pairs of clear best matches.

    Returns positions into the cells.
    `score` is the cells' score with context; `distance` breaks ties (nearest in position first); only the
    cells `alike` (two clauses of one kind: two paragraphs, two items, two rows) may make a loose pair.
    """
    import numpy as np

    rows, cols = cells.rows, cells.cols
    _, row_second = _best_two(rows, score)
    _, col_second = _best_two(cols, score)
    ahead = (score >= SURE) | (score >= AHEAD * np.maximum(row_second, col_second))
    strong = np.flatnonzero((score >= PAIR) & (cells.shared >= SHARED) & ahead)
    strong = strong[np.lexsort((distance[strong], -score[strong]))]
    used_rows: set[int] = set()
    used_cols: set[int] = set()
    out: list[int] = []
    for k in strong.tolist():
        r, c = int(rows[k]), int(cols[k])
        if r not in used_rows and c not in used_cols:
            used_rows.add(r)
            used_cols.add(c)
            out.append(k)
    free = ~np.isin(rows, list(used_rows)) & ~np.isin(cols, list(used_cols))
    left = np.flatnonzero(free)
    row_best, row_second = _best_two(rows[left], score[left])
    col_best, col_second = _best_two(cols[left], score[left])
    clear = (
        alike[left]
        & row_best
        & col_best
        & (score[left] >= LOOSE)
        & (cells.fewer[left] >= CONTAIN_TERMS)
        & (cells.shared[left] >= np.maximum(SHARED, LOOSE_SHARE * cells.fewer[left]))
        & (score[left] >= MARGIN * np.maximum(row_second, col_second))
    )
    return out + [int(k) for k in left[clear].tolist()]


def _best_two(groups: Any, score: Any) -> tuple[Any, Any]:
    """For each cell: whether it is the best of its group (ties: none is), and the group's second best score."""
    import numpy as np

    best = np.zeros(len(groups), dtype=bool)
    second = np.zeros(len(groups))
    if not len(groups):
        return best, second
    order = np.lexsort((-score, groups))
    g, s = groups[order], score[order]
    head = np.r_[True, g[1:] != g[:-1]]
    starts = np.flatnonzero(head)
    size = np.diff(np.r_[starts, len(g)])
    runner = np.where(size > 1, s[np.minimum(starts + 1, len(g) - 1)], 0.0)
    per_cell = np.repeat(runner, size)
    first = np.zeros(len(g), dtype=bool)
    first[starts] = True
    best[order] = first & (s > per_cell)
    second[order] = per_cell
    return best, second


def ranked(groups: Any, others: Any, score: Any, keep: int) -> dict[int, list[tuple[int, float]]]:
    """group -> its `keep` best (other, score), best first."""
    import numpy as np

    out: dict[int, list[tuple[int, float]]] = {}
    if not len(groups):
        return out
    order = np.lexsort((others, -score, groups))
    g = groups[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)]))
    for k in order[rank < keep].tolist():
        out.setdefault(int(groups[k]), []).append((int(others[k]), float(score[k])))
    return out
