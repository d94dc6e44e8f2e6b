"""The review report for a pull-request comment: verdict, counts, findings, lint, collapsible redlines."""

from __future__ import annotations

import json
from collections import Counter

from regdocs.compare.model import (
    SCHEMA,
    ChangeKind,
    ClauseChange,
    CorpusDiff,
    DocumentDiff,
    DocumentStatus,
    Finding,
    FindingKind,
    FindingSeverity,
    Triage,
)
from regdocs.findings.lint import Severity
from regdocs.gitflow.review import Place, Review
from regdocs.render.jsonout import plain_data
from regdocs.render.listing import plural, problem_dict
from regdocs.render.markdown import SEVERITY_ICON, html_text, md_code, md_escape, redline_md
from regdocs.render.sanitize import json_text, one_line, visible
from regdocs.render.summary import (
    KINDS,
    QUIET,
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
    triage_counts,
)

LIMIT = 65536
"""GitHub's limit on a pull-request comment, in characters."""
GROUPS: tuple[tuple[str, tuple[FindingKind, ...]], ...] = (
    (
        "Obligations",
        (
            FindingKind.WEAKENED,
            FindingKind.NEGATION_CHANGED,
            FindingKind.OBLIGATION_REMOVED,
            FindingKind.STRENGTHENED,
            FindingKind.OBLIGATION_ADDED,
        ),
    ),
    ("Deadlines, thresholds and other numbers", (FindingKind.NUMBER_CHANGED,)),
    ("Cross-references", (FindingKind.XREF_DANGLING, FindingKind.XREF_RETARGETED)),
    ("Defined terms", (FindingKind.TERM_REDEFINED, FindingKind.TERM_REMOVED, FindingKind.TERM_ADDED)),
    ("Front matter (status, dates, metadata)", (FindingKind.METADATA_CHANGED,)),
)
"""Finding kinds under their headings, in the order the report lists them."""
_VERDICT = (
    (FindingKind.WEAKENED, "obligation", "weakened"),
    (FindingKind.OBLIGATION_REMOVED, "clause", "with obligations removed"),
    (FindingKind.NEGATION_CHANGED, "obligation", "reversed"),
    (FindingKind.STRENGTHENED, "obligation", "strengthened"),
    (FindingKind.NUMBER_CHANGED, "number", "changed"),
    (FindingKind.XREF_DANGLING, "broken cross-reference", ""),
    (FindingKind.XREF_RETARGETED, "retargeted cross-reference", ""),
    (FindingKind.TERM_REDEFINED, "term", "redefined"),
    (FindingKind.OBLIGATION_ADDED, "clause", "with new obligations"),
    (FindingKind.TERM_REMOVED, "term", "removed"),
    (FindingKind.TERM_ADDED, "term", "added"),
    (FindingKind.METADATA_CHANGED, "front-matter value", "changed"),
)
"""Per finding kind, in the verdict's order: the noun counted and what happened to it."""


def verdict(rv: Review) -> str:
    """One line saying what kind of change this is and whether it needs a careful read."""
    diff = rv.diff
    if not diff.has_changes:
        return "\u2705 No changes to the rules."
    kinds = Counter(f.kind for f in diff.findings)
    errors = sum(p.severity is Severity.ERROR for p in rv.lint)
    parts = []
    for kind, noun, rest in _VERDICT:
        if kinds[kind]:
            parts.append(f"{plural(kinds[kind], noun)} {rest}".rstrip())
            del kinds[kind]
    if sum(kinds.values()):
        parts.append(plural(sum(kinds.values()), "other finding"))
    if errors:
        parts.append(plural(errors, "lint error"))
    triage = triage_counts(diff)
    if not parts and not triage[Triage.SUBSTANTIVE]:
        return "\u2705 Editorial changes only (formatting, renumbering, moves): nothing of substance changed."
    high = any(f.severity is FindingSeverity.HIGH for f in diff.findings)
    icon = "\u26a0\ufe0f" if high or errors else "\u2139\ufe0f"
    body = (
        "; ".join(parts)
        if parts
        else f"{plural(triage[Triage.SUBSTANTIVE], 'substantive change')}, no findings"
    )
    return f"{icon} {body}."


def render_review(rv: Review, *, limit: int = LIMIT, full_hint: str = "") -> str:
    """The markdown report, cut to `limit` characters with a note when it does not fit."""
    diff = rv.diff
    head = [
        f"## regdocs review: {md_escape(rv.base)} \u2192 {md_escape(rv.head)}",
        "",
        f"**{verdict(rv)}**",
        "",
    ]
    counts: Counter[ChangeKind] = Counter()
    for d in diff.documents:
        counts.update(kind_counts(d))
    tri = triage_counts(diff)
    if diff.has_changes:
        classes = (Triage.SUBSTANTIVE, Triage.EDITORIAL, Triage.MOVE, Triage.RENUMBER)
        head += [
            "| " + " | ".join((*KINDS, *classes)) + " |",
            "|" + "---:|" * (len(KINDS) + len(classes)),
            "| "
            + " | ".join(str(n) for n in (*(counts[k] for k in KINDS), *(tri[t] for t in classes)))
            + " |",
            "",
        ]
        moved = [d for d in diff.documents if d.status not in QUIET]
        for d in moved:
            where = (
                f"{md_code(d.old_path)} \u2192 {md_code(d.new_path)}"
                if d.status == DocumentStatus.RENAMED
                else md_code(d.new_path or d.old_path)
            )
            head.append(f"- document {md_code(d.id)} {d.status}: {where}")
        if moved:
            head.append("")
    findings = _findings(diff.findings)
    lint = _lint(rv)
    sections = [("\n".join(head), True), (findings, True), (lint, True)]
    shown_docs = [d for d in diff.documents if d.changes or d.metadata]
    details = [_document(d, diff) for d in shown_docs]
    out = "\n".join(s for s, _ in sections if s)
    note_room = 400
    kept = 0
    for block in details:
        if len(out) + len(block) + 1 + note_room > limit:
            break
        out += "\n" + block
        kept += 1
    if kept < len(details):
        hidden = sum(len(d.changes) for d in shown_docs[kept:])
        out += (
            f"\n\n> **Report truncated** to fit a pull-request comment: the redlines of "
            f"{plural(len(details) - kept, 'document')} ({plural(hidden, 'change')}) are not shown. "
            + (full_hint or f"Run {md_code('regdocs review ' + rv.spec)} for the full report.")
            + "\n"
        )
    if len(out) > limit:  # findings alone can be huge: cut hard, on a line boundary, and say so
        cut = out[: limit - note_room].rsplit("\n", 1)[0]
        out = (
            cut
            + "\n\n> **Report truncated** at the pull-request comment limit. "
            + (full_hint or f"Run {md_code('regdocs review ' + rv.spec)} for the full report.")
            + "\n"
        )
    return out


def _findings(findings: tuple[Finding, ...]) -> str:
    if not findings:
        return ""
    lines = [f"### Findings ({len(findings)})", ""]
    for title, kinds in GROUPS:
        chosen = [f for f in findings if f.kind in kinds]
        if not chosen:
            continue
        lines.append(f"**{title}**")
        lines.append("")
        for f in chosen:
            icon = SEVERITY_ICON[f.severity]
            lines.append(f"- {icon} `{f.kind}` {md_escape(f.message)}")
        lines.append("")
    return "\n".join(lines)


def _lint(rv: Review) -> str:
    if not rv.lint:
        return "### Lint of the head version\n\nNo problems.\n"
    lines = [f"### Lint of the head version ({len(rv.lint)})", ""]
    for p in rv.lint[:200]:
        lines.append(
            f"- {md_code(f'{p.path}:{p.line}:{p.col}')} {p.severity.value}: {md_escape(p.message)} `[{p.rule}]`"
        )
    if len(rv.lint) > 200:
        lines.append(f"- \u2026 and {len(rv.lint) - 200} more")
    return "\n".join(lines) + "\n"


def _document(d: DocumentDiff, diff: CorpusDiff) -> str:
    counts = kind_counts(d)
    summary = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k]) or "front matter only"
    lines = [
        f"<details><summary><b>{html_text(d.title)}</b> (<code>{html_text(d.new_path or d.old_path)}</code>): "
        f"{summary}</summary>",
        "",
    ]
    for key, old, new in d.metadata:
        lines.append(
            f"- front matter {md_code(key)}: <del>{md_escape(old)}</del> <ins>{md_escape(new)}</ins>"
        )
    for change, nested in grouped(d.changes):
        lines += _change(change, nested, show_command(group_version(change, diff), d.id, change.key))
    lines += ["</details>", ""]
    return "\n".join(lines)


def _change(change: ClauseChange, nested: list[ClauseChange], show: str) -> list[str]:
    """A list item per change; an added or removed group lists every sub-clause's text, folded when long."""
    side = (change.new or change.old)[0]
    title = f" \u2014 {md_escape(side.title)}" if side.title and side.title != headline(change) else ""
    line = f"- **{md_escape(headline(change))}**{title} \u00b7 {kind_label(change)}"
    if nested:
        line += f" (with {len(nested)} sub-clauses)"
    out = [line]
    if change.note:
        out.append(f"  <br>_{md_escape(change.note)}_")
    if formatting_only(change):  # the words read the same: show them, not a diff of their markup
        body = ["  <br>" + "<br><br>".join(md_escape(p) for p in rendered_words(change))]
    else:
        body = ["  <br>" + redline_md(change.redline)] if shows_text(change) else []
    for sub in nested:
        body += _sub_clause(sub)
    if change.kind in (ChangeKind.ADDED, ChangeKind.REMOVED):
        body, hidden = folded(body)
        if hidden:
            body.append(f"  - _\u2026 {hidden} more line(s); {md_code(show)} prints it whole._")
    return out + body


def _sub_clause(change: ClauseChange) -> list[str]:
    """A sub-clause added or removed with its parent, as an item of a list nested in the parent's item."""
    side = (change.new or change.old)[0]
    title = f" \u2014 {md_escape(side.title)}" if side.title and side.title != side.citation else ""
    out = [f"  - **{md_escape(side.citation)}**{title} {redline_md(change.redline)}"]
    if change.note:
        out.append(f"    <br>_{md_escape(change.note)}_")
    return out


def render_review_json(rv: Review) -> str:
    """The review as JSON (schema 1): verdict, the diff model and the lint problems."""
    data = {
        "schema": SCHEMA,
        "spec": rv.spec,
        "base": rv.base,
        "head": rv.head,
        "verdict": verdict(rv),
        "diff": {**plain_data(rv.diff), "has_changes": rv.diff.has_changes},
        "lint": [problem_dict(p) for p in rv.lint],
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


_LEVEL = {FindingSeverity.HIGH: "error", FindingSeverity.MEDIUM: "warning"}
"""GitHub annotation level per finding severity (low is a `notice`)."""


def render_review_github(rv: Review) -> str:
    """GitHub Actions workflow commands: one annotation per finding and lint problem, then the verdict.

    Each points at `path:line` relative to the repository's top (a finding at its clause in the head), so
    GitHub shows it on the pull request's files; values are escaped as GitHub reads them.
    """
    prefix = f"{rv.prefix}/" if rv.prefix else ""
    places = rv.places or (Place("", 0),) * len(rv.diff.findings)
    lines = []
    for f, at in zip(rv.diff.findings, places, strict=True):
        props = [("file", prefix + at.path)] if at.path else []
        props += [("line", str(at.line))] if at.path and at.line else []
        props.append(("title", f"regdocs {f.kind}: {f.citation}" if f.citation else f"regdocs {f.kind}"))
        lines.append(_command(_LEVEL.get(f.severity, "notice"), props, f.message))
    for p in rv.lint:
        props = [("file", prefix + p.path), ("line", str(p.line)), ("col", str(p.col))]
        props.append(("title", f"regdocs lint: {p.rule}"))
        lines.append(_command("error" if p.severity is Severity.ERROR else "warning", props, p.message))
    lines.append(one_line(f"regdocs review {rv.spec}: {verdict(rv)}"))
    return "\n".join(lines) + "\n"


def _command(level: str, props: list[tuple[str, str]], message: str) -> str:
    """`::level key=value,…::message`, escaped."""
    joined = ",".join(f"{key}={_property(value)}" for key, value in props)
    return f"::{level} {joined}::{_data(message)}" if joined else f"::{level}::{_data(message)}"


def _data(text: str) -> str:
    """Escape a workflow command's message: `%`, CR and LF (other control characters shown visibly)."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    """Escape a workflow command's property value: as a message, and `:` and `,` too."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")
