"""Record a negotiation round: append it to regdocs.toml (comments and layout kept), optionally tag it."""

from __future__ import annotations

import datetime
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from regdocs.corpus.config import CONFIG_NAME, Round
from regdocs.corpus.sources import Sources, check_ref
from regdocs.errors import ConfigError, RegdocsError, VersionError
from regdocs.safefile import read_text_no_follow, write_atomically

if TYPE_CHECKING:
    from tomlkit import TOMLDocument
    from tomlkit.items import Table

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class AddedRound:
    """A round just recorded in regdocs.toml, and what the user should know about it."""

    round: Round
    """The round as written (its ref is the full commit id)."""
    warnings: tuple[str, ...] = ()
    """One line each, e.g. a date earlier than the previous round's."""


def add_round(
    sources: Sources, name: str, ref: str, party: str, label: str, date: str | None, *, tag: bool = False
) -> AddedRound:
    """Append a round pinned to the commit `ref` resolves to; write regdocs.toml atomically."""
    config = sources.config
    if not _NAME_RE.fullmatch(name) or name.endswith((".", ".lock")) or ".." in name or name == "HEAD":
        raise RegdocsError(
            f"round name {name!r} is not usable",
            hint="use letters, digits, '.', '_' and '-' (no '..'), e.g. round-5",
        )
    if any(r.name == name for r in sources.all_rounds()):
        raise RegdocsError(f"a round named {name!r} already exists", hint="pick another name")
    if sources.is_ref(name):
        raise RegdocsError(
            f"{name!r} is already a git ref; a round of that name would hide it",
            hint="pick a name that is not a branch or tag, e.g. round-5",
        )
    check_ref(ref)
    if sources.has_git() and not sources.is_ref(ref):
        raise VersionError(
            f"--ref {ref!r} does not resolve to a commit in this repository",
            ref=ref,
            hint="give a commit id, tag or branch that exists here (default HEAD), or fetch it first",
        )
    sha = sources.commit_of(Round(name, ref))
    if date:
        try:
            when = datetime.date.fromisoformat(date)
        except ValueError:
            raise RegdocsError(f"--date {date!r} is not a date", hint="write it as YYYY-MM-DD") from None
    else:
        info = sources.commit_info(sha)
        when = datetime.date.fromisoformat(info["date"][:10])
    path = config.root / CONFIG_NAME
    with corpus_lock(config.root):  # concurrent `round add`s queue here and each re-reads the file
        text = read_text_no_follow(path)
        if text is None:
            text = f'title = "{config.title}"\n'
        if name in _names_in(text):
            raise RegdocsError(f"a round named {name!r} already exists", hint="pick another name")
        warnings = _date_warnings(text, name, when)
        added = _append(sources, path, text, name, sha, when, party, label, tag=tag)
    return AddedRound(added, warnings)


def _date_warnings(text: str, name: str, when: datetime.date) -> tuple[str, ...]:
    """Warn when the new round is dated before a round already listed (rounds run oldest first)."""
    import tomllib

    try:
        rounds = tomllib.loads(text).get("rounds", [])
    except (tomllib.TOMLDecodeError, RecursionError):
        return ()
    dated = [
        (day, str(r.get("name")))
        for r in (rounds if isinstance(rounds, list) else [])
        if isinstance(r, dict) and (day := _as_date(r.get("date"))) is not None
    ]
    if not dated or when >= max(dated)[0]:
        return ()
    day, latest = max(dated)
    return (
        f"round {name!r} is dated {when.isoformat()}, before round {latest!r} ({day.isoformat()}); "
        "rounds are read oldest first: check --date",
    )


def _as_date(value: object) -> datetime.date | None:
    """A round's date as written in regdocs.toml (a TOML date, a date-time or an ISO string)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def _append(
    sources: Sources,
    path: Path,
    text: str,
    name: str,
    sha: str,
    when: datetime.date,
    party: str,
    label: str,
    *,
    tag: bool,
) -> Round:
    """Add the round's table to the text of regdocs.toml and write it (under the corpus lock)."""
    import tomlkit

    try:
        doc = tomlkit.parse(text)
    except Exception as exc:  # tomlkit raises several kinds, RecursionError on deep nesting among them
        raise ConfigError(
            f"cannot edit: {str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__}",
            path=str(path),
        ) from None
    table = tomlkit.table()
    table.add("name", name)
    table.add("ref", sha)
    table.add("date", when)
    table.add("party", party)
    table.add("label", label)
    rounds = doc.get("rounds")
    if rounds is None:
        _blank_line_after(doc)
        rounds = tomlkit.aot()
        doc.add("rounds", rounds)
        rounds.append(table)
    elif isinstance(rounds, tomlkit.items.AoT):
        if len(rounds):
            _blank_line_after(rounds[-1])
        rounds.append(table)
        if not tomlkit.dumps(doc).endswith(table.as_string()):  # more tables follow: keep them apart too
            _blank_line_after(table)
    elif isinstance(rounds, tomlkit.items.Array):  # `rounds = [...]` written inline: keep it inline
        inline = tomlkit.inline_table()
        inline.update(table)
        rounds.append(inline)
    else:
        raise ConfigError(
            "'rounds' is neither [[rounds]] tables nor a list",
            path=str(path),
            hint="see the corpus format in the README",
        )
    new_text = tomlkit.dumps(doc)
    if name not in _names_in(new_text):  # never write a file regdocs itself could not read back
        raise ConfigError(
            "could not add the round without breaking the file",
            path=str(path),
            hint="add the round by hand as a [[rounds]] table",
        ) from None
    if tag and name in sources.tag_names():
        raise RegdocsError(f"a tag named {name!r} already exists", hint="drop --tag or pick another name")
    if tag:  # tag first: if git refuses it, regdocs.toml is left as it was
        sources.create_tag(name, sha, f"{label}\n\nParty: {party}\nDate: {when.isoformat()}\n")
    try:
        write_atomically(path, new_text)
    except BaseException:
        if tag:
            sources.delete_tag(name)
        raise
    return Round(name, sha, when.isoformat(), party, label)


def _blank_line_after(container: TOMLDocument | Table) -> None:
    """End a table (or the document) with an empty line, so the next `[[rounds]]` stands apart."""
    import tomlkit

    for _ in range(2):
        text = container.as_string()
        if not text.strip() or text.endswith("\n\n"):
            return
        container.add(tomlkit.nl())


def _names_in(text: str) -> set[str]:
    """Round names in the text of a regdocs.toml (empty when it does not parse: tomlkit reports that)."""
    import tomllib

    try:
        rounds = tomllib.loads(text).get("rounds", [])
    except (tomllib.TOMLDecodeError, RecursionError):
        return set()
    if not isinstance(rounds, list):
        return set()
    return {str(r.get("name")) for r in rounds if isinstance(r, dict)}


@contextmanager
def corpus_lock(root: Path) -> Iterator[None]:
    """Hold an exclusive lock on the corpus folder itself (no lock file is left in the corpus)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
