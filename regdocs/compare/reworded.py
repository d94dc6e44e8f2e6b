"""Pair by rare content words what token similarity left: splits and merges, reworded clauses, containers.

The passes of `align` after token similarity, on the word scores of `wording`: loose clauses inside one
clause on the other side make it a split or a merge; the clauses left pair by their words, best first;
a container whose paired sub-clauses went under one new clause is that clause; the rest name their
closest matches as possibly the same clause.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import chain
from typing import Any

from regdocs.compare.pairing import Alignment, Method, Node
from regdocs.compare.wording import FLOOR as WORDS_FLOOR
from regdocs.compare.wording import MAYBE as WORDS_MAYBE
from regdocs.compare.wording import SHARED as SHARED_WORDS
from regdocs.compare.wording import Bags, Cells, Rarity, choose, ranked
from regdocs.parse.model import ClauseKind

SAME_PARENT = 0.1
"""Added to the word score of two clauses whose parents are paired: context tips close calls."""
PIECE = 0.8
"""Share of a loose clause's word weight that must sit in one clause on the other side to be a piece of it."""
PIECE_TERMS = 4
"""Fewer content words than this and a clause is no piece: a few words sit inside many clauses."""
CLEAR = 0.15
"""How much less of a piece any other clause may hold: a piece of two clauses alike is a piece of neither."""
UNION = 0.5
"""Share of a split or merged clause's word weight its pieces must hold together."""
GAIN = 0.1
"""Share of that weight the pieces must add to what the clause's partner holds already."""
SPREAD = 1.6
"""Most weight the pieces may have together, as a share of the clause's: pieces share out one text,
they do not each repeat it (boilerplate repeated in eight new clauses is no split of the old one)."""


class _Words:
    """The word-scored cells (`wording`) between the clauses left to pair and those whose text changed.

    Scored once: each pass then takes the cells whose two clauses are still free. A heading pairs with a
    heading, a provision (paragraph, item, row) with a provision.
    """

    def __init__(self, result: Alignment, used_new: set[int], rarity: Rarity | None) -> None:
        import numpy as np

        old, new = result.old, result.new
        self.result, self.used_new = result, used_new
        if rarity is None:
            rarity = Rarity(chain((o.clause for o in old), (n.clause for n in new)))
        by_new = {j: i for i, (j, _, _) in result.pairs.items()}
        olds = [
            o.index
            for o in old
            if o.index not in result.pairs or o.text != new[result.pairs[o.index][0]].text
        ]
        news = [n.index for n in new if n.index not in by_new or n.text != old[by_new[n.index]].text]
        self.bags = Bags(rarity, [old[i].clause for i in olds], [new[j].clause for j in news])
        cells = self.bags.cells(range(len(olds)), range(len(news)), WORDS_FLOOR, PIECE - CLEAR)
        heading_old = np.array([old[i].clause.kind is ClauseKind.HEADING for i in olds], dtype=bool)
        heading_new = np.array([new[j].clause.kind is ClauseKind.HEADING for j in news], dtype=bool)
        keep = heading_old[cells.rows] == heading_new[cells.cols]
        self.cells = Cells(*(getattr(cells, name)[keep] for name in Cells.__slots__))
        self.ii = np.asarray(olds, dtype=np.int64)[self.cells.rows]
        """Old index of each cell."""
        self.jj = np.asarray(news, dtype=np.int64)[self.cells.cols]
        """New index of each cell."""
        self.old_terms = self.bags.old_terms[self.cells.rows]
        self.new_terms = self.bags.new_terms[self.cells.cols]

    def free_old(self) -> Any:
        """Per old index: not paired, split or merged."""
        import numpy as np

        r = self.result
        free = np.ones(len(r.old), dtype=bool)
        taken = [*r.pairs, *r.splits, *(i for group in r.merges.values() for i in group)]
        free[np.asarray(taken, dtype=np.int64)] = False
        return free

    def free_new(self) -> Any:
        """Per new index: not paired, split or merged."""
        import numpy as np

        free = np.ones(len(self.result.new), dtype=bool)
        free[np.asarray(list(self.used_new), dtype=np.int64)] = False
        return free

    def pick(self, which: Any) -> Cells:
        """The cells picked by a mask."""
        return Cells(*(getattr(self.cells, name)[which] for name in Cells.__slots__))


def by_words(
    result: Alignment,
    used_new: set[int],
    pair: Callable[[int, int, Method, float], None],
    rarity: Rarity | None,
) -> None:
    """Pair what is left by rare content words (`wording`): pieces, reworded clauses, containers.

    First loose clauses inside one clause on the other side make it a split or a merge; then the clauses
    left pair by their words, best first; then a container whose paired sub-clauses mostly went under one
    unpaired new clause is that clause, whose sub-clauses earn the context bonus in a second round.
    """
    if len(result.pairs) == len(result.old) and len(used_new) == len(result.new):
        return
    words = _Words(result, used_new, rarity)
    _pieces(words)
    for _ in range(2):
        if not _pair_by_words(words, pair) | _containers(result, used_new, pair):
            break
    _alternatives(words)


def _pair_by_words(words: _Words, pair: Callable[[int, int, Method, float], None]) -> bool:
    """Pair the remaining clauses that share enough rare words; True when any pair was made."""
    import numpy as np

    result = words.result
    old, new = result.old, result.new
    mask = words.free_old()[words.ii] & words.free_new()[words.jj]
    cells, ii, jj = words.pick(mask), words.ii[mask], words.jj[mask]
    if not len(ii):
        return False
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    need = np.array(
        [-1 if old[i].parent == -1 else partner.get(old[i].parent, -2) for i in ii.tolist()], dtype=np.int64
    )
    have = np.array([new[j].parent for j in jj.tolist()], dtype=np.int64)
    score = cells.score + SAME_PARENT * (need == have)
    distance = np.abs(ii / max(len(old), 1) - jj / max(len(new), 1))
    # a loose pair: two clauses of one kind, not taken out of a container into one paired with another
    parent_taken = np.array([p in words.used_new for p in have.tolist()], dtype=bool)
    elsewhere = (need >= 0) & parent_taken & (need != have)
    alike = np.array(
        [old[i].clause.kind is new[j].clause.kind for i, j in zip(ii.tolist(), jj.tolist(), strict=True)],
        dtype=bool,
    )
    made = choose(cells, score, distance, alike & ~elsewhere)
    for k in made:
        pair(int(ii[k]), int(jj[k]), Method.WORDS, min(float(score[k]), 1.0))
    return bool(made)


def _containers(
    result: Alignment, used_new: set[int], pair: Callable[[int, int, Method, float], None]
) -> bool:
    """Pair an unpaired clause with the unpaired new clause holding most of its paired sub-clauses.

    At least two of them, and at least half of those paired on either side; deepest containers first, so
    that a chapter follows its sections. True when any pair was made.
    """
    old, new = result.old, result.new
    partner = {i: j for i, (j, _, _) in result.pairs.items()}
    made = False
    waiting = sorted(
        (o.index for o in old if o.index not in result.pairs and o.clause.children),
        key=lambda i: -len(old[i].ancestors),
    )
    for i in waiting:
        votes: Counter[int] = Counter()
        for k in _children(old, i):
            if k in partner and new[partner[k]].parent >= 0:
                votes[new[partner[k]].parent] += 1
        if not votes:
            continue
        ((j, v),) = votes.most_common(1)
        if (
            v < 2
            or j in used_new
            or 2 * v < sum(votes.values())
            or old[i].clause.kind is not new[j].clause.kind
        ):
            continue
        if 2 * v < sum(1 for k in _children(new, j) if k in used_new):
            continue
        pair(i, j, Method.WORDS, v / len(old[i].clause.children))
        partner[i] = j
        made = True
    return made


def _children(nodes: list[Node], parent: int) -> list[int]:
    """The indices of a clause's children (they follow it, each after the previous one's descendants)."""
    out = []
    k = parent + 1
    depth = len(nodes[parent].ancestors) + 1
    while k < len(nodes) and len(nodes[k].ancestors) >= depth:
        if nodes[k].parent == parent:
            out.append(k)
        k += 1
    return out


def _alternatives(words: _Words) -> None:
    """Note for each clause left unpaired its best matches by content words, as possibly the same clause."""
    mask = words.free_old()[words.ii] & words.free_new()[words.jj] & (words.cells.score >= WORDS_MAYBE)
    ii, jj, score = words.ii[mask], words.jj[mask], words.cells.score[mask]
    for i, found in ranked(ii, jj, score, 3).items():
        words.result.alternatives[("old", i)] = tuple(found)
    for j, found in ranked(jj, ii, score, 3).items():
        words.result.alternatives[("new", j)] = tuple(found)


def _pieces(words: _Words) -> None:
    """Loose clauses inside one clause on the other side: splits and merges, found by words.

    A loose clause is a piece of the clause holding PIECE of its word weight (or of its words, rare or
    not: a title grown by two rare words is still the title) when no other holds nearly as much (CLEAR);
    the pieces of one clause, with its partner if it has one, are a split (or a merge)
    when together they hold UNION of its weight and add GAIN to what its partner held.
    """
    import numpy as np

    result, cells = words.result, words.cells
    # merges: loose old clauses inside a new clause
    loose = words.free_old()[words.ii] & (words.old_terms >= PIECE_TERMS)
    held = np.maximum(cells.common / cells.old_weight, cells.shared / np.maximum(words.old_terms, 1))
    by_new = {j: i for i, (j, _, _) in result.pairs.items()}
    in_splits = {j for group in result.splits.values() for j in group}
    for j, pieces in _grouped(words.ii[loose], words.jj[loose], held[loose], cells.shared[loose]).items():
        mate = by_new.get(j)
        group = sorted({*pieces, *([mate] if mate is not None else [])})
        if j in in_splits or len(group) < 2 or not _adds_up(words, j, group, mate, whole_is_new=True):
            continue
        result.merges[j] = tuple(group)
        for i in group:
            result.pairs.pop(i, None)
        words.used_new.add(j)
    # splits: loose new clauses inside an old clause
    loose = words.free_new()[words.jj] & (words.new_terms >= PIECE_TERMS)
    held = np.maximum(cells.common / cells.new_weight, cells.shared / np.maximum(words.new_terms, 1))
    merged = {i for group in result.merges.values() for i in group}
    for i, pieces in _grouped(words.jj[loose], words.ii[loose], held[loose], cells.shared[loose]).items():
        mate = result.pairs[i][0] if i in result.pairs else None
        group = sorted({*pieces, *([mate] if mate is not None else [])})
        if i in merged or len(group) < 2 or not _adds_up(words, i, group, mate, whole_is_new=False):
            continue
        result.splits[i] = tuple(group)
        result.pairs.pop(i, None)
        words.used_new.update(group)


def _grouped(pieces: Any, wholes: Any, held: Any, shared: Any) -> dict[int, list[int]]:
    """whole -> the pieces it holds at PIECE, each held by no other whole within CLEAR of it."""
    import numpy as np

    out: dict[int, list[int]] = defaultdict(list)
    if not len(pieces):
        return out
    order = np.lexsort((wholes, -held, pieces))
    p, w, h, n = pieces[order], wholes[order], held[order], shared[order]
    starts = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
    second = np.where(np.diff(np.r_[starts, len(p)]) > 1, h[np.minimum(starts + 1, len(p) - 1)], 0.0)
    good = (h[starts] >= PIECE) & (n[starts] >= SHARED_WORDS) & (h[starts] - second >= CLEAR)
    for k in starts[good].tolist():
        out[int(w[k])].append(int(p[k]))
    return out


def _adds_up(words: _Words, whole: int, group: list[int], mate: int | None, *, whole_is_new: bool) -> bool:
    """Whether the group's pieces hold UNION of the whole's word weight, GAIN more than its partner alone,
    and weigh no more than SPREAD times it."""
    result, rarity = words.result, words.bags.rarity
    weight = rarity.weighted((result.new if whole_is_new else result.old)[whole].clause)
    total = sum(weight.values())
    side = result.old if whole_is_new else result.new
    union: set[int] = set()
    for k in group:
        union.update(rarity.bag(side[k].clause))
    alone: set[int] = set(rarity.bag(side[mate].clause)) if mate is not None else set()
    together = sum(w for t, w in weight.items() if t in union) / total if total else 0.0
    before = sum(w for t, w in weight.items() if t in alone) / total if total else 0.0
    spread = sum(sum(rarity.weighted(side[k].clause).values()) for k in group)
    return together >= UNION and together - before >= GAIN and spread <= SPREAD * total
