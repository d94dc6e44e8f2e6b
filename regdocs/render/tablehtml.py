"""The negotiation table as one self-contained, escaped HTML page (a wide table per document)."""

from __future__ import annotations

from typing import Any

from regdocs.gitflow.cells import Cell, Mark
from regdocs.gitflow.table import NegotiationTable, Row
from regdocs.render.htmlpage import jinja_env
from regdocs.render.sanitize import scrubbed
from regdocs.render.table import cell_words, column_text, status_text


def table_html(table: NegotiationTable, *, color: bool = False) -> str:
    """The page; every piece of document text is escaped by the template (autoescape)."""
    table = scrubbed(table)
    documents: list[dict[str, Any]] = []
    for row in table.rows:
        if not documents or documents[-1]["id"] != row.document:
            documents.append({"id": row.document, "anchor": f"doc-{len(documents) + 1}", "rows": []})
        documents[-1]["rows"].append(_row(row))
    shown = (
        f"{len(table.rows)} of {table.total} clauses match the filters."
        if len(table.rows) != table.total
        else f"{table.total} clauses."
    )
    page: str = (
        jinja_env()
        .get_template("table.html.j2")
        .render(title=table.title, columns=table.columns, documents=documents, shown=shown)
    )
    return page


def _row(row: Row) -> dict[str, Any]:
    return {
        "citation": row.citation,
        "title": row.title if row.title != row.citation else "",
        "status": row.status.value,
        "status_text": status_text(row),
        "cells": [_cell(c) for c in row.cells],
        "last": column_text(row.last_changed),
    }


def _cell(cell: Cell) -> dict[str, Any]:
    segments = [(s.op.value, s.text) for s in cell.redline]
    if not segments and cell.present and not cell.same_as:
        segments = [("equal", cell.text)]
    return {
        "mark": Mark(cell.mark).name.lower(),
        "segments": segments,
        "same": cell_words(cell) if not segments else "",
        "findings": cell.findings,
    }
