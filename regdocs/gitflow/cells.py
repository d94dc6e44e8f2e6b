"""The cells of the negotiation table: a clause lineage in each column, with the diff's view of each change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from regdocs.compare.align import Node, flatten
from regdocs.compare.changes import full_text, side_of
from regdocs.compare.lineage import Lineage, Lineages, Step
from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, Finding, Triage
from regdocs.compare.redline import Op, Segment
from regdocs.findings.brackets import OpenPoint, document_labels, open_points


class Mark(StrEnum):
    """What happened to a clause in a column, as one character."""

    ADDED = "+"
    """It first appears (in the first column: it is there)."""
    CHANGED = "~"
    """It changed since the column before: words, number or place."""
    UNCHANGED = "="
    """Nothing changed since the column before."""
    REMOVED = "-"
    """It was removed since the column before."""
    ABSENT = ""
    """It does not exist in this column."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A clause in one column."""

    mark: Mark
    """`+` first appears, `~` changed, `=` unchanged, `-` removed, empty when absent."""
    kind: ChangeKind | None
    """What happened since the column before (`added` where it first appears); None when absent."""
    triage: Triage
    """How much that change matters, as the diff of the two columns judges it (`none` when unchanged and in
    the first column)."""
    ids: tuple[str, ...]
    """Its clause ids in this column (several after a split; none when removed or absent)."""
    citation: str
    """How it is cited in this column (`section 20(1)`; the pieces of a split joined by ` + `)."""
    text: str
    """Its title and text in this column (empty when removed or absent)."""
    redline: tuple[Segment, ...]
    """Word redline from the column before: all inserted where it first appears after the first column,
    all deleted where removed; empty where its words did not change, and in the first column."""
    same_as: str
    """Where its words did not change: the column whose text it repeats (the last one that wrote it out)."""
    findings: tuple[Finding, ...] = ()
    """What the diff from the column before found in it: obligations weakened, deadlines changed..."""
    open: tuple[OpenPoint, ...] = ()
    """Square-bracketed alternatives in its text (looked for only with `[negotiation] brackets = true`)."""

    @property
    def present(self) -> bool:
        """Whether the clause exists in this column."""
        return bool(self.ids)

    @property
    def worded(self) -> bool:
        """Whether its words were set in this column: where it first appears, or where they changed."""
        return self.present and (self.mark is Mark.ADDED or bool(self.redline))


ABSENT = Cell(Mark.ABSENT, None, Triage.NONE, (), "", "", (), "")
"""The cell of a column where the clause does not exist."""


class CellMaker:
    """Make the cells of lineages: each clause's text and citation per column, each change's triage."""

    def __init__(
        self, chained: Lineages, names: Sequence[str], diffs: Sequence[CorpusDiff | None], *, brackets: bool
    ) -> None:
        self._chained = chained
        self._names = list(names)
        self._diffs = [_DiffIndex(d) for d in diffs] or [_DiffIndex(None)]
        self._brackets = brackets
        self._nodes: dict[tuple[str, int], dict[str, Node]] = {}
        self._labels: dict[tuple[str, int], frozenset[str]] = {}

    def cells(self, lineage: Lineage) -> tuple[Cell, ...]:
        """The lineage's cell in every column."""
        out = [ABSENT] * len(self._names)
        shown = ""
        before: tuple[str, ...] = ()
        first = lineage.ids[0][0]
        for step in self._chained.steps(lineage):
            k = step.version
            if step.ids:
                out[k] = self._present(lineage.document, step, first, shown)
                shown = self._names[k] if out[k].worded else shown
            else:
                out[k] = self._removed(lineage.document, step, before)
            before = step.ids
        return tuple(out)

    def title(self, doc_id: str, k: int, ids: tuple[str, ...]) -> str:
        """The heading title of the clauses `ids` in version k (the first that has one)."""
        nodes = self._nodes_of(doc_id, k)
        return next((nodes[i].clause.title for i in ids if i in nodes and nodes[i].clause.title), "")

    def _present(self, doc_id: str, step: Step, first: int, shown: str) -> Cell:
        k = step.version
        nodes = self._nodes_of(doc_id, k)
        found = [nodes[i] for i in step.ids if i in nodes]
        text = "\n\n".join(full_text(n.clause) for n in found)
        if k == first:
            inserted = (Segment(Op.INSERT, text),) if text else ()
            mark, line = Mark.ADDED, (() if k == 0 else step.redline or inserted)
        elif step.kind is ChangeKind.UNCHANGED:
            mark, line = Mark.UNCHANGED, ()
        else:
            mark, line = Mark.CHANGED, step.redline
        index = self._index(k)
        change = index.change(doc_id, step.ids, new=True) if k and mark is not Mark.UNCHANGED else None
        return Cell(
            mark=mark,
            kind=step.kind,
            triage=_triage(mark, step.kind, line, change, k),
            ids=step.ids,
            citation=" + ".join(side_of(n).citation for n in found),
            text=text,
            redline=line,
            same_as="" if mark is Mark.ADDED or line else shown,
            findings=index.findings(doc_id, step.ids, change),
            open=open_points(text, self._labels_of(doc_id, k)) if self._brackets else (),
        )

    def _removed(self, doc_id: str, step: Step, before: tuple[str, ...]) -> Cell:
        change = self._index(step.version).change(doc_id, before, new=False)
        triage = change.triage if change is not None else Triage.SUBSTANTIVE
        findings = change.findings if change is not None else ()
        return Cell(Mark.REMOVED, ChangeKind.REMOVED, triage, (), "", "", step.redline, "", findings)

    def _index(self, k: int) -> _DiffIndex:
        return self._diffs[k] if k < len(self._diffs) else self._diffs[0]

    def _nodes_of(self, doc_id: str, k: int) -> dict[str, Node]:
        nodes = self._nodes.get((doc_id, k))
        if nodes is None:
            doc = self._chained.corpora[k].document(doc_id)
            nodes = self._nodes[(doc_id, k)] = {n.clause.id: n for n in flatten(doc)} if doc else {}
        return nodes

    def _labels_of(self, doc_id: str, k: int) -> frozenset[str]:
        labels = self._labels.get((doc_id, k))
        if labels is None:
            doc = self._chained.corpora[k].document(doc_id)
            labels = self._labels[(doc_id, k)] = document_labels(doc) if doc else frozenset()
        return labels


def _triage(
    mark: Mark, kind: ChangeKind, line: tuple[Segment, ...], change: ClauseChange | None, k: int
) -> Triage:
    """The diff's triage of the change; where the diff paired the clause otherwise, judged from the step."""
    if mark is Mark.UNCHANGED or k == 0:
        return Triage.NONE
    if change is not None:
        return change.triage
    if kind in (ChangeKind.ADDED, ChangeKind.SPLIT, ChangeKind.MERGED) or line:
        return Triage.SUBSTANTIVE
    return Triage.MOVE if kind is ChangeKind.MOVED else Triage.RENUMBER


class _DiffIndex:
    """One diff's changes by the clause ids on each side, and its findings attached to no change."""

    def __init__(self, diff: CorpusDiff | None) -> None:
        self._new: dict[tuple[str, str], ClauseChange] = {}
        self._old: dict[tuple[str, str], ClauseChange] = {}
        self._loose: dict[tuple[str, str], list[Finding]] = {}
        if diff is None:
            return
        attached: set[int] = set()
        for doc in diff.documents:
            for change in doc.changes:
                self._new.update(((doc.id, s.id), change) for s in change.new)
                self._old.update(((doc.id, s.id), change) for s in change.old)
                attached.update(id(f) for f in change.findings)
        for f in diff.findings:  # cross-references and terms: found in the corpus, told at a clause
            if id(f) not in attached:
                self._loose.setdefault((f.document, f.clause), []).append(f)

    def change(self, doc_id: str, ids: tuple[str, ...], *, new: bool) -> ClauseChange | None:
        """The change that has one of the clauses `ids` on its new (or old) side."""
        side = self._new if new else self._old
        return next((side[(doc_id, i)] for i in ids if (doc_id, i) in side), None)

    def findings(self, doc_id: str, ids: tuple[str, ...], change: ClauseChange | None) -> tuple[Finding, ...]:
        """The change's findings, then those the diff told at the clauses `ids` (in the new version)."""
        found = list(change.findings) if change is not None else []
        for i in ids:
            found += self._loose.get((doc_id, i), [])
        return tuple(found)
