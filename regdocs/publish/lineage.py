"""Clause lineages: the same clause across every version, through renumbering, moves, splits and merges."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regdocs.compare.align import Alignment, align
from regdocs.parse.model import Corpus


@dataclass(frozen=True, slots=True)
class Lineage:
    """One clause's life: the ids it had in each version where it existed."""

    document: str
    """Document id."""
    key: str
    """Stable key for its history page: its id in the latest version that has it (`id@version` if removed)."""
    ids: tuple[tuple[int, tuple[str, ...]], ...]
    """(version index, clause ids in that version), oldest first; several ids after a split."""


def alignment_count(corpora: list[Corpus]) -> int:
    """About how many alignments `lineages` makes: one per document id in two consecutive versions."""
    ids = [{d.id for d in c.documents} for c in corpora]
    return sum(len(ids[k - 1] & ids[k]) for k in range(1, len(ids)))


def lineages(
    corpora: list[Corpus], latest_names: list[str], aligned: Callable[[], None] | None = None
) -> tuple[dict[tuple[str, int, str], Lineage], dict[tuple[str, int, int], Alignment]]:
    """Chain the alignments of consecutive versions of each document into lineages.

    Returns the lineage of every (document, version index, clause id) and the alignments used;
    `aligned` is called after each alignment (for progress).
    """
    parent: dict[tuple[str, int, str], tuple[str, int, str]] = {}

    def find(x: tuple[str, int, str]) -> tuple[str, int, str]:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: tuple[str, int, str], b: tuple[str, int, str]) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    alignments: dict[tuple[str, int, int], Alignment] = {}
    doc_ids = sorted({d.id for c in corpora for d in c.documents})
    for doc_id in doc_ids:
        for k, corpus in enumerate(corpora):
            doc = corpus.document(doc_id)
            if doc is None:
                continue
            for clause in doc.walk():
                parent.setdefault((doc_id, k, clause.id), (doc_id, k, clause.id))
            if k == 0:
                continue
            before = corpora[k - 1].document(doc_id)
            if before is None:
                continue
            al = align(before, doc)
            alignments[(doc_id, k - 1, k)] = al
            if aligned is not None:
                aligned()
            for i, (j, _, _) in al.pairs.items():
                union((doc_id, k - 1, al.old[i].clause.id), (doc_id, k, al.new[j].clause.id))
            for i, group in al.splits.items():
                for j in group:
                    union((doc_id, k - 1, al.old[i].clause.id), (doc_id, k, al.new[j].clause.id))
            for j, group in al.merges.items():
                for i in group:
                    union((doc_id, k - 1, al.old[i].clause.id), (doc_id, k, al.new[j].clause.id))
    groups: dict[tuple[str, int, str], list[tuple[str, int, str]]] = {}
    for node in parent:
        groups.setdefault(find(node), []).append(node)
    out: dict[tuple[str, int, str], Lineage] = {}
    last_version = len(corpora) - 1
    used: set[tuple[str, str]] = set()
    for members in sorted(
        groups.values(), key=lambda m: (m[0][0], -max(k for _, k, _ in m), sorted(m)[0][2])
    ):
        doc_id = members[0][0]
        by_version: dict[int, list[str]] = {}
        for _, k, cid in members:
            by_version.setdefault(k, []).append(cid)
        ids = tuple((k, tuple(sorted(v))) for k, v in sorted(by_version.items()))
        last_k, last_ids = ids[-1]
        key = last_ids[0] if last_k == last_version else f"{last_ids[0]}@{latest_names[last_k]}"
        while (doc_id, key) in used:
            key += "+"
        used.add((doc_id, key))
        lineage = Lineage(doc_id, key, ids)
        for node in members:
            out[node] = lineage
    return out, alignments
