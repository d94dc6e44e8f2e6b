"""The diff a reader gets: the clause-level comparison, then every finding made as one pass over its changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from regdocs.compare.align import Alignment
from regdocs.compare.changes import compare_corpora
from regdocs.compare.metadata import metadata_findings
from regdocs.compare.model import ClauseChange, CorpusDiff, DocumentDiff, Finding, Triage
from regdocs.findings.clauses import clause_findings, consequential, corpus_findings
from regdocs.findings.references import lookups
from regdocs.gcpause import gc_paused
from regdocs.parse.model import Corpus


def diff_corpora(old: Corpus, new: Corpus) -> CorpusDiff:
    """Compare two versions of a corpus and find what matters in the changes."""
    with gc_paused():
        comparison = compare_corpora(old, new)
        alignments = comparison.alignments
        # first downgrade edits that only follow renumbered targets, then judge what is still substantive
        shared = lookups(old, new, alignments)
        docs = consequential(old, new, alignments, comparison.documents, shared)
        docs = tuple(_with_clause_findings(d) for d in docs)
        extra = corpus_findings(old, new, alignments, docs, shared)
        extra += [f for d in docs for f in metadata_findings(d.id, d.metadata)]
        every = [f for d in docs for c in d.changes for f in c.findings] + extra
        every.sort(key=_reading_order(alignments))
        return CorpusDiff(
            title=new.title or old.title,
            old=old.version,
            new=new.version,
            documents=docs,
            findings=tuple(every),
        )


def with_findings(change: ClauseChange, doc_id: str) -> ClauseChange:
    """A substantive change with its clause findings (obligations, numbers, quantities) attached."""
    if change.triage is not Triage.SUBSTANTIVE:
        return change
    found = clause_findings(change, doc_id)
    return replace(change, findings=tuple(found)) if found else change


def _with_clause_findings(doc: DocumentDiff) -> DocumentDiff:
    changes = tuple(with_findings(c, doc.id) for c in doc.changes)
    return replace(doc, changes=changes) if changes != doc.changes else doc


def _reading_order(alignments: dict[str, Alignment]) -> Callable[[Finding], tuple[int, str, float, str]]:
    """Sort key for findings: severity, then document, then where the clause stands (section 2 before 10)."""
    where: dict[tuple[str, str], float] = {}
    for doc_id, al in alignments.items():
        for node in al.old:
            where[(doc_id, node.clause.id)] = node.index + 0.5  # a removed clause: among the new ones
        for node in al.new:
            where[(doc_id, node.clause.id)] = float(node.index)

    def key(f: Finding) -> tuple[int, str, float, str]:
        return (f.severity.rank, f.document, where.get((f.document, f.clause), -1.0), f.kind)

    return key
