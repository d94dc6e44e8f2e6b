"""YAML front matter: split it from the body and read it with line-accurate errors."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regdocs.errors import InputError

_BRACKET_RE = re.compile(r"[\[\]{}]")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The metadata block at the top of a document."""

    data: tuple[tuple[str, object], ...]
    """Keys and values in file order."""
    lines: int
    """Lines taken by the block, fences included (0 when absent)."""


def split_front_matter(text: str, path: str) -> tuple[FrontMatter, str]:
    """Return the front matter and the body; body lines keep their numbers via `lines`."""
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        return FrontMatter((), 0), text
    end = -1
    pos = 4
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            end = pos
            break
        if nl < 0:
            break
        pos = nl + 1
    if end < 0:
        raise InputError(
            "front matter opened with '---' is never closed",
            path=path,
            line=1,
            hint="add a closing '---' line after the metadata",
        )
    block = text[4:end]
    _check_size(block, path)
    rest_start = text.find("\n", end)
    body = "" if rest_start < 0 else text[rest_start + 1 :]
    lines = block.count("\n") + 2
    return FrontMatter(_load(block, path), lines), body


MAX_SIZE = 64 * 1024
"""Longest front matter read, in characters: PyYAML is pure Python, and metadata is short."""
MAX_DEPTH = 20
"""Deepest `[`/`{` nesting read: PyYAML takes seconds on a few thousand open brackets (3 KB of `[`: 11.5 s)."""


def _check_size(block: str, path: str) -> None:
    """Refuse front matter too long or too deeply bracketed before PyYAML sees it (a linear scan)."""
    if len(block) > MAX_SIZE:
        raise InputError(
            f"front matter is too long ({len(block) // 1024} KB; at most {MAX_SIZE // 1024} KB)",
            path=path,
            line=1,
            hint="keep only short metadata between the '---' lines and move long text into the document",
        )
    if "[" not in block and "{" not in block:
        return
    depth = 0
    for m in _BRACKET_RE.finditer(block):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(
                    f"invalid YAML front matter: nested more than {MAX_DEPTH} levels deep ('[' or '{{')",
                    path=path,
                    line=2 + block.count("\n", 0, m.start()),
                    hint="flatten the metadata (brackets inside quoted values count too)",
                )
        elif depth:
            depth -= 1


def _load(block: str, path: str) -> tuple[tuple[str, object], ...]:
    import yaml  # deferred: only documents with front matter need it

    def fail(problem: str, line: int, hint: str) -> InputError:
        return InputError(f"invalid YAML front matter: {problem}", path=path, line=line, hint=hint)

    try:
        for event in yaml.parse(block, Loader=yaml.SafeLoader) if "*" in block else ():
            if isinstance(event, yaml.AliasEvent):
                # aliases let 400 bytes expand to gigabytes ("billion laughs"): metadata never needs them
                raise fail(
                    "aliases (*name) are not allowed",
                    2 + (event.start_mark.line if event.start_mark else 0),
                    "write the value out instead of referring to an anchor",
                )
        data = yaml.safe_load(block)
    except InputError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = 2 + mark.line if mark is not None else 1
        problem = getattr(exc, "problem", None) or "cannot be read"
        raise fail(
            problem, line, "fix the YAML between the '---' lines (quote values that contain ':' or '#')"
        ) from None
    except RecursionError:
        raise fail("nested too deeply", 2, "flatten the metadata") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. `date: 2026-02-30` fails in the constructor
        raise fail(
            str(exc) or type(exc).__name__, 2, "quote the value or correct it (dates as YYYY-MM-DD)"
        ) from None
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise InputError(
            "front matter must be a mapping of keys to values",
            path=path,
            line=2,
            hint="write 'key: value' lines between the '---' fences",
        )
    return tuple((str(k), _plain(v)) for k, v in data.items())


def _plain(value: object) -> object:
    """Make YAML values JSON-friendly (dates become ISO strings)."""
    import datetime

    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value
