"""Load what a command names: a version, an outline's documents, one clause, the files to lint, a diff's sides."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from regdocs.corpus.load import compare, load_corpus, select
from regdocs.corpus.lookup import check_ids, diff_sides, find_clause, select_documents
from regdocs.errors import RegdocsError, VersionError

if TYPE_CHECKING:
    from regdocs.compare.model import CorpusDiff
    from regdocs.corpus.sources import Sources, Version
    from regdocs.findings.lint import Problem
    from regdocs.parse.model import Clause, Corpus, Document

Warn = Callable[[str], None]
"""Hears each warning (an empty document, say) as soon as the version it belongs to is read."""


def load_version(sources: Sources, spec: str | None, warn: Warn) -> tuple[Version, Corpus]:
    """Resolve `spec` (None: the working tree) and read the corpus there, passing its warnings to `warn`."""
    version = sources.resolve(spec)
    corpus = load_corpus(sources, version)
    for warning in corpus.warnings:
        warn(warning)
    return version, corpus


def outline_documents(
    sources: Sources, args: Sequence[str], warn: Warn
) -> tuple[Version, tuple[Document, ...]]:
    """The documents `outline [VERSION] [DOC]` shows; a lone argument that is no version may be a DOC."""
    spec, doc_key = (*args, None, None)[:2]
    if len(args) == 1:
        try:
            sources.resolve(spec)
        except VersionError as exc:
            _, work = load_version(sources, None, warn)
            if work.document(args[0]) is None:
                raise exc from None
            spec, doc_key = None, args[0]
    version, corpus = load_version(sources, spec, warn)
    docs = corpus.documents
    if doc_key:
        doc = corpus.document(doc_key)
        if doc is None:
            raise RegdocsError(
                f"no document {doc_key!r} at {version.label}",
                hint="documents: " + ", ".join(d.id for d in docs),
            )
        docs = (doc,)
    check_ids(docs)
    return version, docs


def clause_at(
    sources: Sources, spec: str | None, key: str, doc_key: str | None, warn: Warn
) -> tuple[Version, Document, Clause]:
    """The one clause `key` names at version `spec` (as `show` finds it), with its document."""
    version, corpus = load_version(sources, spec, warn)
    doc, clause = find_clause(corpus, key, doc_key)
    check_ids((doc,))
    return version, doc, clause


def diff_versions(
    sources: Sources, versions: Sequence[str], clause: str | None, doc: str | None
) -> CorpusDiff:
    """Diff the versions `diff [A [B]]` names, keeping only `doc` and the changes touching `clause`."""
    old_spec, new_spec = diff_sides(versions)
    return select(compare(sources, old_spec, new_spec, clause, doc), doc)


@dataclass(frozen=True, slots=True)
class LintRun:
    """What `regdocs lint` found in the files it checked."""

    problems: tuple[Problem, ...]
    """Every problem found, in the order lint reports them."""
    files: int
    """How many documents were checked."""
    located: Mapping[str, Path]
    """Where each file with a problem is, by the path its problems name."""

    def fails(self, strict: bool) -> bool:
        """Whether lint exits 1: an error was found, or with `strict` any problem."""
        from regdocs.findings.lint import Severity

        return any(p.severity is Severity.ERROR or strict for p in self.problems)


def lint_targets(
    sources: Sources, paths: Sequence[str], at: str | None, skip_others: bool, warn: Warn
) -> LintRun:
    """Lint the corpus at `at` (or the working tree), or only the documents under PATHS.

    With no corpus (no regdocs.toml) and no `at`, each file or folder named is read on its own, wherever
    it is, as `outline FILE` reads it.
    """
    from regdocs.findings.lint import lint_corpus

    root = sources.config.root
    problems: list[Problem] = []
    located: dict[str, Path] = {}
    if sources.config.implicit and at is None and paths:
        files = 0
        for given in paths:
            version, corpus = load_version(sources, given, warn)
            found = lint_corpus(corpus, None)
            base = Path(version.folder) if version.folder else root
            problems += found
            files += len(corpus.documents)
            located.update({p.path: base / p.path for p in found})
        return LintRun(tuple(problems), files, located)
    version, corpus = load_version(sources, at, warn)
    only = select_documents(root, paths, corpus, skip_others) if paths else None
    problems = lint_corpus(corpus, only, settled=sources.config.negotiation.settled(version.round))
    base = Path(version.folder) if version.folder else root  # a folder version's files are there
    located = {p.path: base / p.path for p in problems}
    return LintRun(tuple(problems), len(only) if only is not None else len(corpus.documents), located)
