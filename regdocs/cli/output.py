"""Where the command line's output goes: standard output, a pager or -o FILE; warnings; colour and width."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import click

from regdocs.errors import RegdocsError
from regdocs.render.sanitize import error_line

if TYPE_CHECKING:
    from regdocs.cli.state import Session


def warn(message: str) -> None:
    """Print one `regdocs: warning:` line on standard error."""
    click.echo(f"regdocs: warning: {error_line(message)}", err=True)


def wants_color(color: str, to_tty: bool) -> bool:
    """Resolve --color: `always`, `never`, or `auto` (on a terminal, unless NO_COLOR is set)."""
    return color == "always" or (color == "auto" and to_tty and not os.environ.get("NO_COLOR"))


def text_width(to_tty: bool, most: int = 100) -> int:
    """The width to wrap text at: the terminal's, up to `most`; `most` when not on a terminal."""
    return min(shutil.get_terminal_size().columns, most) if to_tty else most


def from_here(path: Path) -> str:
    """A file's path relative to the current folder when it is inside it, else absolute: what editors open."""
    full = path.resolve()
    try:
        return full.relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):  # elsewhere, or the current folder is gone
        return str(full)


def check_reader() -> None:
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


def emit(
    text: str | bytes | Iterable[str], output: str | None, session: Session, *, page: bool = False
) -> None:
    """Print, page, or write atomically to -o FILE (never into the corpus); `text` may come in pieces.

    Bytes (a binary format) go to -o FILE only.
    """
    if isinstance(text, bytes):
        _write_output(text, require_file(output, "this output"), session)
        return
    if not isinstance(text, str):
        _emit_pieces(text, output, session)
        return
    if output is None:
        if page and text.count("\n") > shutil.get_terminal_size().lines:
            os.environ.setdefault("LESS", "FRX")  # as git does: colours, quit if one screen, keep the screen
            click.echo_via_pager(text, color=True)
        else:
            click.echo(text, nl=False, color=True)  # escape codes are only there when colour was asked for
        return
    _write_output([text], output, session)


def _emit_pieces(pieces: Iterable[str], output: str | None, session: Session) -> None:
    batched = _batches(pieces)
    if output is None:
        for batch in batched:
            click.echo(batch, nl=False)
        return
    _write_output(batched, output, session)


def _batches(pieces: Iterable[str], count: int = 50_000) -> Iterator[str]:
    """Join small pieces into large writes (JSON's encoder yields a piece per token)."""
    from itertools import islice

    it = iter(pieces)
    while block := "".join(islice(it, count)):
        yield block


def require_file(output: str | None, what: str) -> str:
    """-o FILE, given for a binary format (`what`); without it, the error that says so (exit 2)."""
    if output is None:
        raise RegdocsError(
            f"{what} is binary and is not written to standard output",
            hint="give -o FILE (-o /dev/stdout to pipe it)",
        )
    return output


def _write_output(pieces: bytes | Iterable[str], output: str, session: Session) -> None:
    """Write to -o FILE atomically (an exclusive temporary file renamed over it), or into a fifo or device."""
    from regdocs.safefile import is_stream, write_atomically, write_through

    given = Path(output)
    target = given.resolve()
    config = session.sources().config
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
