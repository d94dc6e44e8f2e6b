"""Command line: parse options, call one library function per command, print, map errors to exit codes."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from regdocs import __version__
from regdocs.errors import ProblemsError, RegdocsError
from regdocs.render.sanitize import error_line

if TYPE_CHECKING:
    from regdocs.corpus.config import CorpusConfig
    from regdocs.corpus.sources import Sources, Version
    from regdocs.parse.model import Corpus


def _check_reader() -> None:
    """Raise BrokenPipeError when standard output is a pipe nobody reads any more.

    A reader that leaves while a large write is under way (`| head -1`) makes the write partial, and Python
    then drops the rest without an error: only the pipe itself still tells.
    """
    import select
    import stat

    try:
        fd = sys.stdout.fileno()
        if not stat.S_ISFIFO(os.fstat(fd).st_mode) or not hasattr(select, "poll"):
            return
    except (OSError, ValueError):  # no file descriptor (CliRunner) or a closed one
        return
    poller = select.poll()
    poller.register(fd, 0)  # POLLERR and POLLHUP are always reported
    if any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0)):
        raise BrokenPipeError


class _Group(click.Group):
    """Turn library errors into one line each on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            _check_reader()
            return result
        except ProblemsError as exc:
            for err in exc.errors:
                click.echo(f"regdocs: error: {error_line(str(err))}", err=True)
            ctx.exit(2)
        except RegdocsError as exc:
            click.echo(f"regdocs: error: {error_line(str(exc))}", err=True)
            ctx.exit(2)
        except BrokenPipeError:
            # the reader went away (`| head`): stop quietly with 141 (128 + SIGPIPE) as git does; what is
            # still buffered is flushed into /dev/null, so no "Exception ignored" at shutdown
            from contextlib import suppress

            devnull = os.open(os.devnull, os.O_WRONLY)
            for stream in (sys.stdout, sys.stderr):
                with suppress(OSError, ValueError):  # CliRunner's streams have no file descriptor
                    os.dup2(devnull, stream.fileno())
            os.close(devnull)
            ctx.exit(141)
        except OSError as exc:  # e.g. a full disk under `> file`, an unreadable document
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"regdocs: error: {error_line(f'{where}{exc.strerror or exc}')}", err=True)
            ctx.exit(2)


class _Obj:
    """Per-invocation state: the corpus location, opened lazily."""

    def __init__(self, corpus: str | None) -> None:
        self.corpus_option = corpus
        self._sources: Sources | None = None

    def config(self) -> CorpusConfig:
        from regdocs.corpus.config import find_corpus, load_config

        return load_config(find_corpus(self.corpus_option))

    def sources(self) -> Sources:
        from regdocs.corpus.sources import Sources

        if self._sources is None:
            self._sources = Sources(self.config())
        return self._sources

    def close(self) -> None:
        if self._sources is not None:
            self._sources.close()


def _load(obj: _Obj, spec: str | None) -> tuple[Version, Corpus]:
    from regdocs.corpus.load import load_corpus

    sources = obj.sources()
    version = sources.resolve(spec)
    corpus = load_corpus(sources, version)
    for warning in corpus.warnings:
        click.echo(f"regdocs: warning: {error_line(warning)}", err=True)
    return version, corpus


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    "corpus",
    metavar="DIR",
    help="Corpus folder (default: $REGDOCS_CORPUS, else the nearest regdocs.toml).",
)
@click.version_option(__version__, prog_name="regdocs")
@click.pass_context
def cli(ctx: click.Context, corpus: str | None) -> None:
    """Regulation documents as clauses: versions, negotiation rounds, outlines and lint.

    A VERSION is a round name from regdocs.toml, a git ref (tag, branch, commit, HEAD~2)
    or a folder; no VERSION means the working tree.
    """
    obj = _Obj(corpus)
    ctx.obj = obj
    ctx.call_on_close(obj.close)


_FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@cli.command()
@_FORMAT
@click.pass_obj
def rounds(obj: _Obj, fmt: str) -> None:
    """List the negotiation rounds with their commits, authors and messages.

    Example: regdocs rounds
    """
    from regdocs.render.listing import rounds_json, rounds_text

    infos = obj.sources().round_infos()
    click.echo(rounds_json(infos) if fmt == "json" else rounds_text(infos), nl=False)


@cli.command()
@click.argument("args", nargs=-1, metavar="[VERSION] [DOC]")
@_FORMAT
@click.pass_obj
def outline(obj: _Obj, args: tuple[str, ...], fmt: str) -> None:
    """Show the clause tree (number, id, title) of every document or of DOC.

    Examples: regdocs outline; regdocs outline round-1; regdocs outline round-2 frontier-ai-security-rules
    """
    from regdocs.errors import VersionError
    from regdocs.render.listing import outline_json, outline_text

    if len(args) > 2:
        raise click.UsageError("outline takes at most VERSION and DOC")
    spec, doc_key = (*args, None, None)[:2]
    if len(args) == 1:
        try:
            obj.sources().resolve(spec)
        except VersionError as exc:
            _, work = _load(obj, None)
            if work.document(args[0]) is None:
                raise exc from None
            spec, doc_key = None, args[0]
    version, corpus = _load(obj, spec)
    docs = corpus.documents
    if doc_key:
        doc = corpus.document(doc_key)
        if doc is None:
            raise RegdocsError(
                f"no document {doc_key!r} at {version.label}",
                hint="documents: " + ", ".join(d.id for d in docs),
            )
        docs = (doc,)
    _check_ids(docs)
    out = outline_json(docs, version.label) if fmt == "json" else outline_text(docs, version.label)
    click.echo(out, nl=False)


def _check_ids(docs: Any) -> None:
    """Refuse documents whose explicit ids collide: every view of them would be ambiguous."""
    from regdocs.findings.lint import Severity, lint_corpus
    from regdocs.parse.model import Corpus

    problems = [p for p in lint_corpus(Corpus("", tuple(docs))) if p.rule == "duplicate-id"]
    errors = [
        RegdocsError(p.message, path=p.path, line=p.line) for p in problems if p.severity is Severity.ERROR
    ]
    if errors:
        raise errors[0] if len(errors) == 1 else ProblemsError(errors)


@cli.command()
@click.argument("args", nargs=-1, required=True, metavar="[VERSION] CLAUSE")
@click.option("--doc", "doc_key", metavar="DOC", help="Look only in this document (id or path).")
@click.pass_obj
def show(obj: _Obj, args: tuple[str, ...], doc_key: str | None) -> None:
    """Print one clause (by id or number) with its sub-clauses.

    Examples: regdocs show incident-notification; regdocs show round-1 "section 12(2)"
    """
    from regdocs.corpus.lookup import find_clause
    from regdocs.render.listing import clause_text

    if len(args) > 2:
        raise click.UsageError("show takes [VERSION] CLAUSE; quote a clause number with spaces")
    spec, key = (None, args[0]) if len(args) == 1 else args
    version, corpus = _load(obj, spec)
    doc, clause = find_clause(corpus, key, doc_key)
    _check_ids((doc,))
    click.echo(clause_text(doc, clause, version.label), nl=False)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=True, file_okay=True), metavar="[PATHS]...")
@click.option(
    "--at", "at", metavar="VERSION", help="Lint the corpus as it is at VERSION instead of the working tree."
)
@_FORMAT
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--skip-other-files",
    is_flag=True,
    help="Pass over PATHS that are not corpus documents (excluded or outside), as the pre-commit hook does.",
)
@click.pass_obj
def lint(
    obj: _Obj, paths: tuple[str, ...], at: str | None, fmt: str, strict: bool, skip_other_files: bool
) -> None:
    """Check ids, cross-references, numbering, headings, empty clauses, defined terms and front matter.

    Exit 1 when errors (or, with --strict, warnings) are found.
    Examples: regdocs lint; regdocs lint --at round-3; regdocs lint rules.md --format json
    """
    from regdocs.findings.lint import Severity, lint_corpus
    from regdocs.render.listing import lint_json, lint_text

    _, corpus = _load(obj, at)
    only = _select(obj.sources().config.root, paths, corpus, skip_other_files) if paths else None
    problems = lint_corpus(corpus, only)
    files = len(only) if only is not None else len(corpus.documents)
    click.echo(lint_json(problems, files) if fmt == "json" else lint_text(problems, files), nl=False)
    failing = [p for p in problems if p.severity is Severity.ERROR or strict]
    if failing:
        sys.exit(1)


def _select(root: Path, paths: tuple[str, ...], corpus: Corpus, skip_others: bool = False) -> set[str]:
    """Map PATHS (files or folders, relative to the current folder) to corpus document paths."""
    chosen: set[str] = set()
    problems: list[RegdocsError] = []
    known = {d.path for d in corpus.documents}
    for given in paths:
        full = Path(given).resolve()
        try:
            rel = full.relative_to(root.resolve()).as_posix()
        except ValueError:
            if skip_others:
                continue
            problems.append(
                RegdocsError(
                    "is outside the corpus", path=given, hint=f"lint files under {root}, or pass --corpus"
                )
            )
            continue
        if rel == ".":
            chosen |= known
            continue
        matches = {p for p in known if p == rel or p.startswith(rel + "/")}
        if not matches and not skip_others:
            problems.append(
                RegdocsError(
                    f"is not a document of the corpus at {corpus.version}",
                    path=given,
                    hint="check the path, or documents.include/exclude in regdocs.toml",
                )
            )
        chosen |= matches
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    return chosen


_COLOR = click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output (auto: when writing to a terminal and NO_COLOR is unset).",
)
_ONLY = ("substantive", "editorial", "move-only", "renumber-only")


@cli.command()
@click.argument("versions", nargs=-1, metavar="[A [B]]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["terminal", "markdown", "html", "json"]),
    default="terminal",
    show_default=True,
    help="Output format.",
)
@click.option("--stat", is_flag=True, help="Only counts of changes per kind per document.")
@click.option(
    "--only",
    "only",
    multiple=True,
    type=click.Choice(_ONLY),
    help="Show only changes of this class (repeatable).",
)
@click.option("--doc", "doc", metavar="DOC", help="Only this document (id or path).")
@click.option(
    "--clause",
    "clause",
    metavar="CLAUSE",
    help="Only changes touching this clause (id or citation) and its sub-clauses.",
)
@click.option("--findings", "findings_only", is_flag=True, help="Only the findings, not the redlines.")
@click.option(
    "--exit-code", "exit_code", is_flag=True, help="Exit 1 when there are differences, 0 when none."
)
@click.option("-o", "--output", "output", metavar="FILE", help="Write to FILE instead of standard output.")
@_COLOR
@click.option("--no-pager", is_flag=True, help="Do not page terminal output.")
@click.pass_obj
def diff(
    obj: _Obj,
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
    Versions are rounds, git refs or folders.
    Examples: regdocs diff round-1 round-2; regdocs diff round-3..round-4 --format markdown
    """
    from regdocs.corpus.load import compare, select
    from regdocs.corpus.sources import split_range

    if len(versions) > 2:
        raise click.UsageError("diff takes at most two versions")
    if len(versions) == 1 and split_range(versions[0]) is not None:
        old_spec, new_spec = split_range(versions[0])  # type: ignore[misc]
    elif len(versions) == 2:
        old_spec, new_spec = versions
    elif len(versions) == 1:
        old_spec, new_spec = versions[0], None
    else:
        old_spec, new_spec = "HEAD", None
    result = select(compare(obj.sources(), old_spec, new_spec, clause), doc, clause)
    wanted = set(only) or None
    to_tty = output is None and sys.stdout.isatty()
    paint = color == "always" or (color == "auto" and to_tty and not os.environ.get("NO_COLOR"))
    text = _render_diff(result, fmt, stat, wanted, findings_only, paint)
    _emit(text, output, obj, page=to_tty and fmt == "terminal" and not no_pager)
    if exit_code and result.has_changes:
        sys.exit(1)


def _render_diff(
    result: Any, fmt: str, stat: bool, only: set[str] | None, findings_only: bool, paint: bool
) -> str | Iterable[str]:
    if fmt == "json":
        from regdocs.render.jsonout import render_json_chunks

        return render_json_chunks(result)
    if fmt == "markdown":
        from regdocs.render.markdown import render_markdown

        return render_markdown(result, only=only, findings_only=findings_only)
    if fmt == "html":
        from regdocs.render.htmlpage import render_html

        return render_html(result, only=only, findings_only=findings_only)
    from regdocs.render.terminal import render_stat, render_terminal

    if stat:
        return render_stat(result)
    return render_terminal(result, color=paint, only=only, findings_only=findings_only)


def _emit(text: str | Iterable[str], output: str | None, obj: _Obj, *, page: bool = False) -> None:
    """Print, page, or write atomically to -o FILE (never into the corpus); `text` may come in pieces."""
    if not isinstance(text, str):
        _emit_pieces(text, output, obj)
        return
    if output is None:
        if page and text.count("\n") > shutil.get_terminal_size().lines:
            os.environ.setdefault("LESS", "FRX")  # as git does: colours, quit if one screen, keep the screen
            click.echo_via_pager(text, color=True)
        else:
            click.echo(text, nl=False, color=True)  # escape codes are only there when colour was asked for
        return
    _write_output([text], output, obj)


def _emit_pieces(pieces: Iterable[str], output: str | None, obj: _Obj) -> None:
    batched = _batches(pieces)
    if output is None:
        for batch in batched:
            click.echo(batch, nl=False)
        return
    _write_output(batched, output, obj)


def _batches(pieces: Iterable[str], count: int = 50_000) -> Iterator[str]:
    """Join small pieces into large writes (JSON's encoder yields a piece per token)."""
    from itertools import islice

    it = iter(pieces)
    while block := "".join(islice(it, count)):
        yield block


def _write_output(pieces: Iterable[str], output: str, obj: _Obj) -> None:
    """Write to -o FILE atomically (an exclusive temporary file renamed over it), or into a fifo or device."""
    from regdocs.safefile import is_stream, write_atomically, write_through

    given = Path(output)
    target = given.resolve()
    root = obj.sources().config.root.resolve()
    if target == root or root in target.parents:
        raise RegdocsError(
            "refusing to write into the corpus folder",
            path=output,
            hint="write the report somewhere outside the corpus",
        )
    if target.is_dir():
        raise RegdocsError("is a folder", path=output, hint="give a file name")
    try:
        if is_stream(given):  # /dev/stdout, a fifo: write straight through, nothing is created
            write_through(given, pieces)
        else:
            write_atomically(given, pieces)
    except BrokenPipeError:
        raise  # a reader that left (`-o /dev/stdout | head`): quiet exit 141, as for standard output
    except OSError as exc:
        raise RegdocsError(
            f"cannot write: {exc.strerror or exc}", path=output, hint="check the path and its permissions"
        ) from None


@cli.command()
@click.argument("clause", metavar="CLAUSE")
@click.option("--doc", "doc_key", metavar="DOC", help="Look only in this document (id or path).")
@_FORMAT
@_COLOR
@click.pass_obj
def history(obj: _Obj, clause: str, doc_key: str | None, fmt: str, color: str) -> None:
    """Follow one clause through every round: wording, redline, party, author and rationale.

    Follows renumbering, moves, splits and merges. CLAUSE is an id or number in the latest version.
    Examples: regdocs history incident-notification.5; regdocs history "section 15"
    """
    from regdocs.gitflow.history import clause_history
    from regdocs.render.history import history_json, history_text

    steps = clause_history(obj.sources(), clause, doc_key)
    paint = color == "always" or (color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    click.echo(
        history_json(steps) if fmt == "json" else history_text(steps, color=paint), nl=False, color=True
    )


@cli.command()
@click.option(
    "--out", "out", default="site", show_default=True, metavar="DIR", help="Folder to write the site into."
)
@click.option(
    "--base-url",
    "base_url",
    default="",
    metavar="URL",
    help="Public address of the site, for canonical links and copied permalinks.",
)
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.pass_obj
def build(obj: _Obj, out: str, base_url: str, force: bool) -> None:
    """Build the static site: every round, permalinks, redlines, clause histories, glossary, search.

    The site is written to a temporary folder and swapped in; an unchanged corpus is not rebuilt.
    Examples: regdocs build; regdocs build --out public --base-url https://rules.example.org/
    """
    result = _build(obj, out, base_url, force)  # the summary comes after the swap: it reports what happened
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


def _build(obj: _Obj, out: str, base_url: str, force: bool) -> Any:
    from regdocs.publish.build import build_site

    if base_url and not base_url.startswith(("https://", "http://")):
        raise RegdocsError(f"--base-url {base_url!r} must start with https:// or http://")
    if not sys.stderr.isatty():
        return build_site(obj.sources(), Path(out), base_url, force=force)
    with click.progressbar(length=1, label="Building site", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        return build_site(obj.sources(), Path(out), base_url, force=force, progress=progress)


@cli.command()
@click.option(
    "--port",
    "port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1.",
)
@click.option("--out", "out", default="site", show_default=True, metavar="DIR", help="Folder to build into.")
@click.pass_obj
def serve(obj: _Obj, port: int, out: str) -> None:
    """Preview the site on http://127.0.0.1:PORT, rebuilding when the corpus changes.

    Example: regdocs serve --port 8000
    """
    from regdocs.publish.serve import open_server, serve_site

    result = _build(obj, out, "", False)
    server = open_server(result.out, port)
    port = server.server_address[1]
    click.echo(
        f"{result.out}: {result.pages or 'up to date, no'} pages; serving on http://127.0.0.1:{port}/ (Ctrl-C stops)"
    )

    def rebuild() -> str:
        obj.close()
        again = _build(obj, out, "", False)
        return "" if again.skipped else f"rebuilt: {again.pages} pages in {again.seconds:.1f} s"

    serve_site(result.out, server, obj.sources().config.root, rebuild, lambda msg: click.echo(msg, err=True))


@cli.command()
@click.argument("spec", metavar="BASE..HEAD")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for a pull-request comment, or JSON.",
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
@click.option("-o", "--output", "output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.pass_obj
def review(obj: _Obj, spec: str, fmt: str, limit: int, full_hint: str, output: str | None) -> None:
    """Review a change to the rules: verdict, counts, findings, lint of HEAD, collapsible redlines.

    BASE..HEAD compares the two; BASE...HEAD compares HEAD with its merge base with BASE (as a
    pull request does). Examples: regdocs review main..feature; regdocs review round-1..round-2 --format json
    """
    from regdocs.gitflow.review import review as run_review
    from regdocs.render.review import render_review, render_review_json

    result = run_review(obj.sources(), spec)
    text = (
        render_review_json(result)
        if fmt == "json"
        else render_review(result, limit=limit, full_hint=full_hint)
    )
    _emit(text, output, obj)


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
        click.echo(
            f"regdocs: warning: {error_line(path.name)}: "
            f"{error_line(str(exc).splitlines()[0]) if str(exc) else type(exc).__name__}; shown as it is",
            err=True,
        )
        sys.stdout.buffer.write(data)
        return
    click.echo(text, nl=False)


@cli.command("git-setup")
@click.option("--force", is_flag=True, help="Replace an existing diff attribute or textconv setting.")
@click.pass_obj
def git_setup_cmd(obj: _Obj, force: bool) -> None:
    """Make plain git diff the corpus clause by clause (.gitattributes + local git config).

    Idempotent; shows what it changed; keeps existing settings unless --force.
    Example: regdocs git-setup
    """
    from regdocs.gitflow.gitsetup import git_setup

    for step in git_setup(obj.config(), force=force):
        detail = (
            f" (existing: {step.detail}; use --force to replace)"
            if step.action == "kept"
            else (f" (was: {step.detail})" if step.detail else "")
        )
        click.echo(f"{step.action:12} {step.what}{detail}")


@cli.group("round")
def round_group() -> None:
    """Record negotiation rounds in regdocs.toml."""


@round_group.command("add")
@click.argument("name")
@click.option(
    "--ref", "ref", default="HEAD", show_default=True, help="Commit, tag or branch holding the round's text."
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
def round_add(obj: _Obj, name: str, ref: str, party: str, label: str, date: str | None, tag: bool) -> None:
    """Append a round to regdocs.toml, pinned to the commit REF resolves to (comments and layout kept).

    Example: regdocs round add round-5 --party "Meridian AI Ltd" --label "Second counter-proposal" --tag
    """
    from regdocs.gitflow.roundadd import add_round

    added = add_round(obj.sources(), name, ref, party, label, date, tag=tag)
    click.echo(
        f"added round {added.name}: commit {added.ref[:10]}, {added.date}, {added.party} \u2014 {added.label}"
        + (f"; tagged {added.name}" if tag else "")
    )


def main() -> None:
    """Run the command line (console script entry point)."""
    cli(prog_name="regdocs")
