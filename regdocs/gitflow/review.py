"""Pull-request review: the clause-level diff of BASE..HEAD, its findings, and lint of HEAD, as one report."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.model import CorpusDiff
from regdocs.corpus.load import load_corpus, unique_clause_ids, unique_documents
from regdocs.corpus.sources import Sources, split_range, split_three_dot
from regdocs.findings.analysis import diff_corpora
from regdocs.findings.lint import Problem, lint_corpus


@dataclass(frozen=True, slots=True)
class Review:
    """What a reviewer needs to judge a change to the rules."""

    spec: str
    """The range as given, e.g. `main...feature`."""
    base: str
    """Label of the base version (the merge base for `A...B`)."""
    head: str
    """Label of the head version."""
    diff: CorpusDiff
    """Clause-level changes and findings."""
    lint: tuple[Problem, ...]
    """Lint problems of the head version."""


def review(sources: Sources, spec: str) -> Review:
    """Review `BASE..HEAD` (or `BASE...HEAD`, from their merge base); a single version means it vs HEAD."""
    three = split_three_dot(spec)
    two = split_range(spec)
    if three is not None:
        base_v, head_v = sources.resolve(three[0]), sources.resolve(three[1])
        base_v = sources.merge_base(base_v, head_v)
    elif two is not None:
        base_v, head_v = sources.resolve(two[0]), sources.resolve(two[1])
    else:
        base_v, head_v = sources.resolve(spec), sources.resolve("HEAD")
    old = unique_clause_ids(unique_documents(load_corpus(sources, base_v)))
    new = unique_clause_ids(unique_documents(load_corpus(sources, head_v)))
    return Review(spec, base_v.label, head_v.label, diff_corpora(old, new), tuple(lint_corpus(new)))
