"""Per-round counts (`regdocs rounds --stat`): clauses changed, open points left, findings by severity."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.model import CorpusDiff, FindingSeverity, Triage
from regdocs.corpus.sources import Sources
from regdocs.findings.brackets import document_points
from regdocs.gitflow.columns import Column, consecutive_diffs, load_columns
from regdocs.parse.model import Corpus


@dataclass(frozen=True, slots=True)
class RoundStat:
    """What one round did to the text tabled before it."""

    column: Column
    """The round, with its party and date."""
    changed: int
    """Clause changes from the round before (every kind; 0 for the first round)."""
    substantive: int
    """Of those, the substantive ones (not editorial, renumbering or moves only)."""
    open: int | None
    """Open points (square-bracketed alternatives) in its text; None when bracket detection is off."""
    findings: tuple[tuple[FindingSeverity, int], ...]
    """Findings of the diff from the round before, by severity, most severe first."""


def round_stats(sources: Sources) -> list[RoundStat]:
    """Count, for every round oldest first, what changed since the round before it."""
    names = [r.name for r in sources.all_rounds()]
    if not names:
        return []
    loaded = load_columns(sources, names)
    brackets = sources.config.negotiation.brackets
    diffs = consecutive_diffs(loaded.corpora)
    return [
        _stat(column, diff, corpus, brackets)
        for column, diff, corpus in zip(loaded.columns, diffs, loaded.corpora, strict=True)
    ]


def _stat(column: Column, diff: CorpusDiff | None, corpus: Corpus, brackets: bool) -> RoundStat:
    changes = [c for d in diff.documents for c in d.changes] if diff is not None else []
    severities = [f.severity for f in diff.findings] if diff is not None else []
    return RoundStat(
        column=column,
        changed=len(changes),
        substantive=sum(c.triage is Triage.SUBSTANTIVE for c in changes),
        open=sum(len(document_points(d)) for d in corpus.documents) if brackets else None,
        findings=tuple((s, severities.count(s)) for s in FindingSeverity),
    )
