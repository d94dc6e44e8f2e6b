"""Load a whole corpus at one version: read every document and parse it."""

from __future__ import annotations

from regdocs.diffmodel import ClauseChange, CorpusDiff
from regdocs.errors import InputError, ProblemsError, RegdocsError
from regdocs.model import Corpus, Document
from regdocs.parse import parse_document
from regdocs.sources import Sources, Version


def load_corpus(sources: Sources, version: Version, cache: dict[str, Document] | None = None) -> Corpus:
    """Read and parse every document at `version`; report all unreadable files at once.

    `cache` maps `blob id:path` to parsed documents, so a file unchanged between rounds is parsed once.
    """
    documents = []
    problems: list[RegdocsError] = []
    warnings: list[str] = []
    for source in sources.read(version):
        key = f"{source.blob}:{source.path}"
        try:
            cached = cache.get(key) if cache is not None and source.blob else None
            doc = cached or parse_document(source.data, source.path, blob=source.blob)
            if cache is not None and source.blob:
                cache[key] = doc
        except InputError as exc:
            if version.spec:
                exc.ref = exc.ref or version.spec
            problems.append(exc)
            continue
        if not doc.clauses and not doc.preamble.strip():
            warnings.append(f"{source.path}: empty document")
        documents.append(doc)
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    return Corpus(sources.config.title, tuple(documents), version.label, tuple(warnings))


def compare(sources: Sources, old_spec: str | None, new_spec: str | None) -> CorpusDiff:
    """Diff two versions given as specs (round, git ref, folder; None = working tree)."""
    from regdocs.diff import diff_corpora

    old = load_corpus(sources, sources.resolve(old_spec))
    new = load_corpus(sources, sources.resolve(new_spec))
    return diff_corpora(old, new)


def select(diff: CorpusDiff, doc: str | None = None, clause: str | None = None) -> CorpusDiff:
    """Keep only one document and/or the changes touching one clause (by id or citation)."""
    from dataclasses import replace

    docs = diff.documents
    if doc:
        docs = tuple(
            d for d in docs if doc in (d.id, d.old_path, d.new_path) or d.new_path.removesuffix(".md") == doc
        )
        if not docs:
            raise RegdocsError(
                f"no document {doc!r} in either version",
                hint="documents: " + ", ".join(d.id for d in diff.documents),
            )
    if clause:
        key = clause.strip()

        def touches(c: ClauseChange) -> bool:
            sides = (*c.old, *c.new)
            return any(key in (s.id, s.citation) or s.id.startswith(key + ".") for s in sides)

        docs = tuple(replace(d, changes=tuple(c for c in d.changes if touches(c)), metadata=()) for d in docs)
    keep_docs = {d.id for d in docs}
    keep_clauses = {(d.id, (c.new or c.old)[0].id) for d in docs for c in d.changes}
    findings = tuple(
        f
        for f in diff.findings
        if f.document in keep_docs and (not clause or (f.document, f.clause) in keep_clauses)
    )
    return replace(diff, documents=docs, findings=findings)
