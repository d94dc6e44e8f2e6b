"""Find what a user names: a clause by id, anchor or number (`12(2)(b)`), the documents under PATHS, a range."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

from regdocs.corpus.sources import split_range
from regdocs.errors import ClauseNotFound, ProblemsError, RegdocsError
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


def check_ids(docs: Iterable[Document]) -> None:
    """Refuse documents whose explicit ids collide: every view of them would be ambiguous."""
    from regdocs.findings.lint import Severity, lint_corpus

    problems = [p for p in lint_corpus(Corpus("", tuple(docs))) if p.rule == "duplicate-id"]
    errors = [
        RegdocsError(p.message, path=p.path, line=p.line) for p in problems if p.severity is Severity.ERROR
    ]
    if errors:
        raise errors[0] if len(errors) == 1 else ProblemsError(errors)


def select_documents(root: Path, paths: Sequence[str], corpus: Corpus, skip_others: bool = False) -> set[str]:
    """Map PATHS (files or folders, relative to the current folder) to corpus document paths.

    With `skip_others`, paths outside the corpus or naming none of its documents are passed over (as the
    pre-commit hook needs); without it, they are all reported at once.
    """
    chosen: set[str] = set()
    problems: list[RegdocsError] = []
    known = {d.path for d in corpus.documents}
    for given in paths:
        full = Path(given).resolve()
        try:
            rel = full.relative_to(root.resolve()).as_posix()
        except ValueError:
            if skip_others:
                continue
            problems.append(
                RegdocsError(
                    "is outside the corpus", path=given, hint=f"lint files under {root}, or pass --corpus"
                )
            )
            continue
        if rel == ".":
            chosen |= known
            continue
        matches = {p for p in known if p == rel or p.startswith(rel + "/")}
        if not matches and not skip_others:
            problems.append(
                RegdocsError(
                    f"is not a document of the corpus at {corpus.version}",
                    path=given,
                    hint="check the path, or documents.include/exclude in regdocs.toml",
                )
            )
        chosen |= matches
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    return chosen


def diff_sides(versions: Sequence[str]) -> tuple[str | None, str | None]:
    """The old and new version specs of `diff [A [B]]` (None: the working tree).

    No version: HEAD vs the working tree. One: that version vs the working tree. Two, or `A..B`: A vs B.
    """
    if len(versions) == 1 and (pair := split_range(versions[0])) is not None:
        return pair
    if len(versions) == 2:
        return versions[0], versions[1]
    if len(versions) == 1:
        return versions[0], None
    return "HEAD", None
