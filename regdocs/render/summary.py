"""Counts, groups and folds shared by every diff renderer: changes per kind, per triage class, per document."""

from __future__ import annotations

import re
import shlex
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING

from regdocs.compare.editorial import MAX_PARSED, reads_the_same
from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, DocumentDiff, DocumentStatus, Triage

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

KINDS = (
    ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.MODIFIED, ChangeKind.MOVED, ChangeKind.RENUMBERED,
    ChangeKind.SPLIT, ChangeKind.MERGED,
)  # fmt: skip
"""Kinds shown in summaries, in this order."""
CLASSES = (Triage.SUBSTANTIVE, Triage.MOVE, Triage.RENUMBER, Triage.EDITORIAL)
"""Triage classes shown in summaries, in this order."""
SYMBOL = {
    ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.MODIFIED: "~", ChangeKind.MOVED: ">",
    ChangeKind.RENUMBERED: "#", ChangeKind.SPLIT: "<", ChangeKind.MERGED: "^", ChangeKind.UNCHANGED: "=",
}  # fmt: skip
"""The mark of each kind of change at the head of its line."""
QUIET = (DocumentStatus.MODIFIED, DocumentStatus.UNCHANGED)
"""Document statuses that say nothing its changes do not: not shown, and such a document with no change is
left out."""


def kind_counts(doc: DocumentDiff) -> Counter[ChangeKind]:
    """Changes of a document per kind."""
    return Counter(c.kind for c in doc.changes)


def triage_counts(diff: CorpusDiff) -> Counter[Triage]:
    """Changes of the whole corpus per triage class."""
    return Counter(c.triage for d in diff.documents for c in d.changes)


def front_matter(keys: int) -> str:
    """`front matter: 2 keys changed`, or empty for none."""
    return f"front matter: {keys} key{'s' if keys != 1 else ''} changed" if keys else ""


def doc_summary(doc: DocumentDiff) -> str:
    """`4 added, 1 merged, front matter: 1 key changed`; empty when nothing changed inside the document."""
    counts = kind_counts(doc)
    parts = [f"{counts[k]} {k}" for k in KINDS if counts[k]]
    return ", ".join([*parts, front_matter(len(doc.metadata))] if doc.metadata else parts)


def class_summary(diff: CorpusDiff) -> str:
    """`10 substantive, 1 editorial, front matter: 3 keys changed`; empty when nothing changed."""
    tri = triage_counts(diff)
    parts = [f"{tri[t]} {t}" for t in CLASSES if tri[t]]
    keys = sum(len(d.metadata) for d in diff.documents)
    return ", ".join([*parts, front_matter(keys)] if keys else parts)


def visible(change: ClauseChange, only: set[str] | None) -> bool:
    """Whether a change passes an `--only` filter of triage classes."""
    return only is None or change.triage.value in only


def filtered(diff: CorpusDiff, only: set[str] | None) -> CorpusDiff:
    """The diff as `--only` shows it: the changes of those classes, their findings, the documents left.

    Front-matter changes, and findings about no change (a reference left dangling in an unchanged
    clause), count as substantive. Documents with nothing left are left out. No filter: the diff as is.
    """
    if only is None:
        return diff
    docs = []
    for d in diff.documents:
        changes = tuple(c for c in d.changes if visible(c, only))
        metadata = d.metadata if "substantive" in only else ()
        if changes or metadata:
            docs.append(replace(d, changes=changes, metadata=metadata))
    tied = {(d.id, s.id) for d in diff.documents for c in d.changes for s in (*c.old, *c.new)}
    kept = {(d.id, s.id) for d in docs for c in d.changes for s in (*c.old, *c.new)}
    findings = tuple(
        f
        for f in diff.findings
        if (f.document, f.clause) in kept or ("substantive" in only and (f.document, f.clause) not in tied)
    )
    return replace(diff, documents=tuple(docs), findings=findings)


def shows_text(change: ClauseChange) -> bool:
    """Whether a change has words to redline (not a pure move, renumbering or heading-level change)."""
    from regdocs.compare.redline import Op

    return change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.SPLIT, ChangeKind.MERGED) or any(
        s.op is not Op.EQUAL for s in change.redline
    )


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
    """The kind with its companions: `moved Part 2 → Part 3, renumbered`, `modified (formatting only)`."""
    parts = [f"{change.kind.value} {change.move}" if change.move else change.kind.value]
    if change.kind is ChangeKind.MOVED and change.modified and change.triage is Triage.SUBSTANTIVE:
        parts.append("modified")
    if change.renumbered and change.kind is not ChangeKind.RENUMBERED:
        parts.append("renumbered")
    label = ", ".join(parts)
    if formatting_only(change):
        label += " (formatting only)"
    elif change.triage is Triage.EDITORIAL:
        label += " (editorial)"
    return label


def formatting_only(change: ClauseChange) -> bool:
    """Whether a change's words read the same and only their formatting changed (emphasis, wrapping, quotes)."""
    if change.triage is Triage.SUBSTANTIVE or len(change.old) != 1 or len(change.new) != 1:
        return False
    old, new = change.old[0], change.new[0]
    if (old.title, old.text) == (new.title, new.text):
        return False  # nothing in the text changed (a move, a renumbering, a heading level)
    return reads_the_same(old.title, new.title) and reads_the_same(old.text, new.text)


def rendered_words(change: ClauseChange) -> list[str]:
    """The new wording as a reader sees it, markup gone: the title, then one string per paragraph."""
    side = change.new[0]
    paragraphs = [side.title, *re.split(r"\n[ \t]*\n", side.text)]
    return [words for p in paragraphs if (words := plain_text(p))]


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def plain_text(markdown: str) -> str:
    """Inline markdown as it reads: emphasis, code and link markup gone, whitespace collapsed."""
    if len(markdown) > MAX_PARSED or not any(ch in markdown for ch in "*_[`<\\&"):
        return " ".join(markdown.split())
    out: list[str] = []
    for block in _markdown().parseInline(markdown):
        for tok in block.children or ():
            if tok.type in ("text", "code_inline", "image"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
    return " ".join("".join(out).split())


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
