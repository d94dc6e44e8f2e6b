"""Command line: parse options, call one library function per command, print, map errors to exit codes."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from regdocs import __version__
from regdocs.errors import ProblemsError, RegdocsError
from regdocs.gcpause import gc_paused
from regdocs.render.sanitize import error_line

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

    from regdocs.corpus.config import CorpusConfig
    from regdocs.corpus.sources import Sources, Version
    from regdocs.parse.model import Corpus
    from regdocs.publish.progress import Stage


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


_COLLECTING = frozenset(("serve", "build"))
"""Commands that keep the cyclic garbage collector running."""


class _Group(click.Group):
    """Turn library errors into one line each on stderr and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            # a one-shot command builds large acyclic trees (documents, diffs) and exits: the cyclic
            # collector would only rescan them (1.3 s of a 4 s diff of 30,000 clauses); `serve` runs on
            # and `build` renders templates, whose frames do make cycles
            pause = gc_paused() if ctx.invoked_subcommand not in _COLLECTING else nullcontext()
            with pause:
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

    def sources(self, *, implicit: bool = False) -> Sources:
        """The corpus's reader; with `implicit` (diff, outline, show, lint), no regdocs.toml means this folder."""
        from regdocs.corpus.config import find_config
        from regdocs.corpus.sources import Sources

        if self._sources is None:
            self._sources = Sources(find_config(self.corpus_option, implicit=implicit))
        return self._sources

    def close(self) -> None:
        if self._sources is not None:
            self._sources.close()


def _load(obj: _Obj, spec: str | None) -> tuple[Version, Corpus]:
    from regdocs.corpus.load import load_corpus

    sources = obj.sources(implicit=True)  # outline, show and lint read a folder or file with no regdocs.toml
    version = sources.resolve(spec)
    corpus = load_corpus(sources, version)
    for warning in corpus.warnings:
        click.echo(f"regdocs: warning: {error_line(warning)}", err=True)
    return version, corpus


# -- shell completion: read the corpus quietly; on any error offer nothing, never a traceback -----------


def _completions(
    find: Callable[[click.Context, _Obj], Iterable[str]],
) -> Callable[[click.Context, click.Parameter, str], list[CompletionItem]]:
    """A `shell_complete` callback offering the names `find` gives that start with what was typed."""

    def complete(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        obj = _Obj(ctx.find_root().params.get("corpus"))
        try:
            lead, typed = _range_lead(incomplete) if param.name == "spec" else ("", incomplete)
            names = sorted({n for n in find(ctx, obj) if n.startswith(typed)})
            return [CompletionItem(lead + n) for n in names]
        except Exception:  # a shell's Tab must never print a traceback
            return []
        finally:
            with suppress(Exception):
                obj.close()

    return complete


def _range_lead(incomplete: str) -> tuple[str, str]:
    """Split `main..fea` into the finished `main..` and the ref being typed, `fea`."""
    at = incomplete.find("..")
    if at < 0:
        return "", incomplete
    end = at + (3 if incomplete[at : at + 3] == "..." else 2)
    return incomplete[:end], incomplete[end:]


def _refs(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    sources = obj.sources()
    return {"HEAD", *sources.ref_names()} if sources.has_git() else set()


def _versions(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    return {r.name for r in obj.sources().all_rounds()} | set(_refs(ctx, obj))


def _typed(ctx: click.Context) -> tuple[str, ...]:
    return tuple(ctx.params.get("args") or ())


def _corpus_at(obj: _Obj, spec: str | None) -> Corpus:
    from regdocs.corpus.load import load_corpus

    sources = obj.sources()
    return load_corpus(sources, sources.resolve(spec))


def _doc_ids(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    return {d.id for d in _corpus_at(obj, None).documents}


def _clause_ids(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    spec = _typed(ctx)[0] if len(_typed(ctx)) == 1 else None  # `show VERSION <Tab>`: that version's clauses
    corpus = _corpus_at(obj, spec)
    key = ctx.params.get("doc_key") or ctx.params.get("doc")
    docs = corpus.documents if not key else [d for d in (corpus.document(key),) if d is not None]
    return {c.id for d in docs for c in d.walk()}


def _version_or_doc(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    """`outline [VERSION] [DOC]`: a version or a document first, then a document."""
    return set(_doc_ids(ctx, obj)) | (set() if _typed(ctx) else set(_versions(ctx, obj)))


def _version_or_clause(ctx: click.Context, obj: _Obj) -> Iterable[str]:
    """`show [VERSION] CLAUSE`: a version or a clause first, then a clause."""
    return set(_clause_ids(ctx, obj)) | (set() if _typed(ctx) else set(_versions(ctx, obj)))


def _folders(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(incomplete, type="dir")]  # the shell lists the folders


COMPLETE_VERSION = _completions(_versions)
COMPLETE_REF = _completions(_refs)
COMPLETE_DOC = _completions(_doc_ids)
COMPLETE_CLAUSE = _completions(_clause_ids)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--corpus",
    "corpus",
    metavar="DIR",
    shell_complete=_folders,
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
@click.argument("args", nargs=-1, metavar="[VERSION] [DOC]", shell_complete=_completions(_version_or_doc))
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
            obj.sources(implicit=True).resolve(spec)
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


_DOC_KEY = click.option(
    "--doc",
    "doc_key",
    metavar="DOC",
    shell_complete=COMPLETE_DOC,
    help="Look only in this document (id or path).",
)


@cli.command()
@click.argument(
    "args",
    nargs=-1,
    required=True,
    metavar="[VERSION] CLAUSE",
    shell_complete=_completions(_version_or_clause),
)
@_DOC_KEY
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
    "--at",
    "at",
    metavar="VERSION",
    shell_complete=COMPLETE_VERSION,
    help="Lint the corpus as it is at VERSION instead of the working tree.",
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

    root = obj.sources(implicit=True).config.root
    if obj.sources().config.implicit and at is None and paths:
        # no corpus: each file or folder named is read on its own, wherever it is (like `outline FILE`)
        problems, files, shown = [], 0, {}
        for given in paths:
            version, corpus = _load(obj, given)
            found = lint_corpus(corpus, None)
            base = Path(version.folder) if version.folder else root
            problems += found
            files += len(corpus.documents)
            shown.update({p.path: _from_here(base / p.path) for p in found})
    else:
        version, corpus = _load(obj, at)
        only = _select(root, paths, corpus, skip_other_files) if paths else None
        problems = lint_corpus(corpus, only)
        files = len(only) if only is not None else len(corpus.documents)
        base = Path(version.folder) if version.folder else root  # a folder version's files are there
        shown = {p.path: _from_here(base / p.path) for p in problems}
    out = lint_json(problems, files, shown) if fmt == "json" else lint_text(problems, files, shown)
    click.echo(out, nl=False)
    failing = [p for p in problems if p.severity is Severity.ERROR or strict]
    if failing:
        sys.exit(1)


def _from_here(path: Path) -> str:
    """A file's path relative to the current folder when it is inside it, else absolute: what editors open."""
    full = path.resolve()
    try:
        return full.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return str(full)


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
@click.argument("versions", nargs=-1, metavar="[A [B]]", shell_complete=COMPLETE_VERSION)
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
    Versions are rounds, git refs or folders; two files are compared as one document (no regdocs.toml needed).
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
    result = select(compare(obj.sources(implicit=True), old_spec, new_spec, clause, doc), doc)
    wanted = set(only) or None
    to_tty = output is None and sys.stdout.isatty()
    paint = color == "always" or (color == "auto" and to_tty and not os.environ.get("NO_COLOR"))
    _keep_until_exit(result)
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
        return render_stat(result, only=only)
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
    config = obj.sources().config
    root = config.root.resolve()
    if not config.implicit and (target == root or root in target.parents):  # no corpus: any folder will do
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
@click.argument("clause", metavar="CLAUSE", shell_complete=COMPLETE_CLAUSE)
@_DOC_KEY
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
    width = min(shutil.get_terminal_size().columns, 100) if sys.stdout.isatty() else 100
    click.echo(
        history_json(steps) if fmt == "json" else history_text(steps, color=paint, width=width),
        nl=False,
        color=True,
    )


_OUT_HELP = "Folder to write the site into (default: site/ beside the corpus folder, outside it)."


def _out(obj: _Obj, out: str | None) -> str:
    """The --out folder, or the default one: beside the corpus, so it works from any folder."""
    from regdocs.corpus.config import shown_path, site_folder

    return out if out is not None else shown_path(site_folder(obj.sources().config.root))


@cli.command()
@click.option("--out", "out", default=None, metavar="DIR", help=_OUT_HELP)
@click.option(
    "--base-url",
    "base_url",
    default="",
    metavar="URL",
    help="Public address of the site, for canonical links and copied permalinks.",
)
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed.")
@click.pass_obj
def build(obj: _Obj, out: str | None, base_url: str, force: bool) -> None:
    """Build the static site: every round, permalinks, redlines, clause histories, glossary, search.

    The site is written to a temporary folder and swapped in; an unchanged corpus is not rebuilt.
    Examples: regdocs build; regdocs build --out public --base-url https://rules.example.org/
    """
    result = _build(obj, _out(obj, out), base_url, force)  # the summary comes after the swap
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
    if not sys.stderr.isatty():  # a log or a pipe gets the summary line only
        return build_site(obj.sources(), Path(out), base_url, force=force)
    status = _BuildStatus(sys.stderr)
    try:
        return build_site(obj.sources(), Path(out), base_url, force=force, progress=status)
    finally:
        status.close()  # an error message must not land on the end of a half-drawn line


_STAGE_UNITS = {"parse": "versions", "compare": "comparisons", "pages": "pages", "search index": "pages"}
"""What each stage of a build counts, as the progress display names it."""


class _BuildStatus:
    """A build's progress on a terminal: one line per stage, redrawn in place, kept with its time when done."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.stage: Stage | None = None
        self.started = self.drawn = 0.0
        self.finished = False
        self.open = False  # a line is on screen without its newline

    def __call__(self, stage: Stage, done: int, total: int) -> None:
        now = time.monotonic()
        if stage is not self.stage:
            self.close()
            if self.stage is None:
                self.stream.write("Building site\n")
            self.stage, self.started, self.drawn, self.finished = stage, now, 0.0, False
        elif self.finished or (done < total and now - self.drawn < 0.1):
            return  # at most ten redraws a second
        self.drawn, self.finished = now, done >= total
        line = f"  {stage.value:<13}{f'{done}/{total}':>13} {_STAGE_UNITS.get(stage.value, '')}"
        took = f"  {now - self.started:.1f} s" if self.finished else ""
        self.stream.write(f"\r{line}{took}\x1b[K")
        self.open = True
        if self.finished:
            self.close()
        self.stream.flush()

    def close(self) -> None:
        """End the line being drawn."""
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False


@cli.command()
@click.option(
    "--port",
    "port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1.",
)
@click.option("--out", "out", default=None, metavar="DIR", help=_OUT_HELP)
@click.pass_obj
def serve(obj: _Obj, port: int, out: str | None) -> None:
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


@cli.command()
@click.argument("spec", metavar="BASE..HEAD", shell_complete=COMPLETE_VERSION)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "github"]),
    default="markdown",
    show_default=True,
    help="Markdown for a pull-request comment, JSON, or GitHub Actions annotations (::error file=…,line=…::).",
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
@click.option("-o", "--output", "output", metavar="FILE", help="Write to FILE instead of standard output.")
@click.pass_obj
def review(
    obj: _Obj, spec: str, fmt: str, fail_on: str | None, limit: int, full_hint: str, output: str | None
) -> None:
    """Review a change to the rules: verdict, counts, findings, lint of HEAD, collapsible redlines.

    BASE..HEAD compares the two; BASE...HEAD compares HEAD with its merge base with BASE (as a
    pull request does). Examples: regdocs review main..feature; regdocs review round-1..round-2 --format json;
    regdocs review origin/main...HEAD --format github --fail-on high
    """
    from regdocs.gitflow.review import fails
    from regdocs.gitflow.review import review as run_review
    from regdocs.render.review import render_review, render_review_github, render_review_json

    result = run_review(obj.sources(), spec)
    if fmt == "json":
        text = render_review_json(result)
    elif fmt == "github":
        text = render_review_github(result)
    else:
        text = render_review(result, limit=limit, full_hint=full_hint)
    _emit(text, output, obj)
    if fail_on and fails(result, fail_on):
        sys.exit(1)


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
    _print_setup(obj.config(), force=force)


def _print_setup(config: CorpusConfig, *, force: bool) -> None:
    from regdocs.gitflow.gitsetup import git_setup

    for step in git_setup(config, force=force):
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
def round_add(obj: _Obj, name: str, ref: str, party: str, label: str, date: str | None, tag: bool) -> None:
    """Append a round to regdocs.toml, pinned to the commit REF resolves to (comments and layout kept).

    Example: regdocs round add round-5 --party "Meridian AI Ltd" --label "Second counter-proposal" --tag
    """
    from regdocs.gitflow.roundadd import add_round

    result = add_round(obj.sources(), name, ref, party, label, date, tag=tag)
    added = result.round
    for warning in result.warnings:
        click.echo(f"regdocs: warning: {error_line(warning)}", err=True)
    click.echo(
        error_line(
            f"added round {added.name}: commit {added.ref[:10]}, {added.date}, {added.party} \u2014 {added.label}"
        )
        + (f"; tagged {added.name}" if tag else "")
    )
    toml = shlex.quote(_from_here(obj.sources().config.root / "regdocs.toml"))
    push = f"; push the tag too (tags do not travel with a push): git push origin {added.name}" if tag else ""
    click.echo(f'hint: commit {toml}: git add {toml} && git commit -m "Record round {added.name}"{push}')


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
def init(obj: _Obj, title: str | None, setup: bool | None) -> None:
    """Start a corpus in this folder: regdocs.toml, corpus/ with a sample document, a .gitignore for the site.

    Overwrites nothing. Example: regdocs init --title "Security Rules"
    """
    from regdocs.corpus.config import load_config, shown_path
    from regdocs.gitflow.init import SAMPLE, in_git_repository, init_corpus

    if obj.corpus_option:
        raise click.UsageError("init starts a corpus in the current folder; run it there without --corpus")
    here = Path.cwd()
    in_git = in_git_repository(here)
    if setup and not in_git:
        raise RegdocsError("--git-setup needs a git repository", hint="run 'git init' first")
    started = init_corpus(here, title)
    for rel in started.written:
        click.echo(f"created      {rel}")
    for rel, todo in started.kept:
        click.echo(f"kept         {rel} ({todo})")
    if setup is None and in_git and sys.stdin.isatty() and sys.stdout.isatty():
        setup = click.confirm("Make plain 'git diff' show the documents clause by clause (git-setup)?", True)
    if setup:
        _print_setup(load_config(started.corpus), force=False)
    first = "" if in_git else "git init (rounds are commits), "
    click.echo(
        f"next: {first}edit or replace {shown_path(started.corpus)}/{SAMPLE}, commit, and record the round: "
        "regdocs round add round-1 --party WHO --label WHAT"
    )
    click.echo(f"      'regdocs build' will write the site into {shown_path(started.site)}/")


_KEPT: list[object] = []
"""What the process ends with, when it ends by `main`: freeing 30,000 changes one by one takes 0.1 s."""
_FAST_EXIT = False


def _keep_until_exit(value: object) -> None:
    """Leave `value` for the operating system to free at exit (only under `main`, not in tests)."""
    if _FAST_EXIT:
        _KEPT.append(value)


def main() -> None:
    """Run the command line (console script entry point).

    The process ends without tearing down its objects one by one: after a diff of 30,000 clauses that
    takes 0.3 s and frees nothing the operating system would not. Output is flushed first.
    """
    global _FAST_EXIT
    _FAST_EXIT = True
    try:
        cli(prog_name="regdocs")
        code = 0
    except SystemExit as exc:
        if exc.code is not None and not isinstance(exc.code, int):
            raise
        code = exc.code or 0
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        code = code or 141
    except (OSError, ValueError) as exc:
        with suppress(OSError, ValueError):
            sys.stderr.write(f"regdocs: error: {error_line(f'writing the output: {exc}')}\n")
        code = code or 2
    with suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(code)
