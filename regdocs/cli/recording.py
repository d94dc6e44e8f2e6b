"""Commands that start a corpus and record its history in git: init, round add, git-setup, textconv."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from regdocs.cli.app import cli
from regdocs.cli.completion import COMPLETE_REF
from regdocs.cli.output import from_here, warn
from regdocs.cli.state import Session
from regdocs.errors import RegdocsError
from regdocs.render.sanitize import error_line

if TYPE_CHECKING:
    from regdocs.corpus.config import CorpusConfig, Round
    from regdocs.gitflow.init import Started


@cli.command()
@click.option(
    "--title", "title", default=None, metavar="TEXT", help="Corpus title (default: this folder's name)."
)
@click.option(
    "--git-setup/--no-git-setup",
    "setup",
    default=None,
    help="Also run git-setup (default: ask, on a terminal inside a git repository).",
)
@click.pass_obj
def init(obj: Session, title: str | None, setup: bool | None) -> None:
    """Start a corpus in this folder: regdocs.toml, corpus/ with a sample document, a .gitignore for the site.

    Overwrites nothing. Example: regdocs init --title "Security Rules"
    """
    from regdocs.corpus.config import load_config
    from regdocs.gitflow.init import in_git_repository, init_corpus

    if obj.corpus_option:
        raise click.UsageError("init starts a corpus in the current folder; run it there without --corpus")
    here = Path.cwd()
    in_git = in_git_repository(here)
    if setup and not in_git:
        raise RegdocsError("--git-setup needs a git repository", hint="run 'git init' first")
    started = init_corpus(here, title)
    _print_started(started)
    if _wants_setup(setup, in_git):
        _print_setup(load_config(started.corpus), force=False)
    _print_next(started, in_git)


def _wants_setup(setup: bool | None, in_git: bool) -> bool:
    """--git-setup or --no-git-setup; neither: ask, on a terminal inside a git repository."""
    if setup is None and in_git and sys.stdin.isatty() and sys.stdout.isatty():
        return click.confirm("Make plain 'git diff' show the documents clause by clause (git-setup)?", True)
    return bool(setup)


def _print_started(started: Started) -> None:
    """List the files `init` created and those it kept (with what is left to do)."""
    for rel in started.written:
        click.echo(f"created      {rel}")
    for rel, todo in started.kept:
        click.echo(f"kept         {rel} ({todo})")


def _print_next(started: Started, in_git: bool) -> None:
    """Say what to do next, and where the site will go."""
    from regdocs.corpus.config import shown_path
    from regdocs.gitflow.init import SAMPLE

    first = "" if in_git else "git init (rounds are commits), "
    click.echo(
        f"next: {first}edit or replace {shown_path(started.corpus)}/{SAMPLE}, commit, and record the round: "
        "regdocs round add round-1 --party WHO --label WHAT"
    )
    click.echo(f"      'regdocs build' will write the site into {shown_path(started.site)}/")


@cli.group("round")
def round_group() -> None:
    """Record negotiation rounds in regdocs.toml."""


@round_group.command("add")
@click.argument("name")
@click.option(
    "--ref",
    "ref",
    default="HEAD",
    show_default=True,
    shell_complete=COMPLETE_REF,
    help="Commit, tag or branch holding the round's text.",
)
@click.option("--party", "party", required=True, help="Who tabled the text.")
@click.option("--label", "label", required=True, help="One-line description, e.g. 'Counter-proposal'.")
@click.option(
    "--date",
    "date",
    default=None,
    metavar="YYYY-MM-DD",
    help="Date of the round (default: the commit's date).",
)
@click.option("--tag", "tag", is_flag=True, help="Also create an annotated git tag named NAME.")
@click.pass_obj
def round_add(obj: Session, name: str, ref: str, party: str, label: str, date: str | None, tag: bool) -> None:
    """Append a round to regdocs.toml, pinned to the commit REF resolves to (comments and layout kept).

    Example: regdocs round add round-5 --party "Meridian AI Ltd" --label "Second counter-proposal" --tag
    """
    from regdocs.gitflow.roundadd import add_round

    result = add_round(obj.sources(), name, ref, party, label, date, tag=tag)
    for warning in result.warnings:
        warn(warning)
    _print_added(result.round, obj.sources().config.root / "regdocs.toml", tag=tag)


def _print_added(added: Round, toml_path: Path, *, tag: bool) -> None:
    """Say which round was recorded, and how to commit regdocs.toml (and push the tag)."""
    click.echo(
        error_line(
            f"added round {added.name}: commit {added.ref[:10]}, {added.date}, {added.party} \u2014 {added.label}"
        )
        + (f"; tagged {added.name}" if tag else "")
    )
    toml = shlex.quote(from_here(toml_path))
    push = f"; push the tag too (tags do not travel with a push): git push origin {added.name}" if tag else ""
    click.echo(f'hint: commit {toml}: git add {toml} && git commit -m "Record round {added.name}"{push}')


@cli.command("git-setup")
@click.option("--force", is_flag=True, help="Replace an existing diff attribute or textconv setting.")
@click.pass_obj
def git_setup_cmd(obj: Session, force: bool) -> None:
    """Make plain git diff the corpus clause by clause (.gitattributes + local git config).

    Idempotent; shows what it changed; keeps existing settings unless --force.
    Example: regdocs git-setup
    """
    _print_setup(obj.config(), force=force)


def _print_setup(config: CorpusConfig, *, force: bool) -> None:
    """Run git-setup and show each step it took or left alone."""
    from regdocs.gitflow.gitsetup import git_setup

    for step in git_setup(config, force=force):
        detail = (
            f" (existing: {step.detail}; use --force to replace)"
            if step.action == "kept"
            else (f" (was: {step.detail})" if step.detail else "")
        )
        click.echo(f"{step.action:12} {step.what}{detail}")


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False), metavar="FILE")
def textconv(file: str) -> None:
    """Print FILE one clause per paragraph (number, id, words), for git's textconv.

    After `regdocs git-setup`, `git diff`, `git log -p` and `git blame` read clause by clause.
    Example: regdocs textconv corpus/frontier-ai-security-rules.md
    """
    from regdocs.parse.document import parse_document
    from regdocs.render.textconv import clause_text

    path = Path(file)
    data = path.read_bytes()
    try:
        text = clause_text(parse_document(data, path.name))
    except Exception as exc:  # git diff and git log -p must never stop on one document: show it as it is
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        warn(f"{path.name}: {first}; shown as it is")
        sys.stdout.buffer.write(data)
        return
    click.echo(text, nl=False)
