"""The versions a negotiation view sets side by side, as named columns: rounds, refs, the working tree."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from regdocs.compare.model import CorpusDiff
from regdocs.corpus.load import load_corpus, unique_clause_ids, unique_documents
from regdocs.corpus.sources import RoundInfo, Sources
from regdocs.corpus.versions import load_versions
from regdocs.errors import RegdocsError, VersionError
from regdocs.gitflow.history import WORKING_TREE
from regdocs.parse.model import Corpus


@dataclass(frozen=True, slots=True)
class Column:
    """One version of the corpus in a negotiation view: a round (with its party and date) or another version."""

    name: str
    """Round name, the version as given (a ref or folder), or `working tree`."""
    round: RoundInfo | None
    """The round with its commit, author and rationale; None for any other version."""

    @property
    def party(self) -> str:
        """Who tabled the text (empty when not a round)."""
        return self.round.round.party if self.round else ""

    @property
    def date(self) -> str:
        """The round's date, else its commit's (empty when not a round)."""
        return (self.round.round.date or self.round.authored[:10]) if self.round else ""

    @property
    def label(self) -> str:
        """The round's one-line description (`Agreed text`)."""
        return self.round.round.label if self.round else ""


@dataclass(frozen=True, slots=True)
class Columns:
    """The versions a view compares, oldest first, each parsed."""

    columns: tuple[Column, ...]
    """The columns in order."""
    corpora: tuple[Corpus, ...]
    """Each column's documents (one per id, explicit clause ids unique)."""
    title: str
    """The corpus title."""

    def document_id(self, key: str) -> str:
        """The id of the document `key` names (id, path or file stem) in any column, the latest first."""
        for corpus in reversed(self.corpora):
            doc = corpus.document(key)
            if doc is not None:
                return doc.id
        known = sorted({d.id for c in self.corpora for d in c.documents})
        raise RegdocsError(
            f"no document {key!r} in any version compared", hint="documents: " + ", ".join(known)
        )


def load_columns(sources: Sources, specs: Sequence[str] = ()) -> Columns:
    """The versions named by `specs` in that order; none: every round, oldest first, then the working tree
    when it differs from the last round (as `history` reads them).
    """
    if not specs:
        loaded = load_versions(sources)
        columns = tuple(Column(v.round.round.name if v.round else WORKING_TREE, v.round) for v in loaded)
        corpora = tuple(unique_clause_ids(v.corpus) for v in loaded)
        return Columns(columns, corpora, sources.config.title)
    infos = {i.round.name: i for i in sources.round_infos()} if sources.all_rounds() else {}
    out: list[Column] = []
    corpora_read: list[Corpus] = []
    for spec in specs:
        version = sources.resolve(spec)
        info = infos.get(version.round.name) if version.round else None
        name = info.round.name if info else spec
        if any(c.name == name for c in out):
            raise VersionError(f"{name!r} is given twice", ref=spec, hint="name each version once")
        out.append(Column(name, info))
        corpora_read.append(unique_clause_ids(unique_documents(load_corpus(sources, version))))
    return Columns(tuple(out), tuple(corpora_read), sources.config.title)


def round_columns(sources: Sources, upto: str | None = None) -> Columns:
    """Every round oldest first, up to and including the round `upto` (None: all, then the working tree)."""
    if upto is None:
        return load_columns(sources)
    names = [r.name for r in sources.all_rounds()]
    if upto not in names:
        raise VersionError(
            f"{upto!r} is not a round",
            ref=upto,
            hint=f"known rounds: {', '.join(names)}" if names else "no rounds are configured in regdocs.toml",
        )
    return load_columns(sources, names[: names.index(upto) + 1])


def consecutive_diffs(corpora: Sequence[Corpus]) -> list[CorpusDiff | None]:
    """The diff of each version from the one before it (None for the first), findings included."""
    from regdocs.findings.analysis import diff_corpora

    return [None, *(diff_corpora(corpora[k - 1], corpora[k]) for k in range(1, len(corpora)))]
