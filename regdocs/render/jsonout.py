"""JSON: the diff model serialised (schema 1)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from enum import Enum
from operator import attrgetter
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
        return _change_fields(value, out) if isinstance(value, ClauseChange) else out
    return value


def _change_fields(change: ClauseChange, out: dict[str, Any]) -> dict[str, Any]:
    """A change's fields as JSON has them: `method` `""` for a clause added or removed, then its `key`."""
    if change.method is None:
        out["method"] = ""
    out["key"] = change.key
    return out


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


def _shallow(value: Any) -> Any:
    """One level of `plain_data`, as the encoder's `default`: json's C encoder walks the rest itself."""
    convert = _CONVERTERS.get(type(value))
    if convert is None:
        convert = _CONVERTERS[type(value)] = _converter(type(value))
    return convert(value)


_CONVERTERS: dict[type, Callable[[Any], Any]] = {}
"""Per type of the diff model, its one-level conversion (30,000 changes: one dictionary look-up each)."""


def _converter(kind: type) -> Callable[[Any], Any]:
    if issubclass(kind, Enum):
        return attrgetter("value")
    if kind is Segment:
        return lambda s: [s.op.value, s.text]
    names = _field_names(kind)
    if names is None or not names:
        raise TypeError(f"{kind.__name__} is not part of the diff model")
    get = attrgetter(*names) if len(names) > 1 else (lambda v, n=names[0]: (getattr(v, n),))
    if issubclass(kind, ClauseChange):
        return lambda v: _change_fields(v, dict(zip(names, get(v), strict=True)))
    return lambda v: dict(zip(names, get(v), strict=True))


def _encoder() -> Callable[[Any], str]:
    """`JSONEncoder(ensure_ascii=False, default=_shallow).encode`, without its set-up on every call.

    `encode` builds a new C encoder each time: 10 µs that are a third of the time of 30,000 small changes.
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, default=_shallow).encode
    encode = make(None, _shallow, json.encoder.encode_basestring, None, ": ", ", ", False, False, True)
    return lambda value: "".join(encode(value, 0))


def _chunks(diff: CorpusDiff) -> Iterator[str]:
    data = {"schema": SCHEMA, **_shallow(diff), "has_changes": diff.has_changes}
    dump = _encoder()
    documents = data.pop("documents")
    findings = data.pop("findings")
    yield "{\n" + "".join(f"  {dump(k)}: {dump(v)},\n" for k, v in data.items())
    yield (
        '  "findings": ['
        + ",".join(f"\n    {dump(f)}" for f in findings)
        + ("\n  ],\n" if findings else "],\n")
    )
    yield '  "documents": ['
    for n, document in enumerate(documents):
        doc = _shallow(document)
        changes = doc.pop("changes")
        head = ", ".join(f"{dump(k)}: {dump(v)}" for k, v in doc.items())
        yield ("," if n else "") + f'\n    {{{head}, "changes": ['
        for m, change in enumerate(changes):
            yield ("," if m else "") + "\n      " + dump(change)
        yield ("\n    ]}" if changes else "]}")
    yield ("\n  ]\n}\n" if documents else "]\n}\n")
