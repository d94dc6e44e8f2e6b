"""Make text from documents, file names and git safe to show: no terminal escapes, no forged lines.

Every text renderer passes what it shows through this module, at its entry (`scrubbed`) or per field
(`one_line`, `visible`); regdocs's own colour codes are added afterwards, so they still work.

Control characters are shown, not dropped: C0 controls and DEL as Unicode control pictures
(ESC -> U+241B `␛`, BEL -> `␇`, DEL -> `␡`), C1 controls (U+0080-U+009F) as `<U+009B>`, the way `less`
shows them. JSON output is never altered in value: raw DEL and C1 characters are written as `\\u` escapes.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection
from enum import Enum
from typing import Any, TypeVar, cast

T = TypeVar("T")

_PICTURE = {c: chr(0x2400 + c) for c in range(0x20)} | {0x7F: "\u2421"}
_PICTURE |= {c: f"<U+{c:04X}>" for c in range(0x80, 0xA0)}
_KEEP_LAYOUT = {c: p for c, p in _PICTURE.items() if c not in (0x09, 0x0A)}
_CONTROL_ALL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_UNSAFE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_SEPARATORS = re.compile(r"[\u2028\u2029]")
_JSON_RAW = re.compile(r"[\x7f-\x9f]")

MULTILINE_FIELDS = frozenset({"text", "message", "preamble"})
"""Fields of the data model that hold several lines (clause text, redline pieces, commit messages);
every other string is shown on one line."""


def visible(text: str) -> str:
    """Replace control characters other than newline and tab with visible stand-ins."""
    return text.translate(_KEEP_LAYOUT) if _CONTROL.search(text) else text


def one_line(text: str) -> str:
    """Collapse every kind of line break to one space, then make other control characters visible."""
    if not _UNSAFE_LINE.search(text):
        return text
    return visible(_BREAKS.sub(" ", text))


def error_line(text: str) -> str:
    """Text for one `regdocs: error:` or `warning:` line: newlines and other control characters shown."""
    text = _SEPARATORS.sub(" ", text)
    return text.translate(_PICTURE) if _CONTROL_ALL.search(text) else text


def json_text(text: str) -> str:
    """Write raw DEL and C1 characters of JSON text as `\\u` escapes; the decoded values are unchanged."""
    if not _JSON_RAW.search(text):
        return text
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def scrubbed(value: T, *, multiline: Collection[str] = MULTILINE_FIELDS) -> T:
    """Return a copy of a model object (dataclasses, tuples, lists, strings) safe to print on a terminal.

    Strings in fields named in `multiline` keep their newlines and tabs; every other string is made one
    line. Objects with nothing to change are returned as they are.
    """
    out: T = _scrub(value, False, frozenset(multiline))
    return out


_ATOM = object()
_TEXT = object()
_SEQUENCE = object()
_SHAPE: dict[type, object] = {int: _ATOM, float: _ATOM, bool: _ATOM, type(None): _ATOM}
"""Per type: _ATOM (nothing to scrub), _TEXT (a str subclass), _SEQUENCE (tuple, list) or a dataclass's
field names. Mappings and other objects are left alone: they are shown through `repr`, which escapes."""


def _shape(kind: type) -> object:
    shape: object = _ATOM
    if issubclass(kind, Enum):
        shape = _ATOM
    elif issubclass(kind, str):
        shape = _TEXT
    elif kind in (tuple, list):
        shape = _SEQUENCE
    elif dataclasses.is_dataclass(kind):
        shape = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    _SHAPE[kind] = shape
    return shape


def _scrub(value: Any, multiline: bool, fields: frozenset[str]) -> Any:
    """Scrub one value; the walk is hot (every clause, reference and redline piece), hence the shortcuts."""
    kind = type(value)
    if kind is str:
        return visible(value) if multiline else one_line(value)
    shape = _SHAPE.get(kind) or _shape(kind)
    if shape is _ATOM:
        return value
    if shape is _TEXT:
        text = str.__str__(value)
        return visible(text) if multiline else one_line(text)
    if shape is _SEQUENCE:
        if not value:
            return value
        items = [_scrub(v, multiline, fields) for v in value]
        if all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return kind(items)
    changed = {}
    for name in cast("tuple[str, ...]", shape):
        old = getattr(value, name)
        if type(old) is str:
            new = visible(old) if name in fields else one_line(old)
        else:
            new = _scrub(old, name in fields, fields)
        if new is not old:
            changed[name] = new
    return dataclasses.replace(value, **changed) if changed else value
