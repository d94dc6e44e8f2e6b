"""The versions of a corpus in order: every round, oldest first, then the working tree when it differs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from regdocs.corpus.load import load_corpus, unique_documents
from regdocs.corpus.parallel import parse_ahead
from regdocs.corpus.sources import RoundInfo, Sources
from regdocs.parse.model import Corpus, Document


@dataclass(frozen=True, slots=True)
class LoadedVersion:
    """One version of the corpus, parsed."""

    round: RoundInfo | None
    """The round with its commit, author and message; None for the working tree."""
    corpus: Corpus
    """The parsed documents (one per id)."""


def load_versions(
    sources: Sources,
    cache: dict[str, Document] | None = None,
    parsed: Callable[[int, int], None] | None = None,
) -> list[LoadedVersion]:
    """Every round (oldest first), then the working tree unless its documents read as the last round's.

    `parsed(done, total)` hears of each version parsed (the working tree counts as one even when it is
    then left out); `cache` maps blob ids to documents already parsed.
    """
    infos = sources.round_infos() if sources.all_rounds() else []
    total = len(infos) + 1
    if parsed is not None:
        parsed(0, total)
    specs: list[str | None] = [info.round.name for info in infos] + [None]
    memo: dict[str, Document] = {} if cache is None else cache
    loaded: list[Corpus] = []
    for start in range(0, len(specs), 2):  # two versions at a time: one parsed on each core
        versions = [sources.resolve(spec) for spec in specs[start : start + 2]]
        files = [sources.read(v) for v in versions]
        parse_ahead(sources, [f for group in files for f in group], memo)
        for version, group in zip(versions, files, strict=True):
            loaded.append(unique_documents(load_corpus(sources, version, memo, group)))
            if parsed is not None:
                parsed(len(loaded), total)
    out = [LoadedVersion(info, corpus) for info, corpus in zip(infos, loaded, strict=False)]
    work = loaded[-1]
    if not out or _content(work) != _content(out[-1].corpus):
        out.append(LoadedVersion(None, work))
    return out


def _content(corpus: Corpus) -> list[tuple[str, str, list[str]]]:
    return [(d.id, d.path, [f"{c.id}|{c.title}|{c.text}" for c in d.walk()]) for d in corpus.documents]
