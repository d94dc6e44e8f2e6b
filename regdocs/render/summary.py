"""Counts shared by every diff renderer: changes per kind, per triage class, per document."""

from __future__ import annotations

from collections import Counter

from regdocs.diffmodel import ChangeKind, ClauseChange, CorpusDiff, DocumentDiff, Finding, Triage

KINDS = ("added", "removed", "modified", "moved", "renumbered", "split", "merged")
"""Kinds shown in summaries, in this order."""
SYMBOL = {
    "added": "+", "removed": "-", "modified": "~", "moved": ">", "renumbered": "#", "split": "<", "merged": "^",
    "unchanged": "=",
}  # fmt: skip


def kind_counts(doc: DocumentDiff) -> Counter[str]:
    """Changes of a document per kind."""
    return Counter(c.kind.value for c in doc.changes)


def triage_counts(diff: CorpusDiff) -> Counter[str]:
    """Changes of the whole corpus per triage class."""
    return Counter(c.triage.value for d in diff.documents for c in d.changes)


def visible(change: ClauseChange, only: set[str] | None) -> bool:
    """Whether a change passes an `--only` filter of triage classes."""
    return only is None or change.triage.value in only


def shows_text(change: ClauseChange) -> bool:
    """Whether a change has words to redline (not a pure move, renumbering or heading-level change)."""
    from regdocs.redline import Op

    return change.kind.value in ("added", "removed", "split", "merged") or any(
        s.op is not Op.EQUAL for s in change.redline
    )


def visible_findings(diff: CorpusDiff, only: set[str] | None) -> tuple[Finding, ...]:
    """Findings about changes that pass an `--only` filter (all of them without a filter)."""
    if only is None:
        return diff.findings
    keys = {
        (d.id, s.id) for d in diff.documents for c in d.changes if visible(c, only) for s in (*c.old, *c.new)
    }
    return tuple(f for f in diff.findings if (f.document, f.clause) in keys)


def headline(change: ClauseChange) -> str:
    """`section 20(5) -> section 20(5) + 20(6)` style description of where a change is."""
    old = " + ".join(s.citation for s in change.old)
    new = " + ".join(s.citation for s in change.new)
    if change.kind is ChangeKind.ADDED:
        return new
    if change.kind is ChangeKind.REMOVED:
        return old
    return new if old == new else f"{old} \u2192 {new}"


def kind_label(change: ClauseChange) -> str:
    """The kind with its companions: `moved, renumbered`, `modified (editorial)`."""
    parts = [change.kind.value]
    if change.kind is ChangeKind.MOVED and change.modified and change.triage is Triage.SUBSTANTIVE:
        parts.append("modified")
    if change.renumbered and change.kind is not ChangeKind.RENUMBERED:
        parts.append("renumbered")
    label = ", ".join(parts)
    if change.triage is Triage.EDITORIAL:
        label += " (editorial)"
    return label


def grouped(changes: tuple[ClauseChange, ...]) -> list[tuple[ClauseChange, list[ClauseChange]]]:
    """Group added (or removed) clauses under an added (or removed) parent listed just before them."""
    out: list[tuple[ClauseChange, list[ClauseChange]]] = []
    for change in changes:
        if out and change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
            head = out[-1][0]
            root = (head.new or head.old)[0].id
            if head.kind is change.kind and (change.new or change.old)[0].id.startswith(root + "."):
                out[-1][1].append(change)
                continue
        out.append((change, []))
    return out
