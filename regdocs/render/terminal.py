"""Terminal output: findings first, then each changed clause with a coloured inline redline."""

from __future__ import annotations

import textwrap

from regdocs.compare.model import (
    ChangeKind,
    ClauseChange,
    CorpusDiff,
    DocumentDiff,
    DocumentStatus,
    FindingSeverity,
)
from regdocs.compare.redline import Op, Segment
from regdocs.render.sanitize import scrubbed
from regdocs.render.summary import (
    CLASSES,
    QUIET,
    SYMBOL,
    doc_summary,
    filtered,
    folded,
    formatting_only,
    front_matter,
    group_version,
    grouped,
    headline,
    kind_label,
    rendered_words,
    show_command,
    shows_text,
    triage_counts,
)

RED, GREEN, YELLOW, CYAN, BOLD, DIM, STRIKE, RESET = (
    "\x1b[31m", "\x1b[32m", "\x1b[33m", "\x1b[36m", "\x1b[1m", "\x1b[2m", "\x1b[9m", "\x1b[0m",
)  # fmt: skip
SEVERITY_COLOR = {FindingSeverity.HIGH: RED, FindingSeverity.MEDIUM: YELLOW, FindingSeverity.LOW: DIM}
"""The colour of a finding's severity tag."""


class Paint:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, code: str, text: str) -> str:
        return f"{code}{text}{RESET}" if self.color and text else text


def inline(segments: tuple[Segment, ...], paint: Paint) -> str:
    """Redline as one text: [-deleted-]{+inserted+} without colour, red/green with it."""
    out: list[str] = []
    for seg in segments:
        if seg.op is Op.EQUAL:
            out.append(seg.text)
        elif seg.op is Op.DELETE:
            out.append(paint(RED + STRIKE, seg.text) if paint.color else f"[-{seg.text}-]")
        else:
            out.append(paint(GREEN, seg.text) if paint.color else f"{{+{seg.text}+}}")
    return "".join(out)


def render_stat(diff: CorpusDiff, *, only: set[str] | None = None) -> str:
    """Counts per kind (and front-matter keys) per document, like `git diff --stat`; `only` as `--only`."""
    diff = scrubbed(filtered(diff, only))
    lines = [f"{diff.old} \u2192 {diff.new}"]
    width = max((len(d.new_path or d.old_path) for d in diff.documents), default=10)
    for d in diff.documents:
        status = "" if d.status in QUIET else f"[{d.status}] "
        lines.append(f" {(d.new_path or d.old_path).ljust(width)} | {status}{doc_summary(d) or 'no changes'}")
    tri = triage_counts(diff)
    total = sum(tri.values())
    keys = sum(len(d.metadata) for d in diff.documents)
    parts = [f"{len(diff.documents)} documents"]
    if total:
        parts.append(f"{total} changes (" + ", ".join(f"{tri[t]} {t}" for t in CLASSES if tri[t]) + ")")
    elif not keys:
        parts.append("0 changes")
    parts += [front_matter(keys)] if keys else []
    lines.append(" " + ", ".join([*parts, f"{len(diff.findings)} findings"]))
    return "\n".join(lines) + "\n"


def render_terminal(
    diff: CorpusDiff,
    *,
    color: bool = False,
    only: set[str] | None = None,
    findings_only: bool = False,
    width: int = 100,
) -> str:
    """The full terminal report; document text has its control characters shown, colours are regdocs's own."""
    shown = scrubbed(filtered(diff, only))
    paint = Paint(color)
    out: list[str] = [paint(BOLD, f"{shown.title}: {shown.old} \u2192 {shown.new}")]
    if not shown.has_changes:
        out.append(f"no {' or '.join(sorted(only))} changes" if only and diff.has_changes else "no changes")
        return "\n".join(out) + "\n"
    diff = shown
    findings = diff.findings
    if findings:
        out.append("")
        out.append(paint(BOLD, f"Findings ({len(findings)})"))
        for f in findings:
            tag = paint(SEVERITY_COLOR[f.severity], f"{f.severity.upper():6}")
            body = textwrap.fill(f"{f.kind}: {f.message}", width=width - 9, subsequent_indent=" " * 9)
            out.append(f"  {tag} {body}")
    if findings_only:
        return "\n".join(out) + "\n"
    for d in diff.documents:
        if not d.changes and not d.metadata and d.status in QUIET:
            continue
        out.append("")
        out.append(_doc_header(d, paint))
        for key, old, new in d.metadata:
            out.append(
                f"  front matter {key}: {paint(RED, old or '(none)')} \u2192 {paint(GREEN, new or '(none)')}"
            )
        for change, nested in grouped(d.changes):
            show = show_command(group_version(change, diff), d.id, change.key)
            out.extend(_change(change, nested, paint, width, show))
    return "\n".join(out) + "\n"


def _doc_header(d: DocumentDiff, paint: Paint) -> str:
    summary = doc_summary(d)
    where = d.new_path or d.old_path
    if d.status == DocumentStatus.RENAMED:
        where = f"{d.old_path} \u2192 {d.new_path}"
    status = f" [{d.status}]" if d.status not in QUIET else ""
    return paint(BOLD + CYAN, f"{d.id}") + f" ({where}){status}: {summary or 'no changes'}"


def _change(
    change: ClauseChange, nested: list[ClauseChange], paint: Paint, width: int, show: str
) -> list[str]:
    """A change with its text; an added or removed group with every sub-clause's text, folded when long."""
    sym = SYMBOL[change.kind]
    side = (change.new or change.old)[0]
    title = f" \u2014 {side.title}" if side.title and side.title != headline(change) else ""
    ids = " + ".join(s.id for s in (change.new or change.old))
    head = f"  {paint(BOLD, sym)} {paint(BOLD, headline(change))}{title}  {paint(DIM, '[' + ids + ']')}  {kind_label(change)}"
    lines = [head, *_remarks(change, paint, 6)]
    if nested:
        lines.append(
            f"      with {len(nested)} sub-clause(s): "
            + ", ".join(c.new[0].citation if c.new else c.old[0].citation for c in nested)
        )
    body = _text(change, paint, width, 6)
    for sub in nested:
        body += _sub_clause(sub, paint, width)
    if change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        body, hidden = folded(body)
        if hidden:
            if paint.color:  # the cut may fall inside a coloured run: end it here
                body[-1] += RESET
            more = f"\u2026 {hidden} more line(s); `{show}` prints it whole"
            body.append("      " + paint(DIM, more))
    return lines + body


def _sub_clause(change: ClauseChange, paint: Paint, width: int) -> list[str]:
    """A sub-clause added or removed with its parent: citation, id, text and findings."""
    side = (change.new or change.old)[0]
    title = f" \u2014 {side.title}" if side.title and side.title != side.citation else ""
    head = f"      {paint(BOLD, SYMBOL[change.kind])} {paint(BOLD, side.citation)}{title}  {paint(DIM, '[' + side.id + ']')}"
    return [head, *_remarks(change, paint, 8), *_text(change, paint, width, 8)]


def _remarks(change: ClauseChange, paint: Paint, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    if change.note:
        lines.append(f"{pad}{paint(DIM, change.note)}")
    if change.candidate:
        lines.append(
            f"{pad}{paint(YELLOW, 'possibly the same clause as ' + change.candidate + ', too different to pair with confidence')}"
        )
    return lines


def _text(change: ClauseChange, paint: Paint, width: int, indent: int) -> list[str]:
    """The redline, wrapped (when not coloured) and indented, then the change's findings."""
    pad = " " * indent
    lines: list[str] = []
    if formatting_only(change):  # the words read the same: show them, not a diff of their markup
        for para in rendered_words(change):
            lines.extend(pad + w for w in textwrap.wrap(para, width=width - indent) or [""])
    elif shows_text(change):
        body = inline(change.redline, paint)
        for para in body.split("\n"):
            wrapped = textwrap.wrap(para, width=width - indent) or [""] if not paint.color else [para]
            lines.extend(pad + w for w in wrapped)
    for f in change.findings:
        lines.append(f"{pad}{paint(SEVERITY_COLOR[f.severity], '!')} {f.kind}: {f.message}")
    return lines
