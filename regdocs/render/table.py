"""Text views of the negotiation table: terminal (a line per clause), markdown, CSV and JSON."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from regdocs.compare.model import SCHEMA, ChangeKind
from regdocs.compare.redline import Op, Segment
from regdocs.gitflow.cells import Cell, Mark
from regdocs.gitflow.columns import Column
from regdocs.gitflow.table import NegotiationTable, Row, Status
from regdocs.render.jsonout import plain_data
from regdocs.render.listing import plural
from regdocs.render.markdown import md_escape, redline_md
from regdocs.render.sanitize import json_text, scrubbed, visible
from regdocs.render.terminal import BOLD, CYAN, DIM, GREEN, RED, YELLOW, Paint, inline

MARK_COLOR = {Mark.ADDED: GREEN, Mark.CHANGED: YELLOW, Mark.REMOVED: RED, Mark.UNCHANGED: DIM}
"""The colour of each change marker on a terminal."""

_CITATION_WIDTH = 36
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""How a spreadsheet cell starts when a spreadsheet would run it as a formula."""


def status_text(row: Row) -> str:
    """`settled since round-2`, `open (2)` (its open points), `new`, `changed`, `dropped in round-2`."""
    if row.status is Status.SETTLED and row.since is not None:
        return f"settled since {row.since.name}"
    if row.status is Status.OPEN:
        return f"open ({len(row.cells[-1].open)})"
    if row.status is Status.DROPPED:
        return f"dropped in {row.last_changed.name}"
    return row.status.value


def column_text(column: Column) -> str:
    """A column as `round-3 · Joint drafting committee · 2026-08-10` (what it has of those)."""
    return " \u00b7 ".join(part for part in (column.name, column.party, column.date) if part)


def cell_words(cell: Cell) -> str:
    """A cell as plain text: its redline as `[-old-]{+new+}`, its text, or `= round-2`; empty when absent."""
    if not cell.present and cell.mark is not Mark.REMOVED:
        return ""
    if cell.redline:
        return inline(cell.redline, Paint(False))
    if cell.same_as:
        return f"= {cell.same_as}" + _moved(cell)
    return cell.text


def _moved(cell: Cell) -> str:
    """` (renumbered)`, ` (moved)`: what changed in a cell whose words did not."""
    kinds = (ChangeKind.RENUMBERED, ChangeKind.MOVED, ChangeKind.SPLIT, ChangeKind.MERGED)
    return f" ({cell.kind.value})" if cell.mark is Mark.CHANGED and cell.kind in kinds else ""


def legend(table: NegotiationTable) -> str:
    """What the marks mean and which column each position is."""
    cols = " \u00b7 ".join(f"{k} {c.name}" for k, c in enumerate(table.columns, 1))
    return f"marks: + added  ~ changed  = unchanged  - removed; columns: {cols}"


def table_terminal(table: NegotiationTable, *, color: bool = False) -> str:
    """One line per clause: citation, status, a change mark per column, and the round that last changed it."""
    table = scrubbed(table)
    paint = Paint(color)
    shown = plural(table.total, "clause")
    if len(table.rows) != table.total:
        shown = f"{len(table.rows)} of {shown}"
    out = [
        paint(BOLD, f"{table.title}: negotiation table, {shown}"),
        legend(table),
    ]
    width = max(len(str(len(table.columns))), 1)
    cite_w = min(max((len(r.citation) for r in table.rows), default=6), _CITATION_WIDTH)
    status_w = max((len(status_text(r)) for r in table.rows), default=6)
    marks_head = " ".join(str(k).rjust(width) for k in range(1, len(table.columns) + 1))
    document = None
    for row in table.rows:
        if row.document != document:
            document = row.document
            out += ["", paint(BOLD + CYAN, document)]
            out.append(
                f"  {'CLAUSE'.ljust(cite_w)}  {'STATUS'.ljust(status_w)}  {marks_head}  LAST CHANGED BY"
            )
        marks = " ".join(
            paint(MARK_COLOR.get(c.mark, ""), (c.mark.value or " ").rjust(width)) for c in row.cells
        )
        out.append(
            f"  {_clip(row.citation, cite_w).ljust(cite_w)}  {status_text(row).ljust(status_w)}  {marks}  "
            + column_text(row.last_changed)
        )
    if not table.rows:
        out += ["", "no clause matches the filters"]
    return "\n".join(out) + "\n"


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def table_markdown(table: NegotiationTable, *, color: bool = False) -> str:
    """A markdown table per document: clause, status, a cell per column (redlined), last changed by."""
    out = [f"## {md_escape(table.title)}: negotiation table", ""]
    out += [
        "| column | party | date | label |",
        "|---|---|---|---|",
        *(
            f"| {md_escape(c.name)} | {md_escape(c.party)} | {md_escape(c.date)} | {md_escape(c.label)} |"
            for c in table.columns
        ),
        "",
    ]
    if len(table.rows) != table.total:
        out += [f"{len(table.rows)} of {table.total} clauses match the filters.", ""]
    heads = "".join(f" {md_escape(c.name)} |" for c in table.columns)
    document = None
    for row in table.rows:
        if row.document != document:
            document = row.document
            out += ["", f"### {md_escape(document)}", ""]
            out += [
                f"| clause | status |{heads} last changed by |",
                "|---|---|" + "---|" * (len(table.columns) + 1),
            ]
        cells = "".join(f" {_md_cell(c)} |" for c in row.cells)
        out.append(
            f"| {md_escape(row.citation)} | {md_escape(status_text(row))} |{cells} "
            f"{md_escape(column_text(row.last_changed))} |"
        )
    if not table.rows:
        out.append("No clause matches the filters.")
    return "\n".join(out) + "\n"


def _md_cell(cell: Cell) -> str:
    if not cell.present and cell.mark is not Mark.REMOVED:
        return ""
    if cell.redline:
        return redline_md(cell.redline)
    if cell.same_as:
        return f"_{md_escape('= ' + cell.same_as + _moved(cell))}_"
    return redline_md((Segment(Op.EQUAL, cell.text),))


def table_csv(table: NegotiationTable, *, color: bool = False) -> str:
    """One row per clause, one column per version; a cell a spreadsheet would run as a formula is quoted
    with a leading `'` (as spreadsheets show text)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "document",
            "clause",
            "citation",
            "status",
            *(c.name for c in table.columns),
            "last changed",
            "party",
            "date",
        ]
    )
    for row in table.rows:
        last = row.last_changed
        fields = [row.document, row.key, row.citation, status_text(row)]
        fields += [cell_words(c) for c in row.cells]
        writer.writerow([_cell_safe(visible(f)) for f in [*fields, last.name, last.party, last.date]])
    return buffer.getvalue()


def _cell_safe(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def table_json(table: NegotiationTable, *, color: bool = False) -> str:
    """The table as JSON (schema 1): columns once, then rows with a cell per column."""
    data = {
        "schema": SCHEMA,
        "title": table.title,
        "brackets": table.brackets,
        "total": table.total,
        "columns": [_column(c) for c in table.columns],
        "rows": list(_rows(table)),
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


def _column(column: Column) -> dict[str, object]:
    info = column.round
    return {
        "name": column.name,
        "party": column.party,
        "date": column.date,
        "label": column.label,
        "commit": info.commit if info else "",
        "author": info.author if info else "",
        "message": info.message if info else "",
    }


def _rows(table: NegotiationTable) -> Iterator[dict[str, object]]:
    for row in table.rows:
        yield {
            "document": row.document,
            "key": row.key,
            "citation": row.citation,
            "title": row.title,
            "status": row.status.value,
            "since": row.since.name if row.since else "",
            "introduced": row.introduced.name,
            "last_changed": row.last_changed.name,
            "cells": [_cell(column, cell) for column, cell in zip(table.columns, row.cells, strict=True)],
        }


def _cell(column: Column, cell: Cell) -> dict[str, object]:
    data: dict[str, object] = {"column": column.name}
    data.update(plain_data(cell))
    data["kind"] = cell.kind.value if cell.kind else ""
    data["open"] = [list(p.alternatives) for p in cell.open]
    return data
