"""Blame by clause (`regdocs blame`): for each clause of a version, the round that last changed its words.

Like `git blame`, by clause instead of by line: who tabled the words a clause has now, when, and since
which round the clause has existed. Renumbering and moves leave its words alone, so they are not blamed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regdocs.compare.align import flatten
from regdocs.compare.changes import side_of
from regdocs.compare.model import ChangeKind, Side
from regdocs.corpus.sources import Sources
from regdocs.errors import RegdocsError
from regdocs.gitflow.columns import Column, Columns, round_columns
from regdocs.gitflow.table import Row, table_rows


@dataclass(frozen=True, slots=True)
class BlameLine:
    """One clause of the version blamed."""

    document: str
    """Document id."""
    clause: str
    """Clause id."""
    citation: str
    """How it is cited (`section 20(1)`)."""
    title: str
    """Heading title, or empty."""
    text: str
    """Its own text (sub-clauses excluded)."""
    path: str
    """Document file."""
    line: int
    """1-based line where it starts."""
    changed: Column
    """The round that last changed its words (where it first appears, when they never changed)."""
    kind: ChangeKind
    """How they changed then: `added` where it first appears, `modified`, `split`, `merged`..."""
    introduced: Column
    """The round its lineage begins in (for a piece of a split: where the clause it came from began)."""


@dataclass(frozen=True, slots=True)
class Blame:
    """Every clause of one version with the round that last worded it."""

    title: str
    """Corpus title."""
    version: Column
    """The version blamed."""
    columns: tuple[Column, ...]
    """The rounds read, oldest first, ending with the version blamed."""
    lines: tuple[BlameLine, ...]
    """The clauses of the version, by document, in document order."""


def blame(sources: Sources, args: Sequence[str] = ()) -> Blame:
    """Blame `[VERSION] [DOC]`: VERSION a round (default: the latest version), DOC a document id or path."""
    if len(args) > 2:
        raise RegdocsError("blame takes at most VERSION and DOC", hint="regdocs blame [VERSION] [DOC]")
    version, doc_key = _parse(sources, args)
    loaded = round_columns(sources, version)
    documents = (_document(loaded, doc_key, sources, lone=len(args) == 1),) if doc_key else None
    chained, rows = table_rows(loaded, [None] * len(loaded.columns), documents=documents)
    by_lineage = {(r.document, r.key): r for r in rows}
    last = len(loaded.columns) - 1
    lines: list[BlameLine] = []
    for doc in loaded.corpora[last].documents:
        if documents is not None and doc.id not in documents:
            continue
        for node in flatten(doc):
            lineage = chained.by_clause[(doc.id, last, node.clause.id)]
            row = by_lineage[(lineage.document, lineage.key)]
            lines.append(_line(loaded, row, side_of(node), doc.id))
    return Blame(loaded.title, loaded.columns[last], loaded.columns, tuple(lines))


def _parse(sources: Sources, args: Sequence[str]) -> tuple[str | None, str | None]:
    """(round, document) from `[VERSION] [DOC]`; a lone argument that is no round is a document."""
    if len(args) == 2:
        return args[0], args[1]
    if len(args) == 1:
        names = {r.name for r in sources.all_rounds()}
        return (args[0], None) if args[0] in names else (None, args[0])
    return None, None


def _document(loaded: Columns, key: str, sources: Sources, *, lone: bool) -> str:
    """The id of the document `key` names; a lone argument that names none was meant as a round, perhaps."""
    try:
        return loaded.document_id(key)
    except RegdocsError as exc:
        if not lone:
            raise
        rounds = ", ".join(r.name for r in sources.all_rounds()) or "none"
        raise RegdocsError(
            f"{key!r} is neither a round nor a document", hint=f"rounds: {rounds}; {exc.hint}"
        ) from None


def _line(loaded: Columns, row: Row, side: Side, doc_id: str) -> BlameLine:
    worded = [k for k, cell in enumerate(row.cells) if cell.worded]
    k = worded[-1]
    kind = row.cells[k].kind or ChangeKind.ADDED
    return BlameLine(
        document=doc_id,
        clause=side.id,
        citation=side.citation,
        title=side.title,
        text=side.text,
        path=side.path,
        line=side.line,
        changed=loaded.columns[k],
        kind=kind,
        introduced=row.introduced,
    )
