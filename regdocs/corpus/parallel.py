"""Parse on both cores: the files a command is about to load, shared between this process and one fork.

A diff of two large versions parses two documents that do not depend on each other; parsing one in a
forked child while this process parses the other halves the wall time of that step. The child sends its
documents back in the cache's own JSON form (no pickle), and anything that goes wrong in it (a file that
does not parse, a signal, a value JSON cannot hold) leaves those files to be parsed here as before: the
result and its errors are those of the sequential load, only sooner.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Iterable

from regdocs.corpus.cache import decode_documents, encode_documents
from regdocs.corpus.sources import SourceFile, Sources
from regdocs.errors import InputError
from regdocs.parse.document import parse_document
from regdocs.parse.model import Document

MIN_BYTES = 256 * 1024
"""Below this much text to parse, a fork costs more than it saves."""


def parse_ahead(sources: Sources, files: Iterable[SourceFile], memo: dict[str, Document]) -> None:
    """Parse into `memo` (keyed `blob:path`, as `load_corpus` reads it) the files not parsed yet.

    Files found in the document store are taken from it; the rest are split by size between this process
    and a forked child when there is enough to parse and both can run (Linux, no other thread). A file
    that does not parse is left out, for the load to parse again and report.
    """
    jobs: dict[str, SourceFile] = {}
    store = sources.store
    for f in files:
        key = f"{f.blob}:{f.path}"
        if not f.blob or key in memo or key in jobs:
            continue
        cached = store.get(f.blob, f.path) if store is not None else None
        if cached is not None:
            memo[key] = cached
        else:
            jobs[key] = f
    if len(jobs) < 2 or sum(len(f.data) for f in jobs.values()) < MIN_BYTES or not _can_fork():
        return
    mine, theirs = _halves(jobs)
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: parse its half, send it, end without running the parent's exit handlers
        os.close(reader)
        _child(theirs, writer)
    os.close(writer)
    _parse(mine, memo, sources)
    _collect(reader, pid, theirs, memo, sources)


def _can_fork() -> bool:
    return sys.platform == "linux" and hasattr(os, "fork") and threading.active_count() == 1


def _halves(jobs: dict[str, SourceFile]) -> tuple[dict[str, SourceFile], dict[str, SourceFile]]:
    """Two sets of files of about equal size, largest first into the lighter one (deterministic)."""
    out: tuple[dict[str, SourceFile], dict[str, SourceFile]] = ({}, {})
    sizes = [0, 0]
    for key, f in sorted(jobs.items(), key=lambda kv: (-len(kv[1].data), kv[0])):
        side = 0 if sizes[0] <= sizes[1] else 1
        out[side][key] = f
        sizes[side] += len(f.data)
    return out


def _parse(jobs: dict[str, SourceFile], memo: dict[str, Document], sources: Sources) -> None:
    for key, f in jobs.items():
        try:
            doc = parse_document(f.data, f.path, blob=f.blob)
        except InputError:
            continue  # parsed again, and reported, by the load
        memo[key] = doc
        if sources.store is not None:
            sources.store.put(f.blob, f.path, doc)


def _child(jobs: dict[str, SourceFile], fd: int) -> None:
    code = 1
    try:
        parsed: list[tuple[str, Document]] = []
        for key, f in jobs.items():
            with contextlib.suppress(InputError):
                parsed.append((key, parse_document(f.data, f.path, blob=f.blob)))
        data = encode_documents(parsed)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        code = 0
    except BaseException:  # whatever it was, the parent parses these files itself
        pass
    os._exit(code)


def _collect(
    fd: int, pid: int, jobs: dict[str, SourceFile], memo: dict[str, Document], sources: Sources
) -> None:
    chunks = []
    with os.fdopen(fd, "rb") as pipe:
        while chunk := pipe.read(1 << 20):
            chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        try:
            for key, doc in decode_documents(b"".join(chunks)):
                if key in jobs and doc.path == jobs[key].path:
                    memo[key] = doc
                    if sources.store is not None:
                        sources.store.put(jobs[key].blob, jobs[key].path, doc)
        except (ValueError, TypeError, KeyError, RecursionError, json.JSONDecodeError):
            pass
    _parse({k: f for k, f in jobs.items() if k not in memo}, memo, sources)
