"""Counts, groups and folds shared by every diff renderer: changes per kind, per triage class, per document."""

from __future__ import annotations

import re
import shlex
from collections import Counter

from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, DocumentDiff, Finding, Triage

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
    from regdocs.compare.redline import Op

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


FOLD_LINES = 60
"""Non-blank lines of an added or removed group that terminal, markdown and review show before folding."""
FOLD_CLAUSES = 30
"""Sub-clauses of an added or removed group that HTML pages show before the rest go in a closed <details>."""
_LABEL_RE = re.compile(r"(.+) \([0-9a-f]{7,40}\)")


def folded(lines: list[str], limit: int = FOLD_LINES) -> tuple[list[str], int]:
    """Keep the first `limit` non-blank lines; return them (no trailing blanks) and how many non-blank are left."""
    seen = 0
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        if seen == limit:
            kept = lines[:k]
            while kept and not kept[-1].strip():
                kept.pop()
            return kept, sum(1 for rest in lines[k:] if rest.strip())
        seen += 1
    return lines, 0


def show_command(label: str, document: str, clause: str) -> str:
    """The `regdocs show VERSION CLAUSE --doc DOC` command printing a clause whole, for a version's label."""
    if label == "working tree":
        spec = ""
    else:
        match = _LABEL_RE.fullmatch(label)
        spec = shlex.quote(match[1] if match else label) + " "
    return f"regdocs show {spec}{shlex.quote(clause)} --doc {shlex.quote(document)}"


def group_version(change: ClauseChange, diff: CorpusDiff) -> str:
    """The label of the version a change's clauses live in: the new one when added, else the old one."""
    return diff.new if change.new else diff.old
