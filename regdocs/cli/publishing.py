"""Commands that publish the site: build, serve."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from regdocs.cli.app import cli
from regdocs.cli.options import OUT
from regdocs.cli.progress import BuildStatus
from regdocs.cli.state import Session
from regdocs.errors import RegdocsError

if TYPE_CHECKING:
    from regdocs.publish.build import BuildResult


@cli.command()
@OUT
@click.option(
    "--base-url",
    "base_url",
    default="",
    metavar="URL",
    help="Public address of the site, for canonical links and copied permalinks.",
)
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.pass_obj
def build(obj: Session, out: str | None, base_url: str, force: bool) -> None:
    """Build the static site: every round, permalinks, redlines, clause histories, glossary, search.

    The site is written to a temporary folder and swapped in; an unchanged corpus is not rebuilt.
    Examples: regdocs build; regdocs build --out public --base-url https://rules.example.org/
    """
    result = _build(obj, _out(obj, out), base_url, force)  # the summary comes after the swap
    _print_summary(result)


@cli.command()
@click.option(
    "--port",
    "port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1.",
)
@OUT
@click.pass_obj
def serve(obj: Session, port: int, out: str | None) -> None:
    """Preview the site on http://127.0.0.1:PORT, rebuilding when the corpus changes.

    Example: regdocs serve --port 8000
    """
    from regdocs.publish.serve import open_server, serve_site

    folder = _out(obj, out)
    result = _build(obj, folder, "", False)
    server = open_server(result.out, port)
    port = server.server_address[1]
    built = "up to date" if result.skipped else f"{result.pages} pages"
    click.echo(f"{result.out}: {built}; serving on http://127.0.0.1:{port}/ (Ctrl-C stops)")

    def rebuild() -> str:
        obj.close()
        again = _build(obj, folder, "", False)
        return "" if again.skipped else f"rebuilt: {again.pages} pages in {again.seconds:.1f} s"

    serve_site(result.out, server, obj.sources().config.root, rebuild, lambda msg: click.echo(msg, err=True))


def _out(obj: Session, out: str | None) -> str:
    """The --out folder, or the default one: beside the corpus, so it works from any folder."""
    from regdocs.corpus.config import shown_path, site_folder

    return out if out is not None else shown_path(site_folder(obj.sources().config.root))


def _build(obj: Session, out: str, base_url: str, force: bool) -> BuildResult:
    """Build the site into `out`, drawing its progress when standard error is a terminal."""
    from regdocs.publish.build import build_site

    if base_url and not base_url.startswith(("https://", "http://")):
        raise RegdocsError(f"--base-url {base_url!r} must start with https:// or http://")
    if not sys.stderr.isatty():  # a log or a pipe gets the summary line only
        return build_site(obj.sources(), Path(out), base_url, force=force)
    status = BuildStatus(sys.stderr)
    try:
        return build_site(obj.sources(), Path(out), base_url, force=force, progress=status)
    finally:
        status.close()  # an error message must not land on the end of a half-drawn line


def _print_summary(result: BuildResult) -> None:
    """Print the build's one-line summary; the site is in place even when that fails."""
    if result.skipped:
        summary = f"{result.out}: up to date ({result.seconds:.2f} s)"
    else:
        search = "" if result.search else " (search index skipped: pagefind is not installed)"
        summary = f"{result.out}: {result.pages} pages in {result.seconds:.1f} s{search}"
    try:
        click.echo(summary)
    except BrokenPipeError:
        raise
    except OSError as exc:  # `> /dev/full`: the site is in place all the same, and the message says so
        done = "is up to date" if result.skipped else f"was built ({result.pages} pages)"
        raise RegdocsError(
            f"the site in {result.out} {done}, but its summary could not be printed: {exc.strerror or exc}"
        ) from None
