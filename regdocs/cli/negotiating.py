"""Commands that follow a negotiation across its rounds: table, blame."""

from __future__ import annotations

import sys

import click

from regdocs.cli.app import cli
from regdocs.cli.completion import COMPLETE_DOC, COMPLETE_VERSION, COMPLETE_VERSION_OR_DOC
from regdocs.cli.options import COLOR, OUTPUT, format_option
from regdocs.cli.output import emit, require_file, wants_color
from regdocs.cli.state import Session
from regdocs.render.formats import BINARY_FORMATS, BLAME_FORMATS, TABLE_FORMATS

_STATUSES = ("open", "new", "dropped", "changed", "settled")


@cli.command()
@click.argument("versions", nargs=-1, metavar="[ROUND]...", shell_complete=COMPLETE_VERSION)
@click.option(
    "--doc", "doc", metavar="DOC", shell_complete=COMPLETE_DOC, help="Only this document (id or path)."
)
@format_option(TABLE_FORMATS)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(_STATUSES),
    help="Only clauses with this status in the last column (repeatable).",
)
@click.option(
    "--changed-by",
    "party",
    metavar="PARTY",
    help="Only clauses added, changed or removed by a round whose party contains PARTY (any case).",
)
@click.option(
    "--only",
    "only",
    type=click.Choice(["substantive"]),
    help="Only clauses with a substantive change (not editorial or renumbering only).",
)
@OUTPUT
@COLOR
@click.pass_obj
def table(
    obj: Session,
    versions: tuple[str, ...],
    doc: str | None,
    fmt: str,
    statuses: tuple[str, ...],
    party: str | None,
    only: str | None,
    output: str | None,
    color: str,
) -> None:
    """Set the rounds side by side: a row per clause, a column per round, its text redlined in each.

    No ROUND: every round, oldest first, then the working tree when it differs. Each row has the clause's
    citation, its status (open, new, dropped, changed, settled since a round) and the round that last
    changed it. Examples: regdocs table; regdocs table round-2 round-4 --format html -o table.html;
    regdocs table --format docx -o table.docx (a landscape Word table)
    """
    from regdocs.gitflow.table import RowFilter, negotiation_table

    if fmt in BINARY_FORMATS:
        require_file(output, f"--format {fmt}")  # before the work, not after it
    keep = RowFilter(frozenset(statuses), party or "", only == "substantive")
    result = negotiation_table(obj.sources(), versions, doc, keep)
    to_tty = output is None and sys.stdout.isatty()
    emit(TABLE_FORMATS[fmt](result, color=wants_color(color, to_tty)), output, obj)


@cli.command()
@click.argument("args", nargs=-1, metavar="[VERSION] [DOC]", shell_complete=COMPLETE_VERSION_OR_DOC)
@format_option(BLAME_FORMATS)
@COLOR
@click.pass_obj
def blame(obj: Session, args: tuple[str, ...], fmt: str, color: str) -> None:
    """Show, for each clause of a version, the round, party and date that last changed its words.

    Like git blame, by clause: renumbering and moves are not changes of the words. VERSION is a round
    (default: the latest version); DOC a document. Examples: regdocs blame; regdocs blame round-3
    """
    from regdocs.gitflow.blame import blame as blame_clauses

    result = blame_clauses(obj.sources(), args)
    text = BLAME_FORMATS[fmt](result, color=wants_color(color, sys.stdout.isatty()))
    click.echo(text, nl=False, color=True)
