"""Markdown for a pull request: summary table, findings, then a redline per changed clause."""

from __future__ import annotations

import html
import re

from regdocs.compare.model import ChangeKind, ClauseChange, CorpusDiff, DocumentStatus, FindingSeverity
from regdocs.compare.redline import Op, Segment
from regdocs.render.sanitize import one_line
from regdocs.render.summary import (
    KINDS,
    class_summary,
    filtered,
    folded,
    formatting_only,
    group_version,
    grouped,
    headline,
    kind_counts,
    kind_label,
    rendered_words,
    show_command,
    shows_text,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_GITHUB_REF = re.compile(r"@(?=[A-Za-z0-9])|#(?=[0-9])|\b(?i:gh)-(?=[0-9])")
_TICKS = re.compile(r"`+")
WORD_JOINER = "\u2060"
"""Invisible character put after `@`, `#` and `GH-` so that GitHub neither mentions nor links."""
SEVERITY_ICON = {
    FindingSeverity.HIGH: "\U0001f534",
    FindingSeverity.MEDIUM: "\U0001f7e0",
    FindingSeverity.LOW: "\u26aa",
}
"""A coloured disc per finding severity: red, orange, white."""


def unlinked(text: str) -> str:
    """Keep `@team`, `#123`, `GH-123` and `owner/repo#1` from notifying people or linking issues on GitHub.

    A word joiner after the `@`, `#` or `GH-` is invisible, so the text reads the same, but GitHub's
    mention and reference patterns no longer match; it works in markdown, table cells and raw HTML alike,
    where backticks would show as backticks.
    """
    return _GITHUB_REF.sub(lambda m: m[0] + WORD_JOINER, text)


def md_escape(text: str) -> str:
    """Make text one literal line in GitHub markdown: one line, HTML- and markdown-escaped, no mentions."""
    return _MD_SPECIAL.sub(r"\\\1", unlinked(html.escape(one_line(text), quote=False)))


def md_code(text: str, *, table: bool = False) -> str:
    """A code span showing `text` literally on one line, whatever backticks (or table pipes) it holds.

    References are defused here too: GitHub is not documented to skip code when it links them.
    """
    text = unlinked(one_line(text))
    if not text.strip():
        return md_escape(text)
    if table:
        text = text.replace("|", "\\|")
    fence = "`" * (max((len(t) for t in _TICKS.findall(text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" or (text[0] == " " and text[-1] == " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def html_text(text: str) -> str:
    """Text for a raw HTML block (e.g. `<summary>`), where markdown escapes would show: one escaped line."""
    return unlinked(html.escape(one_line(text), quote=False))


def redline_md(segments: tuple[Segment, ...]) -> str:
    """A redline with <del>/<ins> around changes, on one line (paragraphs as `<br><br>`), all text escaped."""
    out: list[str] = []
    for seg in segments:
        text = "<br><br>".join(md_escape(para) for para in seg.text.split("\n\n"))
        if seg.op is Op.EQUAL:
            out.append(text)
        elif seg.op is Op.DELETE:
            out.append(f"<del>{text}</del>")
        else:
            out.append(f"<ins>{text}</ins>")
    return "".join(out)


def render_markdown(diff: CorpusDiff, *, only: set[str] | None = None, findings_only: bool = False) -> str:
    """The pull-request report; with `only`, counts and documents follow the filter."""
    out = [f"## {md_escape(diff.title)}: {md_escape(diff.old)} \u2192 {md_escape(diff.new)}", ""]
    shown = filtered(diff, only)
    if not shown.has_changes:
        none = f"No {' or '.join(sorted(only))} changes." if only and diff.has_changes else "No changes."
        return "\n".join([*out, none]) + "\n"
    diff = shown
    out.append("| document | status | " + " | ".join(KINDS) + " |")
    out.append("|---|---|" + "---:|" * len(KINDS))
    for d in diff.documents:
        counts = kind_counts(d)
        out.append(
            f"| {md_code(d.id, table=True)} | {d.status} | "
            + " | ".join(str(counts[k] or "") for k in KINDS)
            + " |"
        )
    out.append("")
    if classes := class_summary(diff):
        out.append(f"Changes by class: {classes}.")
    findings = diff.findings
    if findings:
        out += ["", f"### Findings ({len(findings)})", ""]
        for f in findings:
            icon = SEVERITY_ICON[f.severity]
            out.append(f"- {icon} **{f.kind}** \u2014 {md_escape(f.message)}")
    if findings_only:
        return "\n".join(out) + "\n"
    for d in diff.documents:
        if not d.changes and not d.metadata:
            continue
        where = (
            f"{md_code(d.old_path)} \u2192 {md_code(d.new_path)}"
            if d.status == DocumentStatus.RENAMED
            else md_code(d.new_path or d.old_path)
        )
        out += ["", f"### {md_escape(d.title)} ({where}, {d.status})", ""]
        for key, old, new in d.metadata:
            before = f"<del>{md_escape(old)}</del>" if old else "(none)"
            after = f"<ins>{md_escape(new)}</ins>" if new else "(none)"
            out.append(f"- front matter {md_code(key)}: {before} \u2192 {after}")
        for change, nested in grouped(d.changes):
            out += _change(change, nested, show_command(group_version(change, diff), d.id, change.key))
    return "\n".join(out) + "\n"


def _change(change: ClauseChange, nested: list[ClauseChange], show: str) -> list[str]:
    """A change with its redline; an added or removed group with every sub-clause's text, folded when long."""
    side = (change.new or change.old)[0]
    title = f" \u2014 {md_escape(side.title)}" if side.title and side.title != headline(change) else ""
    lines = [f"#### {md_escape(headline(change))}{title} ({kind_label(change)})", "", *_remarks(change)]
    if nested:
        lines += [
            "With sub-clauses " + ", ".join(md_escape((c.new or c.old)[0].citation) for c in nested) + ".",
            "",
        ]
    if formatting_only(change):  # the words read the same: show them, not a diff of their markup
        body = ["> " + "<br><br>".join(md_escape(p) for p in rendered_words(change)), ""]
    else:
        body = ["> " + redline_md(change.redline), ""] if shows_text(change) else []
    body += _findings(change)
    for sub in nested:
        body += _sub_clause(sub)
    if change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        body, hidden = folded(body)
        if hidden:
            body += ["", f"_\u2026 {hidden} more line(s); {md_code(show)} prints it whole._", ""]
    return lines + body


def _sub_clause(change: ClauseChange) -> list[str]:
    """A sub-clause added or removed with its parent: its citation and text quoted, then its findings."""
    side = (change.new or change.old)[0]
    title = f" \u2014 {md_escape(side.title)}" if side.title and side.title != side.citation else ""
    quote = f"> **{md_escape(side.citation)}**{title} {redline_md(change.redline)}"
    return [*_remarks(change), quote, "", *_findings(change)]


def _remarks(change: ClauseChange) -> list[str]:
    lines: list[str] = []
    if change.note:
        lines += [f"_{md_escape(change.note)}_", ""]
    if change.candidate:
        lines += [
            f"_Possibly the same clause as {md_code(change.candidate)}, too different to pair with confidence._",
            "",
        ]
    return lines


def _findings(change: ClauseChange) -> list[str]:
    lines = [f"- **{f.kind}**: {md_escape(f.message)}" for f in change.findings]
    return [*lines, ""] if lines else []
