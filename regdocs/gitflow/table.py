"""The negotiation table (`regdocs table`): a row per clause lineage, a column per round, its text in each.

A cell holds the clause as it stood in that round, redlined against the column before it; a clause that
did not change shows which column it reads as. Each row says where the clause stands now: new, dropped,
changed in the last round, settled since a round, or open (square-bracketed alternatives left in it).
The lineages are those of `history` (`compare/lineage.py`); how much each change matters is the triage
and the findings of the diff between consecutive columns.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from regdocs.compare.lineage import Lineage, Lineages, lineages
from regdocs.compare.model import CorpusDiff, Triage
from regdocs.corpus.sources import Sources
from regdocs.errors import RegdocsError
from regdocs.gitflow.cells import Cell, CellMaker, Mark
from regdocs.gitflow.columns import Column, Columns, consecutive_diffs, load_columns


class Status(StrEnum):
    """Where a clause stands in the last column."""

    OPEN = "open"
    """Its text holds square-bracketed alternatives (only when `[negotiation] brackets = true`)."""
    NEW = "new"
    """It first appears in the last column."""
    DROPPED = "dropped"
    """It is absent from the last column, present before."""
    CHANGED = "changed"
    """It changed in the last column (renumbering and moves count)."""
    SETTLED = "settled"
    """It has not changed since the column named by the row's `since`."""


@dataclass(frozen=True, slots=True)
class Row:
    """One clause through the columns."""

    document: str
    """Document id."""
    key: str
    """The clause's lineage key: its id in the latest column that has it (`id@column` once removed)."""
    citation: str
    """Its citation in the latest column where it exists."""
    title: str
    """Its heading title there, or empty."""
    cells: tuple[Cell, ...]
    """One per column, in column order."""
    status: Status
    """Where it stands in the last column."""
    since: Column | None
    """For a settled clause, the column since which it has not changed."""
    introduced: Column
    """The first column where it exists."""
    last_changed: Column
    """The last column that added, changed or removed it (its first column when it never changed)."""


@dataclass(frozen=True, slots=True)
class NegotiationTable:
    """Every clause of a run of versions, side by side."""

    title: str
    """Corpus title."""
    columns: tuple[Column, ...]
    """The versions compared, in order."""
    rows: tuple[Row, ...]
    """The rows kept by the filters, by document, then in the order of the latest column."""
    total: int
    """How many rows there were before filtering."""
    brackets: bool
    """Whether square-bracketed alternatives were looked for (`[negotiation] brackets = true`)."""


@dataclass(frozen=True, slots=True)
class RowFilter:
    """Which rows `table` keeps: any status named (none: all), changed by a party, substantive ones."""

    statuses: frozenset[str] = frozenset()
    """Status names (`open`, `new`, `dropped`, `changed`, `settled`); empty keeps every status."""
    party: str = ""
    """Keep rows added, changed or removed after the first column in a round whose party contains this
    (case ignored)."""
    substantive: bool = False
    """Keep rows with a substantive change after the first column (not editorial or renumbering only); with
    `party`, a substantive change by that party."""


def negotiation_table(
    sources: Sources, specs: Sequence[str] = (), doc: str | None = None, keep: RowFilter = RowFilter()
) -> NegotiationTable:
    """The table of the versions `specs` (none: every round, then the working tree if it differs)."""
    statuses = _statuses(keep.statuses)
    loaded = load_columns(sources, specs)
    _check_party(keep.party, loaded.columns)
    documents = (loaded.document_id(doc),) if doc else None
    brackets = sources.config.negotiation.brackets
    diffs = consecutive_diffs(loaded.corpora)
    rows = table_rows(loaded, diffs, documents=documents, brackets=brackets)[1]
    kept = tuple(r for r in rows if _keeps(r, keep, statuses, loaded.columns))
    return NegotiationTable(loaded.title, loaded.columns, kept, len(rows), brackets)


def table_rows(
    loaded: Columns,
    diffs: Sequence[CorpusDiff | None],
    *,
    documents: Collection[str] | None = None,
    brackets: bool = False,
) -> tuple[Lineages, list[Row]]:
    """Every lineage of the columns as a row, in reading order; with the lineages they come from.

    `diffs` (one per column, None for the first; or all None) give each change its triage and findings.
    """
    names = [c.name for c in loaded.columns]
    chained = lineages(list(loaded.corpora), names, documents=documents)
    maker = CellMaker(chained, names, diffs, brackets=brackets)
    every = set(chained.by_clause.values())
    order = _reading_order(chained, every)
    rows = [_row(lineage, maker, loaded.columns) for lineage in sorted(every, key=order.__getitem__)]
    return chained, rows


def _row(lineage: Lineage, maker: CellMaker, columns: tuple[Column, ...]) -> Row:
    cells = maker.cells(lineage)
    present = [k for k, c in enumerate(cells) if c.present]
    changed = [k for k, c in enumerate(cells) if c.mark in (Mark.ADDED, Mark.CHANGED, Mark.REMOVED)]
    first, latest, last = present[0], present[-1], len(columns) - 1
    since: Column | None = columns[changed[-1]]
    status = Status.SETTLED
    if not cells[last].present:
        status, since = Status.DROPPED, None
    elif cells[last].open:
        status, since = Status.OPEN, None
    elif first == last and last > 0:
        status, since = Status.NEW, None
    elif cells[last].mark is Mark.CHANGED:
        status, since = Status.CHANGED, None
    return Row(
        document=lineage.document,
        key=lineage.key,
        citation=cells[latest].citation,
        title=maker.title(lineage.document, latest, cells[latest].ids),
        cells=cells,
        status=status,
        since=since,
        introduced=columns[first],
        last_changed=columns[changed[-1]],
    )


def _reading_order(chained: Lineages, every: set[Lineage]) -> dict[Lineage, tuple[str, int, int, int, int]]:
    """Sort keys: document, then place in the last column (doubled, so that a dropped clause fits between two):
    a dropped clause goes before the clause that followed it (a deleted section stays between its
    neighbours, after the sub-clauses added to the one before), or after the last one before it."""
    from regdocs.compare.align import flatten

    last = len(chained.corpora) - 1
    alive: dict[Lineage, int] = {}
    for doc_id in sorted({lineage.document for lineage in every}):
        doc = chained.corpora[last].document(doc_id)
        for pos, node in enumerate(flatten(doc) if doc else ()):
            alive[chained.by_clause[(doc_id, last, node.clause.id)]] = pos
    keys: dict[Lineage, tuple[str, int, int, int, int]] = {}
    anchors: dict[tuple[str, int], dict[str, tuple[int, int]]] = {}
    for lineage in every:
        if lineage in alive:
            keys[lineage] = (lineage.document, 2 * alive[lineage], 0, 0, 0)
            continue
        k, ids = lineage.ids[-1]
        if (lineage.document, k) not in anchors:
            anchors[(lineage.document, k)] = _anchors(chained, lineage.document, k, alive)
        anchor, index = anchors[(lineage.document, k)][ids[0]]
        keys[lineage] = (lineage.document, anchor, 0, k, index)
    return keys


def _anchors(chained: Lineages, doc_id: str, k: int, alive: dict[Lineage, int]) -> dict[str, tuple[int, int]]:
    """Clause id in version k -> (its place among the clauses of the last column, as a sort key; its index).

    The place is just before the nearest clause after it that is still there; failing that (it was at the
    end), just after the nearest one before it.
    """
    from regdocs.compare.align import flatten

    doc = chained.corpora[k].document(doc_id)
    nodes = flatten(doc) if doc else []
    lineage_at = [chained.by_clause[(doc_id, k, n.clause.id)] for n in nodes]
    out: dict[str, tuple[int, int]] = {}
    before = -1
    for index, lineage in enumerate(lineage_at):
        out[nodes[index].clause.id] = (2 * before + 1, index)
        before = alive.get(lineage, before)
    after: int | None = None
    for index in range(len(nodes) - 1, -1, -1):
        if after is not None:
            out[nodes[index].clause.id] = (2 * after - 1, index)
        after = alive.get(lineage_at[index], after)
    return out


def _statuses(names: Collection[str]) -> frozenset[Status]:
    known = {s.value: s for s in Status}
    wrong = sorted(set(names) - set(known))
    if wrong:
        raise RegdocsError(f"unknown status {wrong[0]!r}", hint="statuses: " + ", ".join(known))
    return frozenset(known[n] for n in names)


def _check_party(party: str, columns: tuple[Column, ...]) -> None:
    """Refuse a party no column was tabled by: a typo would otherwise show an empty table."""
    if party and not any(party.casefold() in c.party.casefold() for c in columns[1:]):
        parties = sorted({c.party for c in columns[1:] if c.party})
        raise RegdocsError(
            f"no round after the first column was tabled by a party matching {party!r}",
            hint="parties: " + ", ".join(parties) if parties else "no round after the first names a party",
        )


def _keeps(row: Row, keep: RowFilter, statuses: frozenset[Status], columns: tuple[Column, ...]) -> bool:
    """Whether a row passes the filters: its status, then its changes after the first column (by the
    party, when one is given; substantive, when asked)."""
    if statuses and row.status not in statuses:
        return False
    party = keep.party.casefold()
    events = [
        cell
        for k, cell in enumerate(row.cells)
        if k
        and cell.mark in (Mark.ADDED, Mark.CHANGED, Mark.REMOVED)
        and party in columns[k].party.casefold()
    ]
    if keep.substantive:
        events = [cell for cell in events if cell.triage is Triage.SUBSTANTIVE]
    return bool(events) if party or keep.substantive else True
