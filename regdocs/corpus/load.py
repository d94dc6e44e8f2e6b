"""Load a whole corpus at one version: read every document and parse it."""

from __future__ import annotations

from regdocs.compare.model import ClauseChange, CorpusDiff
from regdocs.errors import InputError, ProblemsError, RegdocsError
from regdocs.parse.model import Corpus, Document
from regdocs.parse.document import parse_document
from regdocs.corpus.sources import Sources, Version


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


def unique_documents(corpus: Corpus) -> Corpus:
    """Refuse a version in which two files share a document id: the diff pairs documents by id."""
    seen: dict[str, str] = {}
    problems: list[RegdocsError] = []
    for doc in corpus.documents:
        if doc.id in seen:
            problems.append(
                RegdocsError(
                    f"document id {doc.id!r} is also used by {seen[doc.id]}",
                    path=doc.path,
                    ref=corpus.version or None,
                    hint="give each document its own 'id'",
                )
            )
        seen.setdefault(doc.id, doc.path)
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    return corpus


def unique_clause_ids(corpus: Corpus) -> Corpus:
    """Refuse a version in which two clauses of one document share an explicit id: pairing by id would lie."""
    problems: list[RegdocsError] = []
    for doc in corpus.documents:
        seen: dict[str, int] = {}
        for clause in doc.walk():
            if clause.id in seen:
                problems.append(
                    RegdocsError(
                        f"id {clause.id!r} is already used at line {seen[clause.id]}",
                        path=doc.path,
                        line=clause.line,
                        ref=corpus.version or None,
                        hint="give each clause its own {#id}",
                    )
                )
            else:
                seen[clause.id] = clause.line
    if problems:
        raise problems[0] if len(problems) == 1 else ProblemsError(problems)
    return corpus


def compare(
    sources: Sources, old_spec: str | None, new_spec: str | None, clause: str | None = None
) -> CorpusDiff:
    """Diff two versions given as specs (round, git ref, folder; None = working tree).

    With `clause`, fail unless that clause (id or number) exists in one of the two versions.
    """
    from regdocs.findings.analysis import diff_corpora

    old = unique_clause_ids(unique_documents(load_corpus(sources, sources.resolve(old_spec))))
    new = unique_clause_ids(unique_documents(load_corpus(sources, sources.resolve(new_spec))))
    if clause:
        _exists(clause, new, old)
    return diff_corpora(old, new)


def _exists(key: str, *corpora: Corpus) -> None:
    from regdocs.errors import ClauseNotFound
    from regdocs.corpus.lookup import find_clause

    for corpus in corpora:
        try:
            find_clause(corpus, key)
            return
        except ClauseNotFound as exc:
            if "matches" in exc.message:
                return  # it exists, in several documents
    raise ClauseNotFound(
        f"no clause {key!r} in either version",
        hint="give a clause id or number as shown by 'regdocs outline'",
    )


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

        docs = tuple(
            replace(
                d,
                changes=(kept := tuple(c for c in d.changes if touches(c))),
                metadata=(),
                status=d.status if kept else "unchanged",
            )
            for d in docs
        )
    keep_docs = {d.id for d in docs}
    keep_clauses = {(d.id, (c.new or c.old)[0].id) for d in docs for c in d.changes}
    findings = tuple(
        f
        for f in diff.findings
        if f.document in keep_docs and (not clause or (f.document, f.clause) in keep_clauses)
    )
    return replace(diff, documents=docs, findings=findings)
