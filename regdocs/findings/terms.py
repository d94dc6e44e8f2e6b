"""Findings about defined terms: added, removed, or redefined (with every clause that uses them)."""

from __future__ import annotations

from regdocs.compare.align import Alignment, content
from regdocs.compare.model import Finding, FindingKind, FindingSeverity
from regdocs.findings.references import Cites, mask_refs, partner_maps
from regdocs.parse.model import Clause, Corpus, Document
from regdocs.parse.terms import TermIndex


def _glossary(corpus: Corpus) -> dict[str, tuple[Document, Clause, str]]:
    out: dict[str, tuple[Document, Clause, str]] = {}
    for doc in corpus.documents:
        for clause in doc.walk():
            for term in clause.terms:
                out.setdefault(term.term.lower(), (doc, clause, term.term))
    return out


def term_findings(old: Corpus, new: Corpus, alignments: dict[str, Alignment]) -> list[Finding]:
    fwd, _ = partner_maps(alignments)
    cites = Cites(alignments)
    before, after = _glossary(old), _glossary(new)
    out: list[Finding] = []
    texts: dict[int, str] = {}  # a clause defining thousands of terms is read once, not once per term
    masks: dict[int, str] = {}

    def text_of(clause: Clause) -> str:
        if id(clause) not in texts:
            texts[id(clause)] = content(clause)
        return texts[id(clause)]

    def masked(clause: Clause) -> str:
        if id(clause) not in masks:
            masks[id(clause)] = mask_refs(text_of(clause))
        return masks[id(clause)]

    for key in sorted(before.keys() - after.keys()):
        doc, clause, term = before[key]
        out.append(
            Finding(
                kind=FindingKind.TERM_REMOVED,
                severity=FindingSeverity.MEDIUM,
                message=f'defined term "{term}" removed ({cites.get(id(clause), clause.id)})',
                document=doc.id,
                clause=clause.id,
                citation=cites.get(id(clause), clause.id),
                old=text_of(clause)[:160],
            )
        )
    for key in sorted(after.keys() - before.keys()):
        doc, clause, term = after[key]
        out.append(
            Finding(
                kind=FindingKind.TERM_ADDED,
                severity=FindingSeverity.LOW,
                message=f'defined term "{term}" added ({cites.get(id(clause), clause.id)})',
                document=doc.id,
                clause=clause.id,
                citation=cites.get(id(clause), clause.id),
                new=text_of(clause)[:160],
            )
        )
    # one index of words, not every clause searched for every term (O(terms × clauses))
    clauses = [c for d in new.documents for c in d.walk()] if before.keys() & after.keys() else []
    index = TermIndex(
        [c.title + " " + c.text for c in clauses], {after[k][2] for k in before.keys() & after.keys()}
    )
    for key in sorted(before.keys() & after.keys()):
        _, old_clause, _ = before[key]
        doc, new_clause, term = after[key]
        if masked(old_clause) == masked(new_clause):
            continue
        users = [clauses[k] for k in index.users(term) if clauses[k] is not new_clause]
        related = tuple(cites.get(id(c), c.id) for c in users)
        where = cites.get(id(new_clause), new_clause.id)
        shown = ", ".join(related[:12]) + (f" and {len(related) - 12} more" if len(related) > 12 else "")
        uses = "clause using it changes" if len(related) == 1 else "clauses using it change"
        out.append(
            Finding(
                kind=FindingKind.TERM_REDEFINED,
                severity=FindingSeverity.HIGH,
                message=f'defined term "{term}" redefined ({where}); {len(related)} {uses} meaning'
                + (f": {shown}" if related else ""),
                document=doc.id,
                clause=new_clause.id,
                citation=where,
                old=text_of(old_clause)[:200],
                new=text_of(new_clause)[:200],
                related=related,
            )
        )
        _ = fwd
    return out
