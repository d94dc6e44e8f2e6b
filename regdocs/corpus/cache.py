"""A cache of parsed documents on disk, shared by every run: a file unchanged since the last run is not parsed again.

Entries are keyed by the file's git blob id, its path and the parser's own code (its source files hashed),
so a new regdocs never reads an old entry. They are zlib-compressed JSON: reading one cannot run code (no
pickle), and the decoder builds only the parse model's own classes. Each entry is written to an exclusive
temporary file and renamed into place, so two processes writing at once leave one whole entry; an entry
that does not decode is a miss. The folder is kept under a size bound, oldest entries going first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import enum
import hashlib
import json
import os
import tempfile
import typing
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import regdocs
from regdocs.parse import model

MAX_BYTES = 256 * 1024 * 1024
"""Default size bound of the cache folder."""
_MAX_ENTRY = 64 * 1024 * 1024
"""Largest entry read back (a larger file is not one of ours)."""
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (model.Number, model.CrossRef, model.DefinedTerm, model.Clause, model.Document)
}
"""The only classes an entry may build."""
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _CLASSES.items()}


def default_folder() -> Path:
    """`$XDG_CACHE_HOME/regdocs`, else `~/.cache/regdocs`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "regdocs"


class DocumentStore:
    """Parsed documents on disk, by blob id and path."""

    def __init__(self, folder: Path, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self._trimmed = False

    def get(self, blob: str, path: str) -> model.Document | None:
        """The document parsed from this blob at this path, or None (never an error)."""
        entry = self._entry(blob, path)
        try:
            fd = os.open(entry, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return None
        try:
            with os.fdopen(fd, "rb") as f:
                data = f.read(_MAX_ENTRY + 1)
            if len(data) > _MAX_ENTRY:
                return None
            doc = json.loads(zlib.decompress(data), object_hook=_decode)
        except (OSError, ValueError, TypeError, KeyError, zlib.error, RecursionError):
            return None
        if not isinstance(doc, model.Document) or doc.path != path:
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # recently used: trimmed last
        return doc

    def put(self, blob: str, path: str, doc: model.Document) -> None:
        """Store a parsed document; any failure (full disk, read-only home) is ignored: it is only a cache."""
        try:
            if doc.metadata and _round_trip(doc.metadata) != doc.metadata:
                return  # front matter JSON cannot hold exactly (a number as a key, say): parse it next time
            data = zlib.compress(json.dumps(doc, default=_encode, ensure_ascii=False).encode(), 1)
        except (TypeError, ValueError, RecursionError):
            return
        entry = self._entry(blob, path)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the user's own: drafts are private
            entry.parent.mkdir(mode=0o700, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=entry.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                os.replace(tmp, entry)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
        if not self._trimmed:
            self._trimmed = True
            self.trim()

    def trim(self) -> None:
        """Delete the least recently used entries while the folder is over its bound (down to 3/4 of it)."""
        entries: list[tuple[float, int, Path]] = []
        try:
            for sub in self.folder.glob("*/*"):
                st = sub.lstat()
                entries.append((st.st_mtime, st.st_size, sub))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        if total <= self.max_bytes:
            return
        for _, size, path in sorted(entries):
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size
            if total <= self.max_bytes * 3 // 4:
                break

    def _entry(self, blob: str, path: str) -> Path:
        key = hashlib.sha256(f"{_code_version()}\0{blob}\0{path}".encode()).hexdigest()
        return self.folder / key[:2] / key[2:]


def encode_documents(docs: list[tuple[str, model.Document]]) -> bytes:
    """`(key, document)` pairs as the cache's JSON, leaving out documents whose front matter JSON cannot hold."""
    kept = [(k, d) for k, d in docs if not d.metadata or _round_trip(d.metadata) == d.metadata]
    return json.dumps(kept, default=_encode, ensure_ascii=False).encode()


def decode_documents(data: bytes) -> list[tuple[str, model.Document]]:
    """Read back what `encode_documents` wrote (ValueError, TypeError or KeyError when it is not that)."""
    pairs = json.loads(data, object_hook=_decode)
    out = [(k, d) for k, d in pairs if isinstance(k, str) and isinstance(d, model.Document)]
    if len(out) != len(pairs):
        raise ValueError("not a list of documents")
    return out


@cache
def _code_version() -> str:
    """regdocs's version, the parser's source and the libraries it reads with: an entry never outlives them."""
    from importlib.util import find_spec

    h = hashlib.sha256(regdocs.__version__.encode())
    for package in ("markdown_it", "yaml"):  # their `__init__.py` holds their version: read, not imported
        spec = find_spec(package)
        if spec is not None and spec.origin:
            h.update(package.encode() + b"\0" + Path(spec.origin).read_bytes())
    parse_dir = Path(model.__file__).parent
    for source in sorted(parse_dir.glob("*.py")):
        h.update(source.name.encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:16]


def _round_trip(metadata: tuple[tuple[str, object], ...]) -> object:
    pairs = json.loads(json.dumps(metadata, default=_encode), object_hook=_decode)
    return tuple((k, v) for k, v in pairs)


def _encode(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value  # the field's type says which enum (see `_decoders`)
    if isinstance(value, datetime.datetime | datetime.date):  # front-matter dates, as YAML reads them
        kind = "datetime" if isinstance(value, datetime.datetime) else "date"
        return {"@" + kind: value.isoformat()}
    name = type(value).__name__
    if _CLASSES.get(name) is type(value):
        return {"@": name, "f": [getattr(value, field) for field in _FIELDS[name]]}
    raise TypeError(f"{name} is not cached")


def _decode(obj: dict[str, Any]) -> Any:
    name = obj.get("@")
    if name is None:
        if "@date" in obj:
            return datetime.date.fromisoformat(obj["@date"])
        if "@datetime" in obj:
            return datetime.datetime.fromisoformat(obj["@datetime"])
        return obj
    cls = _CLASSES[name]
    return cls(*(convert(v) for convert, v in zip(_decoders(cls), obj["f"], strict=True)))


@cache
def _decoders(cls: type) -> tuple[Callable[[Any], Any], ...]:
    """Per field of `cls`, how to turn its JSON value back: enums from values, lists into tuples."""
    hints = typing.get_type_hints(cls, vars(model))
    out: list[Callable[[Any], Any]] = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            out.append(hint)
        elif f.name == "metadata":  # (key, value) pairs; a value keeps the type YAML gave it
            out.append(lambda v: tuple((k, x) for k, x in v))
        elif typing.get_origin(hint) is tuple:
            out.append(_tuples)
        else:
            out.append(_same)
    return tuple(out)


def _tuples(value: Any) -> Any:
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _same(value: Any) -> Any:
    return value
