"""HTML: one self-contained, escaped page, readable without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from regdocs.compare.model import ClauseChange, CorpusDiff
from regdocs.render.sanitize import scrubbed
from regdocs.render.summary import (
    FOLD_CLAUSES,
    KINDS,
    QUIET,
    class_summary,
    filtered,
    formatting_only,
    grouped,
    headline,
    kind_counts,
    kind_label,
    rendered_words,
    shows_text,
)

_ANCHOR_RE = re.compile(r"[^a-z0-9_.-]+")


def jinja_env(folder: str = "templates") -> Any:
    """Templates packaged inside regdocs, autoescaped whatever their file names (`*.j2` included)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    return Environment(
        loader=PackageLoader("regdocs", folder),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_html(diff: CorpusDiff, *, only: set[str] | None = None, findings_only: bool = False) -> str:
    """The diff as one HTML page; every piece of document text is escaped by the template.

    With `only`, the counts and documents follow the filter.
    """
    shown = scrubbed(filtered(diff, only))  # the page may be printed on a terminal: no escape sequences
    nothing = f"No {' or '.join(sorted(only))} changes." if only and diff.has_changes else "No changes."
    diff = shown
    docs = []
    anchors: dict[str, str] = {}
    for k, d in enumerate(diff.documents, 1):
        if not d.changes and not d.metadata and d.status in QUIET:
            continue
        anchors[d.id] = f"doc-{k}"
        changes = []
        for change, nested in grouped(d.changes):
            side = (change.new or change.old)[0]
            changes.append(
                {
                    "anchor": f"c{k}-" + _ANCHOR_RE.sub("-", side.id.lower()),
                    "headline": headline(change),
                    "title": side.title if side.title != headline(change) else "",
                    "kind": kind_label(change),
                    "note": change.note,
                    "candidate": change.candidate,
                    "nested": [(c.new or c.old)[0].citation for c in nested],
                    "formatting_only": formatting_only(change),
                    "segments": _segments(change),
                    "findings": change.findings,
                    "subs": [sub_clause_view(c) for c in nested[:FOLD_CLAUSES]],
                    "more": [sub_clause_view(c) for c in nested[FOLD_CLAUSES:]],
                }
            )
        docs.append({"doc": d, "anchor": anchors[d.id], "changes": changes})
    summary = [
        {
            "id": d.id,
            "anchor": anchors.get(d.id, ""),
            "status": d.status,
            "counts": [kind_counts(d)[k] for k in KINDS],
        }
        for d in diff.documents
    ]
    page: str = (
        jinja_env()
        .get_template("diff.html.j2")
        .render(
            diff=diff,
            nothing=nothing,
            findings=diff.findings,
            docs=docs,
            kinds=KINDS,
            summary=summary,
            classes=class_summary(diff),
            findings_only=findings_only,
        )
    )
    return page


def _segments(change: ClauseChange) -> list[tuple[str, str]]:
    """The redline as (op, text); a formatting-only change as its words alone, paragraphs apart."""
    if formatting_only(change):
        return [("equal", "\n\n".join(rendered_words(change)))]
    return [(s.op.value, s.text) for s in change.redline] if shows_text(change) else []


def sub_clause_view(change: ClauseChange) -> dict[str, Any]:
    """What the page shows of a sub-clause added or removed with its parent: citation, text, findings."""
    side = (change.new or change.old)[0]
    return {
        "citation": side.citation,
        "title": side.title if side.title != side.citation else "",
        "note": change.note,
        "candidate": change.candidate,
        "segments": [(s.op.value, s.text) for s in change.redline],
        "findings": change.findings,
    }
