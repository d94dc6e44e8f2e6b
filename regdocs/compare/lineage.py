"""Clause lineages: one clause across every version, through renumbering, moves, splits and merges.

The one home of clause history, used by `regdocs history`, the site's clause pages and the negotiation
views: each pair of consecutive versions of a document is aligned once, the pairings (splits and merges
included) are chained into lineages, and a lineage is told as steps: what happened to the clause in each
version, with the redline from the version before.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from regdocs.compare.align import Alignment, align, flatten
from regdocs.compare.changes import full_text, pair_change
from regdocs.compare.model import ChangeKind
from regdocs.compare.redline import Segment, redline
from regdocs.parse.model import Corpus

Node = tuple[str, int, str]
"""A clause in one version: (document id, version index, clause id)."""


@dataclass(frozen=True, slots=True)
class Lineage:
    """One clause's life: the ids it had in each version where it existed."""

    document: str
    """Document id."""
    key: str
    """Stable key for its history page: its id in the latest version that has it (`id@version` if removed)."""
    ids: tuple[tuple[int, tuple[str, ...]], ...]
    """(version index, clause ids in that version), oldest first; several ids after a split."""


@dataclass(frozen=True, slots=True)
class Step:
    """A lineage in one version: what happened to the clause since the version before."""

    version: int
    """Version index."""
    ids: tuple[str, ...]
    """The clause's ids in this version (several after a split; none once removed)."""
    kind: ChangeKind
    """`ADDED` where it first appears (with no redline when there was no version of its document before)."""
    redline: tuple[Segment, ...]
    """Word redline from the previous version's text (empty when unchanged)."""


@dataclass(frozen=True, slots=True)
class Lineages:
    """Every lineage of a run of versions, with the alignments of consecutive versions they come from."""

    by_clause: dict[Node, Lineage]
    """The lineage of each clause of each version."""
    alignments: dict[tuple[str, int, int], Alignment]
    """(document id, version k - 1, version k) -> alignment."""
    corpora: list[Corpus]
    """The versions, oldest first."""

    def steps(self, lineage: Lineage) -> list[Step]:
        """The lineage version by version, from its first appearance to its removal (or the last version)."""
        present = dict(lineage.ids)
        first, last = lineage.ids[0][0], lineage.ids[-1][0]
        end = last + 1 if last < len(self.corpora) - 1 else last
        out: list[Step] = []
        for k in range(first, end + 1):
            ids = present.get(k, ())
            al = self.alignments.get((lineage.document, k - 1, k))
            if not ids:
                text = self._text(k - 1, lineage.document, present.get(k - 1, ()))
                out.append(Step(k, (), ChangeKind.REMOVED, redline(text, "") if text else ()))
            elif k == first:
                added = redline("", joined_text(al, ids, new=True)) if al else ()
                out.append(Step(k, ids, ChangeKind.ADDED, added))
            elif al is None:  # consecutive presence always comes from an alignment
                out.append(Step(k, ids, ChangeKind.UNCHANGED, ()))
            else:
                _, kind, segments = step_back(al, ids)
                out.append(Step(k, ids, kind, () if kind is ChangeKind.UNCHANGED else segments))
        return out

    def _text(self, k: int, doc_id: str, ids: tuple[str, ...]) -> str:
        doc = self.corpora[k].document(doc_id)
        return "\n\n".join(full_text(n.clause) for n in flatten(doc) if n.clause.id in ids) if doc else ""


def alignment_count(corpora: list[Corpus]) -> int:
    """About how many alignments `lineages` makes: one per document id in two consecutive versions."""
    ids = [{d.id for d in c.documents} for c in corpora]
    return sum(len(ids[k - 1] & ids[k]) for k in range(1, len(ids)))


def lineages(
    corpora: list[Corpus],
    names: list[str],
    aligned: Callable[[], None] | None = None,
    documents: Collection[str] | None = None,
) -> Lineages:
    """Chain the alignments of consecutive versions of each document (or of `documents`) into lineages.

    `names` are the versions' names (for the keys of removed clauses); `aligned` is called after each
    alignment (for progress).
    """
    chain = _Chain()
    alignments: dict[tuple[str, int, int], Alignment] = {}
    doc_ids = sorted({d.id for c in corpora for d in c.documents})
    for doc_id in doc_ids if documents is None else sorted(set(doc_ids) & set(documents)):
        for k, corpus in enumerate(corpora):
            doc = corpus.document(doc_id)
            if doc is None:
                continue
            for node in flatten(doc):  # the preamble too: it is diffed like a clause
                chain.add((doc_id, k, node.clause.id))
            before = corpora[k - 1].document(doc_id) if k else None
            if before is None:
                continue
            al = alignments[(doc_id, k - 1, k)] = align(before, doc)
            if aligned is not None:
                aligned()
            for i, j in _links(al):
                chain.union((doc_id, k - 1, al.old[i].clause.id), (doc_id, k, al.new[j].clause.id))
    return Lineages(_keyed(chain.groups(), names, len(corpora) - 1), alignments, corpora)


def _links(al: Alignment) -> list[tuple[int, int]]:
    """(old index, new index) of every pairing: pairs, and each piece of a split or merge."""
    out = [(i, j) for i, (j, _, _) in al.pairs.items()]
    out += [(i, j) for i, group in al.splits.items() for j in group]
    out += [(i, j) for j, group in al.merges.items() for i in group]
    return out


class _Chain:
    """Union-find over clauses of versions."""

    def __init__(self) -> None:
        self._parent: dict[Node, Node] = {}

    def add(self, x: Node) -> None:
        self._parent.setdefault(x, x)

    def find(self, x: Node) -> Node:
        parent = self._parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: Node, b: Node) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self._parent[rb] = ra

    def groups(self) -> list[list[Node]]:
        found: dict[Node, list[Node]] = {}
        for node in self._parent:
            found.setdefault(self.find(node), []).append(node)
        return list(found.values())


def _keyed(groups: list[list[Node]], names: list[str], last_version: int) -> dict[Node, Lineage]:
    """A lineage per group, keyed by its latest id (`id@version` once removed; `+` added to stay unique)."""
    out: dict[Node, Lineage] = {}
    used: set[tuple[str, str]] = set()
    for members in sorted(groups, key=lambda m: (m[0][0], -max(k for _, k, _ in m), sorted(m)[0][2])):
        doc_id = members[0][0]
        by_version: dict[int, list[str]] = {}
        for _, k, cid in members:
            by_version.setdefault(k, []).append(cid)
        ids = tuple((k, tuple(sorted(v))) for k, v in sorted(by_version.items()))
        last_k, last_ids = ids[-1]
        key = last_ids[0] if last_k == last_version else f"{last_ids[0]}@{names[last_k]}"
        while (doc_id, key) in used:
            key += "+"
        used.add((doc_id, key))
        lineage = Lineage(doc_id, key, ids)
        for node in members:
            out[node] = lineage
    return out


def joined_text(al: Alignment, ids: tuple[str, ...], *, new: bool) -> str:
    """The full text (title and text) of the clauses `ids` on one side of an alignment, in order."""
    nodes = al.new if new else al.old
    return "\n\n".join(full_text(n.clause) for n in nodes if n.clause.id in ids)


def step_back(al: Alignment, ids: tuple[str, ...]) -> tuple[tuple[str, ...], ChangeKind, tuple[Segment, ...]]:
    """What the new clauses `ids` were in the old version: their ids, how they changed, and the redline."""
    wanted = {al.new_at[i] for i in ids if i in al.new_at}
    for i, (j, method, _) in al.pairs.items():
        if j in wanted:
            change = pair_change(al, i, j, method)
            return (al.old[i].clause.id,), change.kind, change.redline
    for i, group in al.splits.items():
        if wanted & set(group):
            text = redline(full_text(al.old[i].clause), joined_text(al, ids, new=True))
            return (al.old[i].clause.id,), ChangeKind.SPLIT, text
    for j, group in al.merges.items():
        if j in wanted:
            olds = tuple(al.old[i].clause.id for i in group)
            return (
                olds,
                ChangeKind.MERGED,
                redline(joined_text(al, olds, new=False), full_text(al.new[j].clause)),
            )
    return (), ChangeKind.ADDED, ()
