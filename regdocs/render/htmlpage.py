"""HTML: one self-contained, escaped page, readable without JavaScript."""

from __future__ import annotations

import re
from typing import Any

from regdocs.compare.model import ClauseChange, CorpusDiff
from regdocs.render.sanitize import scrubbed
from regdocs.render.summary import (
    FOLD_CLAUSES,
    KINDS,
    grouped,
    headline,
    kind_counts,
    kind_label,
    shows_text,
    visible,
    visible_findings,
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
    """The diff as one HTML page; every piece of document text is escaped by the template."""
    diff = scrubbed(diff)  # the page may well be printed on a terminal: no escape sequences in it
    docs = []
    for k, d in enumerate(diff.documents, 1):
        shown = [c for c in d.changes if visible(c, only)]
        if not shown and not d.metadata and d.status in ("modified", "unchanged"):
            continue
        changes = []
        for change, nested in grouped(tuple(shown)):
            side = (change.new or change.old)[0]
            show_text = shows_text(change)
            changes.append(
                {
                    "anchor": f"c{k}-" + _ANCHOR_RE.sub("-", side.id.lower()),
                    "headline": headline(change),
                    "title": side.title if side.title != headline(change) else "",
                    "kind": kind_label(change),
                    "note": change.note,
                    "candidate": change.candidate,
                    "nested": [(c.new or c.old)[0].citation for c in nested],
                    "segments": [(s.op.value, s.text) for s in change.redline] if show_text else [],
                    "findings": change.findings,
                    "subs": [_sub_clause(c) for c in nested[:FOLD_CLAUSES]],
                    "more": [_sub_clause(c) for c in nested[FOLD_CLAUSES:]],
                }
            )
        docs.append({"doc": d, "changes": changes})
    summary = [
        {"id": d.id, "status": d.status, "counts": [kind_counts(d)[k] for k in KINDS]} for d in diff.documents
    ]
    page: str = (
        jinja_env()
        .get_template("diff.html.j2")
        .render(
            diff=diff,
            findings=visible_findings(diff, only),
            docs=docs,
            kinds=KINDS,
            summary=summary,
            findings_only=findings_only,
        )
    )
    return page


def _sub_clause(change: ClauseChange) -> dict[str, Any]:
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
