"""JSON: the diff model serialised (schema 1)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from enum import Enum
from typing import Any

from regdocs.compare.model import SCHEMA, ClauseChange, CorpusDiff
from regdocs.compare.redline import Segment
from regdocs.render.sanitize import json_text

_FIELDS: dict[type, tuple[str, ...]] = {}
"""Field names per dataclass, looked up once (`dataclasses.fields` is slow in a walk of 100,000 records)."""


def _field_names(kind: type) -> tuple[str, ...] | None:
    names = _FIELDS.get(kind)
    if names is None:
        if not dataclasses.is_dataclass(kind):
            return None
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind))
    return names


def plain_data(value: Any) -> Any:
    """The diff model as JSON-ready lists and dicts (enums as their values, segments as pairs)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Segment):
        return [value.op.value, value.text]
    if isinstance(value, tuple | list):
        return [plain_data(v) for v in value]
    names = None if isinstance(value, type) else _field_names(type(value))
    if names is not None:
        out = {name: plain_data(getattr(value, name)) for name in names}
        if isinstance(value, ClauseChange):
            out["key"] = value.key
        return out
    return value


def render_json(diff: CorpusDiff) -> str:
    """Serialise a corpus diff; see the README for the layout."""
    return "".join(render_json_chunks(diff))


def render_json_chunks(diff: CorpusDiff) -> Iterator[str]:
    """The same JSON in pieces: one line per finding and per change, each encoded by json's C encoder.

    A huge diff is then written quickly and without first being held as one string. Raw DEL and C1
    characters, which json leaves as they are, are written as `\\u` escapes (same values, terminal-safe).
    """
    for piece in _chunks(diff):
        yield json_text(piece)


def _chunks(diff: CorpusDiff) -> Iterator[str]:
    data = {"schema": SCHEMA, **plain_data(diff), "has_changes": diff.has_changes}
    dump = json.JSONEncoder(ensure_ascii=False).encode
    documents = data.pop("documents")
    findings = data.pop("findings")
    yield "{\n" + "".join(f"  {dump(k)}: {dump(v)},\n" for k, v in data.items())
    yield (
        '  "findings": ['
        + ",".join(f"\n    {dump(f)}" for f in findings)
        + ("\n  ],\n" if findings else "],\n")
    )
    yield '  "documents": ['
    for n, doc in enumerate(documents):
        changes = doc.pop("changes")
        head = ", ".join(f"{dump(k)}: {dump(v)}" for k, v in doc.items())
        yield ("," if n else "") + f'\n    {{{head}, "changes": ['
        for m, change in enumerate(changes):
            yield ("," if m else "") + "\n      " + dump(change)
        yield ("\n    ]}" if changes else "]}")
    yield ("\n  ]\n}\n" if documents else "]\n}\n")
