"""JSON: the diff model serialised (schema 1)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from enum import Enum
from typing import Any

from regdocs.diffmodel import SCHEMA, ClauseChange, CorpusDiff
from regdocs.redline import Segment


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Segment):
        return [value.op.value, value.text]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        if isinstance(value, ClauseChange):
            out["key"] = value.key
        return out
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def render_json(diff: CorpusDiff) -> str:
    """Serialise a corpus diff; see the README for the layout."""
    return "".join(render_json_chunks(diff))


def render_json_chunks(diff: CorpusDiff) -> Iterator[str]:
    """The same JSON in pieces, so that a huge diff is written without first being held as one string."""
    data = {"schema": SCHEMA, **_plain(diff), "has_changes": diff.has_changes}
    yield from json.JSONEncoder(indent=2, ensure_ascii=False).iterencode(data)
    yield "\n"
