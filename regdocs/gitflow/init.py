"""Start a corpus: regdocs.toml, a corpus folder with a sample document, a .gitignore for the site."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from regdocs.corpus.config import CONFIG_NAME, site_folder
from regdocs.errors import ProblemsError, RegdocsError
from regdocs.safefile import read_text_no_follow, refuse_symlink

CORPUS_FOLDER = "corpus"
"""Where `regdocs init` puts the documents: a sub-folder, so the site can be built beside it."""
SAMPLE = "sample-rules.md"
"""The sample document's file name."""


@dataclass(frozen=True, slots=True)
class Started:
    """What `regdocs init` did."""

    corpus: Path
    """The new corpus folder."""
    written: tuple[str, ...]
    """Files created, relative to the folder init ran in."""
    kept: tuple[tuple[str, str], ...]
    """Files that were there already and were left alone, each with what to do about it."""
    site: Path
    """Where `regdocs build` will write the site."""


def in_git_repository(folder: Path) -> bool:
    """Return whether `folder` is inside a git working tree."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), "rev-parse", "--is-inside-work-tree"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:  # no git installed: no repository either
        return False
    return done.returncode == 0 and done.stdout.strip() == "true"


def _template(name: str) -> str:
    return files("regdocs").joinpath("templates", "init", name).read_text(encoding="utf-8")


def _toml_string(text: str) -> str:
    import tomlkit

    return str(tomlkit.string(text).as_string())


def init_corpus(folder: Path, title: str | None = None) -> Started:
    """Create regdocs.toml, corpus/regdocs.toml, corpus/sample-rules.md and .gitignore in `folder`.

    Never overwrites anything: an existing regdocs.toml or sample document stops it before it writes
    (every such problem reported at once); an existing .gitignore is left as it is.
    """
    corpus = folder / CORPUS_FOLDER
    name = title if title is not None else (folder.resolve().name or "Rules")
    if not name.strip():
        raise RegdocsError(
            "the title is empty", hint="give --title a few words, e.g. --title 'Security Rules'"
        )
    planned = {
        CONFIG_NAME: _template("pointer.toml"),
        f"{CORPUS_FOLDER}/{CONFIG_NAME}": _template("corpus.toml").replace("@TITLE@", _toml_string(name)),
        f"{CORPUS_FOLDER}/{SAMPLE}": _template(SAMPLE),
    }
    problems: list[RegdocsError] = []
    for rel in (CORPUS_FOLDER, *planned):
        path = folder / rel
        if path.is_symlink() or (path.exists() and (rel == CORPUS_FOLDER) != path.is_dir()):
            problems.append(
                RegdocsError("is in the way", path=rel, hint="move it away, or run init elsewhere")
            )
        elif path.exists() and rel != CORPUS_FOLDER:
            problems.append(
                RegdocsError("already exists; regdocs init overwrites nothing", path=rel, hint="move it away")
            )
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    corpus.mkdir(exist_ok=True)
    written = []
    for rel, text in planned.items():
        _create(folder / rel, text)
        written.append(rel)
    kept: list[tuple[str, str]] = []
    ignore = folder / ".gitignore"
    existing = read_text_no_follow(ignore)  # a symlinked .gitignore is refused here
    if existing is None:
        _create(ignore, _template("gitignore"))
        written.append(".gitignore")
    elif not any(line.strip() in ("/site/", "/site", "site/", "site") for line in existing.splitlines()):
        kept.append((".gitignore", "add the line /site/ to it, so the built site is not committed"))
    return Started(corpus, tuple(written), tuple(kept), site_folder(corpus))


def _create(path: Path, text: str) -> None:
    """Create a new file exclusively (never over a file or through a link); remove it if writing fails."""
    refuse_symlink(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
    except FileExistsError:
        raise RegdocsError(
            "appeared while regdocs init was writing; it was left as it is", path=str(path)
        ) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
