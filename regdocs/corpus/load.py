"""Load a whole corpus at one version: read every document and parse it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from regdocs.compare.model import ClauseChange, CorpusDiff, DocumentStatus
from regdocs.corpus.config import CONFIG_NAME
from regdocs.corpus.sources import SourceFile, Sources, Version, VersionKind
from regdocs.errors import ConfigError, InputError, ProblemsError, RegdocsError, VersionError
from regdocs.parse.document import parse_document
from regdocs.parse.model import Clause, Corpus, Document


def load_corpus(
    sources: Sources,
    version: Version,
    cache: dict[str, Document] | None = None,
    files: list[SourceFile] | None = None,
) -> Corpus:
    """Read and parse every document at `version`; report all unreadable files at once.

    `cache` maps `blob id:path` to parsed documents, so a file unchanged between rounds is parsed once;
    `files` are the version's files when already read (`sources.read(version)`).
    """
    documents = []
    problems: list[RegdocsError] = []
    warnings: list[str] = []
    store = sources.store
    for source in sources.read(version) if files is None else files:
        key = f"{source.blob}:{source.path}"
        try:
            cached = cache.get(key) if cache is not None and source.blob else None
            if cached is None and store is not None and source.blob:
                cached = store.get(source.blob, source.path)
            if cached is None:
                cached = parse_document(source.data, source.path, blob=source.blob)
                if store is not None and source.blob:
                    store.put(source.blob, source.path, cached)
            doc = cached
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
    if not documents and sources.config.implicit and version.kind is VersionKind.WORKTREE:
        raise ConfigError(
            f"no {CONFIG_NAME} found in {sources.config.root} or any folder above it, and no .md file in it",
            hint="run 'regdocs init' to start a corpus, pass --corpus DIR, or name a file or folder",
        )
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
    sources: Sources,
    old_spec: str | None,
    new_spec: str | None,
    clause: str | None = None,
    doc: str | None = None,
) -> CorpusDiff:
    """Diff two versions given as specs (round, git ref, folder; None = working tree).

    With `clause`, keep only the changes touching that clause and its sub-clauses. The clause is found
    once, as `regdocs show` finds it (id, anchor, number or citation; only in `doc` when given): in the
    new version, else in the old one; in the other version it is the clause it was paired with.
    """
    from regdocs.findings.analysis import diff_corpora

    old_version, new_version = resolve_pair(sources, old_spec, new_spec)
    old, new = load_pair(sources, old_version, new_version)
    if old_version.kind is VersionKind.FILE:  # two files are one document, whatever their names or ids
        old = replace(old, documents=tuple(replace(d, id=new.documents[0].id) for d in old.documents))
    found = _resolve(clause, doc, new, old) if clause else None  # before the diff: a typo fails fast
    result = diff_corpora(old, new)
    return select(result, clause=_scope(found, new, old, result)) if found else result


def load_pair(sources: Sources, old_version: Version, new_version: Version) -> tuple[Corpus, Corpus]:
    """Load both sides of a diff (on both cores when large), each checked for unique document and clause ids."""
    from regdocs.corpus.parallel import parse_ahead

    old_files, new_files = sources.read(old_version), sources.read(new_version)
    memo: dict[str, Document] = {}
    parse_ahead(sources, old_files + new_files, memo)
    old = unique_clause_ids(unique_documents(load_corpus(sources, old_version, memo, old_files)))
    new = unique_clause_ids(unique_documents(load_corpus(sources, new_version, memo, new_files)))
    return old, new


def resolve_pair(sources: Sources, old_spec: str | None, new_spec: str | None) -> tuple[Version, Version]:
    """Resolve the two sides of a diff; two files that are no round or ref are compared as files.

    As with `git diff --no-index`, `regdocs diff old.md new.md` works inside a corpus and without one.
    """
    try:
        old, new = sources.resolve(old_spec), sources.resolve(new_spec)
    except VersionError:
        if not (old_spec and new_spec and Path(old_spec).is_file() and Path(new_spec).is_file()):
            raise
        old, new = sources.resolve(old_spec, files=True), sources.resolve(new_spec, files=True)
    if (old.kind is VersionKind.FILE) != (new.kind is VersionKind.FILE):
        raise VersionError(
            f"cannot compare {(old if old.kind is VersionKind.FILE else new).label} with "
            f"{(new if old.kind is VersionKind.FILE else old).label}: a file is compared only with a file",
            hint="give two files (regdocs diff OLD.md NEW.md) or two folders",
        )
    return old, new


@dataclass(frozen=True, slots=True)
class ClauseScope:
    """One clause and its sub-clauses in both versions: what `diff --clause` keeps."""

    document: str
    """Document id."""
    old: frozenset[str]
    """Ids of the clause and its sub-clauses in the old version (none when it was added)."""
    new: frozenset[str]
    """Ids of the clause and its sub-clauses in the new version (none when it was removed)."""


_Found = tuple[str, Document, Clause]


def _resolve(key: str, doc: str | None, new: Corpus, old: Corpus) -> _Found:
    """The one clause `key` names, in the new version, else in the old one: ("new" or "old", document, clause)."""
    from regdocs.corpus.lookup import find_clause
    from regdocs.errors import ClauseNotFound

    missing: list[ClauseNotFound] = []
    for side, corpus in (("new", new), ("old", old)):
        try:
            return (side, *find_clause(corpus, key, doc))
        except ClauseNotFound as exc:
            if "matches" in exc.message:
                raise  # several clauses: --doc or the full id tells them apart
            missing.append(exc)
    if all(exc.message.startswith("no document") for exc in missing):
        raise missing[0]
    raise ClauseNotFound(
        f"no clause {key!r} in either version",
        hint="give a clause id or number as shown by 'regdocs outline'",
    )


def _scope(found: _Found, new: Corpus, old: Corpus, diff: CorpusDiff) -> ClauseScope:
    """The found clause's sub-clauses, and in the other version those of the clause it was paired with."""
    side, document, root = found
    here = frozenset(c.id for c in root.walk())
    paired: set[str] | None = None
    for c in next((d.changes for d in diff.documents if d.id == document.id), ()):
        mine, theirs = (c.new, c.old) if side == "new" else (c.old, c.new)
        if any(s.id == root.id for s in mine):
            paired = (paired or set()) | {s.id for s in theirs}
    counterparts = {root.id} if paired is None else paired  # in no change: unchanged, under the same id
    other = next((d for d in (old if side == "new" else new).documents if d.id == document.id), None)
    there = frozenset(x.id for c in (other.walk() if other else ()) if c.id in counterparts for x in c.walk())
    return ClauseScope(document.id, *((there, here) if side == "new" else (here, there)))


def select(diff: CorpusDiff, doc: str | None = None, clause: ClauseScope | None = None) -> CorpusDiff:
    """Keep only one document and/or the changes touching one clause and its sub-clauses (see `compare`)."""
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
        scope = clause

        def touches(c: ClauseChange) -> bool:
            return any(s.id in scope.old for s in c.old) or any(s.id in scope.new for s in c.new)

        docs = tuple(
            replace(
                d,
                changes=(kept := tuple(c for c in d.changes if touches(c))),
                metadata=(),
                status=d.status if kept else DocumentStatus.UNCHANGED,
            )
            for d in docs
            if d.id == scope.document
        )
    keep_docs = {d.id for d in docs}
    keep_clauses = {(d.id, s.id) for d in docs for c in d.changes for s in (c.new or c.old)}
    if clause:  # an unchanged sub-clause may carry a finding too, e.g. a reference left dangling
        keep_clauses |= {(clause.document, i) for i in clause.new}
    findings = tuple(
        f
        for f in diff.findings
        if f.document in keep_docs and (not clause or (f.document, f.clause) in keep_clauses)
    )
    return replace(diff, documents=docs, findings=findings)
