"""A clause through every round (`regdocs history`): its lineage told step by step, with each round's rationale."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.align import flatten
from regdocs.compare.changes import side_of
from regdocs.compare.lineage import lineages
from regdocs.compare.model import ChangeKind, Side
from regdocs.compare.redline import Segment
from regdocs.corpus.lookup import find_clause
from regdocs.corpus.sources import RoundInfo, Sources
from regdocs.corpus.versions import LoadedVersion, load_versions
from regdocs.errors import ClauseNotFound

WORKING_TREE = "working tree"
"""The label of the working tree's step."""


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """The clause as it stood in one version."""

    version: str
    """Version label: round name or `working tree`."""
    round: RoundInfo | None
    """Round, commit, author and message (None for the working tree)."""
    document: str
    """Document id."""
    sides: tuple[Side, ...]
    """The clause in this version (several when it was split; none once removed)."""
    kind: ChangeKind
    """What happened since the previous version (`added` where it first appears)."""
    redline: tuple[Segment, ...]
    """Word redline from the previous version's text (none where it first appears with its document)."""


def clause_history(sources: Sources, key: str, doc_key: str | None = None) -> list[HistoryStep]:
    """Return the clause's steps oldest first; `key` names it in the latest version that has it."""
    versions = load_versions(sources)
    for k in range(len(versions) - 1, -1, -1):
        try:
            doc, clause = find_clause(versions[k].corpus, key, doc_key)
        except ClauseNotFound as exc:
            if "matches" in exc.message:
                raise  # ambiguous: say so rather than "not found"
            continue
        names = [_label(v) for v in versions]
        chained = lineages([v.corpus for v in versions], names, documents=(doc.id,))
        lineage = chained.by_clause[(doc.id, k, clause.id)]
        return [_step(versions[s.version], doc.id, s.ids, s.kind, s.redline) for s in chained.steps(lineage)]
    raise ClauseNotFound(
        f"no clause {key!r} in any round or the working tree",
        hint="give a clause id or number as shown by 'regdocs outline'",
    )


def _label(version: LoadedVersion) -> str:
    return version.round.round.name if version.round is not None else WORKING_TREE


def _step(
    version: LoadedVersion, doc_id: str, ids: tuple[str, ...], kind: ChangeKind, line: tuple[Segment, ...]
) -> HistoryStep:
    doc = version.corpus.document(doc_id)
    nodes = {n.clause.id: n for n in flatten(doc)} if doc is not None else {}
    sides = tuple(side_of(nodes[i]) for i in ids if i in nodes)
    return HistoryStep(_label(version), version.round, doc_id, sides, kind, line)
