"""Commands that read the corpus at one version: rounds, outline, show, lint."""

from __future__ import annotations

import sys

import click

from regdocs.cli.app import cli
from regdocs.cli.completion import COMPLETE_VERSION, COMPLETE_VERSION_OR_CLAUSE, COMPLETE_VERSION_OR_DOC
from regdocs.cli.options import DOC_KEY, format_option
from regdocs.cli.output import from_here, warn
from regdocs.cli.state import Session
from regdocs.render.formats import LINT_FORMATS, OUTLINE_FORMATS, ROUND_STAT_FORMATS, ROUNDS_FORMATS


@cli.command()
@format_option(ROUNDS_FORMATS)
@click.option(
    "--stat", is_flag=True, help="Per round: clauses changed, open points and findings by severity."
)
@click.pass_obj
def rounds(obj: Session, fmt: str, stat: bool) -> None:
    """List the negotiation rounds with their commits, authors and messages.

    Examples: regdocs rounds; regdocs rounds --stat
    """
    if stat:
        from regdocs.gitflow.roundstat import round_stats

        click.echo(ROUND_STAT_FORMATS[fmt](round_stats(obj.sources())), nl=False)
        return
    infos = obj.sources().round_infos()
    click.echo(ROUNDS_FORMATS[fmt](infos), nl=False)


@cli.command()
@click.argument("args", nargs=-1, metavar="[VERSION] [DOC]", shell_complete=COMPLETE_VERSION_OR_DOC)
@format_option(OUTLINE_FORMATS)
@click.pass_obj
def outline(obj: Session, args: tuple[str, ...], fmt: str) -> None:
    """Show the clause tree (number, id, title) of every document or of DOC.

    Examples: regdocs outline; regdocs outline round-1; regdocs outline round-2 frontier-ai-security-rules
    """
    from regdocs.corpus.targets import outline_documents

    if len(args) > 2:
        raise click.UsageError("outline takes at most VERSION and DOC")
    version, docs = outline_documents(obj.sources(implicit=True), args, warn)
    click.echo(OUTLINE_FORMATS[fmt](docs, version.label), nl=False)


@cli.command()
@click.argument(
    "args",
    nargs=-1,
    required=True,
    metavar="[VERSION] CLAUSE",
    shell_complete=COMPLETE_VERSION_OR_CLAUSE,
)
@DOC_KEY
@click.pass_obj
def show(obj: Session, args: tuple[str, ...], doc_key: str | None) -> None:
    """Print one clause (by id or number) with its sub-clauses.

    Examples: regdocs show incident-notification; regdocs show round-1 "section 12(2)"
    """
    from regdocs.corpus.targets import clause_at
    from regdocs.render.listing import clause_text

    if len(args) > 2:
        raise click.UsageError("show takes [VERSION] CLAUSE; quote a clause number with spaces")
    spec, key = (None, args[0]) if len(args) == 1 else args
    version, doc, clause = clause_at(obj.sources(implicit=True), spec, key, doc_key, warn)
    click.echo(clause_text(doc, clause, version.label), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True), metavar="[PATHS]...")
@click.option(
    "--at",
    "at",
    metavar="VERSION",
    shell_complete=COMPLETE_VERSION,
    help="Lint the corpus as it is at VERSION instead of the working tree.",
)
@format_option(LINT_FORMATS)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--skip-other-files",
    is_flag=True,
    help="Pass over PATHS that are not corpus documents (excluded or outside), as the pre-commit hook does.",
)
@click.pass_obj
def lint(
    obj: Session, paths: tuple[str, ...], at: str | None, fmt: str, strict: bool, skip_other_files: bool
) -> None:
    """Check ids, cross-references, numbering, headings, empty clauses, defined terms and front matter.

    Exit 1 when errors (or, with --strict, warnings) are found.
    Examples: regdocs lint; regdocs lint --at round-3; regdocs lint rules.md --format json
    """
    from regdocs.corpus.targets import lint_targets

    run = lint_targets(obj.sources(implicit=True), paths, at, skip_other_files, warn)
    shown = {path: from_here(location) for path, location in run.located.items()}
    click.echo(LINT_FORMATS[fmt](run.problems, run.files, shown), nl=False)
    if run.fails(strict):
        sys.exit(1)
