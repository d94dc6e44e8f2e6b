"""Record a negotiation round: append it to regdocs.toml (comments and layout kept), optionally tag it."""

from __future__ import annotations

import datetime
import os
import re
from pathlib import Path

from regdocs.config import CONFIG_NAME, Round
from regdocs.errors import ConfigError, RegdocsError
from regdocs.sources import Sources

_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def add_round(
    sources: Sources, name: str, ref: str, party: str, label: str, date: str | None, *, tag: bool = False
) -> Round:
    """Append a round pinned to the commit `ref` resolves to; write regdocs.toml atomically."""
    import tomlkit

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
    text = path.read_text(encoding="utf-8") if path.exists() else f'title = "{config.title}"\n'
    try:
        doc = tomlkit.parse(text)
    except Exception as exc:
        raise ConfigError(f"cannot edit: {exc}", path=str(path)) from None
    table = tomlkit.table()
    table.add("name", name)
    table.add("ref", sha)
    table.add("date", when)
    table.add("party", party)
    table.add("label", label)
    rounds = doc.get("rounds")
    if rounds is None:
        rounds = tomlkit.aot()
        doc.add("rounds", rounds)
        rounds.append(table)
    elif isinstance(rounds, tomlkit.items.AoT):
        rounds.append(table)
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
    try:  # never write a file regdocs itself could not read back
        import tomllib

        assert any(r.get("name") == name for r in tomllib.loads(new_text).get("rounds", []))
    except Exception:
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
        _write_atomically(path, new_text)
    except BaseException:
        if tag:
            sources.delete_tag(name)
        raise
    return Round(name, sha, when.isoformat(), party, label)


def _reads_back(text: str, name: str) -> bool:
    import tomllib

    try:
        rounds = tomllib.loads(text).get("rounds", [])
    except tomllib.TOMLDecodeError:
        return False
    return isinstance(rounds, list) and any(isinstance(r, dict) and r.get("name") == name for r in rounds)


def _write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
