"""Load a whole corpus at one version: read every document and parse it."""

from __future__ import annotations

from regdocs.errors import InputError, ProblemsError, RegdocsError
from regdocs.model import Corpus
from regdocs.parse import parse_document
from regdocs.sources import Sources, Version


def load_corpus(sources: Sources, version: Version) -> Corpus:
    """Read and parse every document at `version`; report all unreadable files at once."""
    documents = []
    problems: list[RegdocsError] = []
    warnings: list[str] = []
    for source in sources.read(version):
        try:
            doc = parse_document(source.data, source.path, blob=source.blob)
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
