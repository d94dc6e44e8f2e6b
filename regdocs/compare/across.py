"""Across documents: pair a renamed file with its old self, and clauses that moved between documents.

Documents pair by id (front-matter `id`, else the path without `.md`). A file renamed without a
front-matter id changes id, so the files left unpaired on both sides pair by their words (`wording`),
each with the one clearly closest to it. Then the clauses every document pair left unpaired are paired
across documents, by their words as within one: a requirement moved from chapter V2 to chapter V6.
"""

from __future__ import annotations

from collections.abc import Sequence

from regdocs.compare.align import plain
from regdocs.compare.pairing import Alignment, Elsewhere, Method
from regdocs.compare.wording import FLOOR, Bags, Cells, Rarity, choose
from regdocs.parse.model import ClauseKind, Document

DOCUMENT_PAIR = 0.4
"""Word score (Dice over all their words) at which two renamed files may be one document."""
DOCUMENT_MARGIN = 1.25
"""How much closer than any other file either of the two must be."""


def named_by_file(doc: Document) -> bool:
    """Whether the document's id is its file's path (no front matter, so no `id` of its own)."""
    return doc.front_matter_lines == 0 and doc.id == doc.path.removesuffix(".md")


def pair_documents(
    old: Sequence[Document], new: Sequence[Document], rarity: Rarity
) -> list[tuple[Document | None, Document | None]]:
    """Old and new versions of each document: same id, else (files named by their path) the closest words."""
    old_ids = {d.id for d in old}
    new_by_id = {d.id: d for d in new}
    lone_old = [a for a in old if a.id not in new_by_id and named_by_file(a)]
    lone_new = [b for b in new if b.id not in old_ids and named_by_file(b)]
    found = _closest(lone_old, lone_new, rarity) if lone_old and lone_new else {}
    pairs: list[tuple[Document | None, Document | None]] = [
        (a, new_by_id.get(a.id) or found.get(a.id)) for a in old
    ]
    taken = {b.id for _, b in pairs if b is not None}
    return pairs + [(None, b) for b in new if b.id not in taken]


def _closest(old: Sequence[Document], new: Sequence[Document], rarity: Rarity) -> dict[str, Document]:
    """Old id -> new document, for the pairs scoring DOCUMENT_PAIR, each clearly the other's closest."""
    bags = [_document_bag(d, rarity) for d in old], [_document_bag(d, rarity) for d in new]
    score = [[_dice(a, b) for b in bags[1]] for a in bags[0]]
    out: dict[str, Document] = {}
    for r, row in enumerate(score):
        c = max(range(len(row)), key=row.__getitem__)
        column = [score[k][c] for k in range(len(score))]
        others = [s for k, s in enumerate(row) if k != c] + [s for k, s in enumerate(column) if k != r]
        if row[c] >= DOCUMENT_PAIR and row[c] >= DOCUMENT_MARGIN * max(others, default=0.0):
            out[old[r].id] = new[c]
    return out


def _document_bag(doc: Document, rarity: Rarity) -> dict[int, float]:
    """Every content word of a document with its greatest weight in any of its clauses."""
    bag: dict[int, float] = {}
    for clause in doc.walk():
        for t, w in rarity.weighted(clause).items():
            if w > bag.get(t, 0.0):
                bag[t] = w
    return bag


def _dice(a: dict[int, float], b: dict[int, float]) -> float:
    total = sum(a.values()) + sum(b.values())
    return 2 * sum(min(w, b[t]) for t, w in a.items() if t in b) / total if total else 0.0


def move_between(alignments: Sequence[tuple[str, str, Alignment]], rarity: Rarity) -> None:
    """Pair clauses left unpaired in one document with clauses left unpaired in another (`Alignment.arrived`).

    `alignments` holds (old document id, new document id, alignment) for every pair of documents, ids
    empty for a document added or removed. A heading pairs with a heading, a provision with a provision.
    """
    import numpy as np

    olds = [(k, i) for k, (_, _, al) in enumerate(alignments) for i in al.unpaired_old()]
    news = [(k, j) for k, (_, _, al) in enumerate(alignments) for j in al.unpaired_new()]
    if not olds or not news or {k for k, _ in olds} | {k for k, _ in news} == {olds[0][0]}:
        return  # nothing left, or all of it in one document
    old_nodes = [alignments[k][2].old[i] for k, i in olds]
    new_nodes = [alignments[k][2].new[j] for k, j in news]
    cells = Bags(rarity, [n.clause for n in old_nodes], [n.clause for n in new_nodes]).cells(
        range(len(olds)), range(len(news)), FLOOR
    )
    old_doc = np.array([k for k, _ in olds], dtype=np.int64)[cells.rows]
    new_doc = np.array([k for k, _ in news], dtype=np.int64)[cells.cols]
    old_heading = np.array([n.clause.kind is ClauseKind.HEADING for n in old_nodes], dtype=bool)
    new_heading = np.array([n.clause.kind is ClauseKind.HEADING for n in new_nodes], dtype=bool)
    keep = (old_doc != new_doc) & (old_heading[cells.rows] == new_heading[cells.cols])
    cells = Cells(*(getattr(cells, name)[keep] for name in Cells.__slots__))
    old_kind = [n.clause.kind for n in old_nodes]
    new_kind = [n.clause.kind for n in new_nodes]
    alike = np.array(
        [old_kind[r] is new_kind[c] for r, c in zip(cells.rows.tolist(), cells.cols.tolist(), strict=True)],
        dtype=bool,
    )
    for k in choose(cells, cells.score, np.abs(old_doc[keep] - new_doc[keep]), alike):
        (ko, i), (kn, j) = olds[int(cells.rows[k])], news[int(cells.cols[k])]
        o, n = old_nodes[int(cells.rows[k])], new_nodes[int(cells.cols[k])]
        method = Method.TEXT if plain(o.clause) == plain(n.clause) else Method.WORDS
        score = min(float(cells.score[k]), 1.0)
        alignments[ko][2].departed[i] = Elsewhere(alignments[kn][1], n, method, score)
        alignments[kn][2].arrived[j] = Elsewhere(alignments[ko][0], o, method, score)
