"""Write files safely: an exclusive temporary file beside the target, never through a symlink, nothing left behind."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from regdocs.errors import RegdocsError

TEMP_SUFFIX = ".regdocs-tmp"
"""Every temporary file regdocs makes ends with this (and starts with a dot)."""


def refuse_symlink(path: Path, what: str = "write") -> None:
    """Raise when `path` is a symbolic link: a committed link could point at ~/.bashrc or a private key."""
    if path.is_symlink():
        raise RegdocsError(
            f"refusing to {what} through a symbolic link",
            path=str(path),
            hint="replace the link with a regular file (or remove it) and run the command again",
        )


def read_text_no_follow(path: Path) -> str | None:
    """The text of a regular file, None when it does not exist; refuse a symlink or anything else."""
    refuse_symlink(path, "read")
    try:  # O_NONBLOCK: a fifo planted at the path must not hang us before fstat can refuse it
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise RegdocsError("is not a regular file", path=str(path), hint="remove it or give another path")
        data = fh.read()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise RegdocsError("is not UTF-8 text", path=str(path), hint="save it as UTF-8") from None


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus the umask."""
    try:
        return stat.S_IMODE(path.lstat().st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def write_atomically(path: Path, data: str | bytes | Iterable[str]) -> None:
    """Replace `path` with `data` (text as UTF-8 with `\\n` line ends, bytes as they are): write an exclusive
    temporary file, fsync, rename.

    Refuses a symlink at `path`; on any failure (a full disk, an interrupt) the temporary file is removed
    and `path` is left as it was.
    """
    refuse_symlink(path)
    folder = path.parent
    if not folder.is_dir():
        raise RegdocsError("folder does not exist", path=str(path), hint="create the folder first")
    if path.exists() and not path.is_file():
        raise RegdocsError("is not a regular file", path=str(path), hint="give a file name")
    mode = _mode_for(path)
    fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    tmp = Path(name)
    try:
        with _writer(fd, data) as fh:
            if isinstance(data, str | bytes):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        refuse_symlink(path)  # checked again: the link could have appeared while we wrote
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_through(path: Path, data: bytes | Iterable[str]) -> None:
    """Write into an existing fifo or character device (`-o /dev/stdout`): no file is created or replaced."""
    fd = os.open(path, os.O_WRONLY)
    with _writer(fd, data) as fh:
        if stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise RegdocsError(
                "refusing to write through a symbolic link", path=str(path), hint="give the file itself"
            )
        if isinstance(data, bytes):
            fh.write(data)
        else:
            fh.writelines(data)


def _writer(fd: int, data: str | bytes | Iterable[str]) -> IO[Any]:
    """The open file descriptor as a binary file for bytes, else as UTF-8 text with `\\n` line ends."""
    if isinstance(data, bytes):
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline="\n")


def is_stream(path: Path) -> bool:
    """True for an existing fifo, character device or socket (followed through links such as /dev/stdout)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode)
