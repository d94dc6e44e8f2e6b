"""Commands that compare versions: diff, history, review."""

from __future__ import annotations

import sys

import click

from regdocs.cli.app import cli, keep_until_exit
from regdocs.cli.completion import COMPLETE_CLAUSE, COMPLETE_DOC, COMPLETE_VERSION
from regdocs.cli.options import COLOR, DOC_KEY, OUTPUT, format_option
from regdocs.cli.output import emit, text_width, wants_color
from regdocs.cli.state import Session
from regdocs.render.formats import DIFF_FORMATS, HISTORY_FORMATS, REVIEW_FORMATS

_ONLY = ("substantive", "editorial", "move-only", "renumber-only")


@cli.command()
@click.argument("versions", nargs=-1, metavar="[A [B]]", shell_complete=COMPLETE_VERSION)
@format_option(DIFF_FORMATS)
@click.option("--stat", is_flag=True, help="Only counts of changes per kind per document.")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(_ONLY),
    help="Show only changes of this class (repeatable); counts follow it, front matter counts as substantive.",
)
@click.option(
    "--doc", "doc", metavar="DOC", shell_complete=COMPLETE_DOC, help="Only this document (id or path)."
)
@click.option(
    "--clause",
    "clause",
    metavar="CLAUSE",
    shell_complete=COMPLETE_CLAUSE,
    help="Only changes touching this clause (id, number or citation, found as `show` finds it: in B, "
    "else in A) and its sub-clauses.",
)
@click.option("--findings", "findings_only", is_flag=True, help="Only the findings, not the redlines.")
@click.option(
    "--exit-code", "exit_code", is_flag=True, help="Exit 1 when there are differences, 0 when none."
)
@OUTPUT
@COLOR
@click.option("--no-pager", is_flag=True, help="Do not page terminal output.")
@click.pass_obj
def diff(
    obj: Session,
    versions: tuple[str, ...],
    fmt: str,
    stat: bool,
    only: tuple[str, ...],
    doc: str | None,
    clause: str | None,
    findings_only: bool,
    exit_code: bool,
    output: str | None,
    color: str,
    no_pager: bool,
) -> None:
    """Show what changed between two versions, clause by clause, with findings that matter.

    No version: HEAD vs working tree. One: that version vs working tree. Two, or A..B: A vs B.
    Versions are rounds, git refs or folders; two files are compared as one document (no regdocs.toml needed).
    Examples: regdocs diff round-1 round-2; regdocs diff round-3..round-4 --format markdown
    """
    from regdocs.corpus.targets import diff_versions

    if len(versions) > 2:
        raise click.UsageError("diff takes at most two versions")
    result = diff_versions(obj.sources(implicit=True), versions, clause, doc)
    keep_until_exit(result)
    to_tty = output is None and sys.stdout.isatty()
    render, paint = DIFF_FORMATS[fmt], wants_color(color, to_tty)
    text = render(result, only=set(only) or None, findings_only=findings_only, stat=stat, color=paint)
    emit(text, output, obj, page=to_tty and fmt == "terminal" and not no_pager)
    if exit_code and result.has_changes:
        sys.exit(1)


@cli.command()
@click.argument("clause", metavar="CLAUSE", shell_complete=COMPLETE_CLAUSE)
@DOC_KEY
@format_option(HISTORY_FORMATS)
@COLOR
@click.pass_obj
def history(obj: Session, clause: str, doc_key: str | None, fmt: str, color: str) -> None:
    """Follow one clause through every round: wording, redline, party, author and rationale.

    Follows renumbering, moves, splits and merges. CLAUSE is an id or number in the latest version.
    Examples: regdocs history incident-notification.5; regdocs history "section 15"
    """
    from regdocs.gitflow.history import clause_history

    steps = clause_history(obj.sources(), clause, doc_key)
    to_tty = sys.stdout.isatty()
    text = HISTORY_FORMATS[fmt](steps, color=wants_color(color, to_tty), width=text_width(to_tty))
    click.echo(text, nl=False, color=True)


@cli.command()
@click.argument("spec", metavar="BASE..HEAD", shell_complete=COMPLETE_VERSION)
@format_option(
    REVIEW_FORMATS,
    "Markdown for a pull-request comment, JSON, or GitHub Actions annotations (::error file=…,line=…::).",
)
@click.option(
    "--fail-on",
    "fail_on",
    type=click.Choice(["high", "medium", "low"]),
    default=None,
    help="Exit 1 when a finding of this severity or worse, or a lint error, is present.",
)
@click.option(
    "--limit",
    "limit",
    default=65536,
    show_default=True,
    type=click.IntRange(2000),
    help="Maximum length of the markdown report in characters (a pull-request comment's limit).",
)
@click.option(
    "--full-report",
    "full_hint",
    default="",
    metavar="TEXT",
    help="Where readers find the untruncated report (e.g. a CI artifact URL).",
)
@OUTPUT
@click.pass_obj
def review(
    obj: Session, spec: str, fmt: str, fail_on: str | None, limit: int, full_hint: str, output: str | None
) -> None:
    """Review a change to the rules: verdict, counts, findings, lint of HEAD, collapsible redlines.

    BASE..HEAD compares the two; BASE...HEAD compares HEAD with its merge base with BASE (as a
    pull request does). Examples: regdocs review main..feature; regdocs review round-1..round-2 --format json;
    regdocs review origin/main...HEAD --format github --fail-on high
    """
    from regdocs.gitflow.review import fails
    from regdocs.gitflow.review import review as run_review

    result = run_review(obj.sources(), spec)
    emit(REVIEW_FORMATS[fmt](result, limit=limit, full_hint=full_hint), output, obj)
    if fail_on and fails(result, fail_on):
        sys.exit(1)
