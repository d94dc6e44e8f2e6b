"""Find a clause by id, anchor or number (`incident-notification`, `12(2)(b)`, `Part 2`)."""

from __future__ import annotations

import re

from regdocs.errors import ClauseNotFound
from regdocs.parse.model import Clause, Corpus, CrossRef, Document, RefKind
from regdocs.parse.references import Resolver, find_refs

_NUMBER_PATH_RE = re.compile(r"[0-9A-Za-z]+(?:\.[0-9]+)*(?:\([0-9A-Za-z]+\))*")
_SUB_RE = re.compile(r"\(([^)]+)\)")


def find_clause(corpus: Corpus, key: str, doc_key: str | None = None) -> tuple[Document, Clause]:
    """Return the one clause `key` names; fail listing the candidates when none or several match."""
    docs = corpus.documents
    if doc_key:
        doc = corpus.document(doc_key)
        if doc is None:
            raise ClauseNotFound(
                f"no document {doc_key!r}", hint="documents: " + ", ".join(d.id for d in docs)
            )
        docs = (doc,)
    key = key.strip()
    hits = [(d, c) for d in docs for c in d.walk() if c.id == key]
    if not hits:
        hits = [(d, c) for d in docs for c in d.walk() if key in c.anchors or c.id.lower() == key.lower()]
    if not hits and key in ("_preamble", "preamble"):
        from regdocs.compare.align import preamble_clause

        hits = [(d, c) for d in docs if (c := preamble_clause(d)) is not None]
    if not hits:
        hits = _by_number(docs, key, corpus)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise ClauseNotFound(
            f"no clause {key!r}",
            hint="give a clause id or number as shown by 'regdocs outline'",
        )
    listed = ", ".join(f"{d.id}:{c.id}" for d, c in hits[:8])
    raise ClauseNotFound(
        f"{key!r} matches {len(hits)} clauses ({listed})", hint="add --doc DOC or use the full id"
    )


def _by_number(docs: tuple[Document, ...], key: str, corpus: Corpus) -> list[tuple[Document, Clause]]:
    resolver = Resolver(corpus.documents)
    refs = find_refs(key, 1)
    if not refs and _NUMBER_PATH_RE.fullmatch(key):
        head, _, rest = key.partition("(")
        path = head.lower()
        if rest:
            path += "." + ".".join(p.lower() for p in _SUB_RE.findall("(" + rest))
        hits = [(d, c) for d in docs for c in d.walk() if c.id.lower() == path]
        if hits:
            return hits
        refs = (CrossRef(RefKind.TEXT, key, f"section {path}", 1, 1),)
    out: list[tuple[Document, Clause]] = []
    for doc in docs:
        for ref in refs[:1]:
            anchor = doc.clauses[0] if doc.clauses else None
            if anchor is None:
                continue
            hit = resolver.resolve(doc, anchor, ref)
            if isinstance(hit, Clause) and hit.path == doc.path and (doc, hit) not in out:
                out.append((doc, hit))
    return out
