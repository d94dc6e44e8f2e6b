"""Findings that matter: obligations, numbers, cross-references and defined terms that changed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from regdocs.compare.align import Alignment
from regdocs.compare.model import (
    ChangeKind,
    ClauseChange,
    DocumentDiff,
    Finding,
    FindingKind,
    FindingSeverity,
    Side,
    Triage,
)
from regdocs.findings.references import Lookups, lookups, mask_refs, xref_findings
from regdocs.findings.terms import term_findings
from regdocs.parse.model import Clause, Corpus

if TYPE_CHECKING:
    from regdocs.findings.text import TextFinding


def consequential(
    old: Corpus,
    new: Corpus,
    alignments: dict[str, Alignment],
    docs: tuple[DocumentDiff, ...],
    shared: Lookups | None = None,
) -> tuple[DocumentDiff, ...]:
    """Downgrade to editorial the edits that only renumber cross-references to follow their moved targets."""
    shared = shared or lookups(old, new, alignments)
    fwd, old_res, new_res = shared.fwd, shared.old, shared.new
    old_docs, new_docs = {d.id: d for d in old.documents}, {d.id: d for d in new.documents}
    out: list[DocumentDiff] = []
    for d in docs:
        al = alignments[d.id]
        by_old = {n.clause.id: n.clause for n in al.old}
        by_new = {n.clause.id: n.clause for n in al.new}
        changes: list[ClauseChange] = []
        for c in d.changes:
            if (
                c.triage is Triage.SUBSTANTIVE
                and c.kind in (ChangeKind.MODIFIED, ChangeKind.MOVED)
                and len(c.old) == len(c.new) == 1
                and d.id in old_docs
                and d.id in new_docs
            ):
                o, n = by_old.get(c.old[0].id), by_new.get(c.new[0].id)
                if (
                    o is not None  # a clause moved in from another document is not in this alignment
                    and n is not None
                    and o.path == c.old[0].path
                    and o.attributes
                    == n.attributes  # a row's Level or CWE changed: no renumbering follows that
                    and mask_refs(f"{o.title} {o.text}") == mask_refs(f"{n.title} {n.text}")
                    and len(o.refs) == len(n.refs)
                ):
                    follows = True
                    for ro, rn in zip(o.refs, n.refs, strict=True):
                        to = old_res.resolve(old_docs[d.id], o, ro)
                        tn = new_res.resolve(new_docs[d.id], n, rn)
                        if not isinstance(to, Clause) or tn is None or fwd.get(id(to)) is not tn:
                            follows = ro.target == rn.target and (to is None) == (tn is None)
                            if not follows:
                                break
                    if follows:
                        c = replace(
                            c,
                            triage=Triage.EDITORIAL,
                            findings=(),
                            note="only cross-reference numbers changed, following their renumbered targets",
                        )
            changes.append(c)
        out.append(replace(d, changes=tuple(changes)))
    return tuple(out)


_QUALIFIER_RE = re.compile(
    r"(?i)\b(?:where|if|to the extent that|insofar as)\s+(?:it|the \w+|they|he or she)\s+(?:considers?|deems?|thinks?)"
    r"\s+(?:it\s+)?(?:appropriate|necessary|reasonable|fit)"
    r"|\b(?:where|if|so far as is|as far as is|to the extent)\s+(?:reasonably\s+)?(?:practicable|possible|feasible|appropriate)"
    r"|\b(?:reasonable|best|all reasonable)\s+(?:endeavours|endeavors|efforts|steps)"
    r"|\bat (?:its|their) (?:sole |absolute )?discretion"
    r"|\bunless (?:otherwise )?agreed"
)


_QUALIFIER_ENDS = (
    "appropriate", "necessary", "reasonable", "fit", "practicable", "possible", "feasible", "endeavo",
    "efforts", "steps", "discretion", "agreed",
)  # fmt: skip
"""Every qualifier holds one of these words: texts without any (most) skip the pattern."""
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The non-ASCII letters `re.IGNORECASE` equates with ASCII ones (İ ı ſ K), made ASCII before `lower()`."""


def _qualifiers(text: str) -> list[str]:
    low = text.translate(_FOLD).lower()
    if not any(word in low for word in _QUALIFIER_ENDS):
        return []
    return [" ".join(m.group(0).lower().split()) for m in _QUALIFIER_RE.finditer(text)]


def qualifier_findings(old: str, new: str) -> list[TextFinding]:
    """Discretion added (`where it considers it appropriate`, `reasonable steps`) weakens; removed strengthens."""
    from regdocs.findings.text import TextChange, TextFinding

    listed = _qualifiers(old), _qualifiers(new)
    if listed[0] == listed[1]:
        return []
    before, after = Counter(listed[0]), Counter(listed[1])
    out: list[TextFinding] = []
    for phrase in sorted((after - before).elements()):
        out.append(
            TextFinding(
                kind=FindingKind.WEAKENED,
                change=TextChange.QUALIFIER,
                severity=FindingSeverity.HIGH,
                message=f'obligation weakened: qualifier added "{phrase}"',
                old="",
                new=phrase,
            )
        )
    for phrase in sorted((before - after).elements()):
        out.append(
            TextFinding(
                kind=FindingKind.STRENGTHENED,
                change=TextChange.QUALIFIER,
                severity=FindingSeverity.MEDIUM,
                message=f'obligation strengthened: qualifier removed "{phrase}"',
                old=phrase,
                new="",
            )
        )
    return out


def clause_findings(change: ClauseChange, doc_id: str) -> list[Finding]:
    """Findings inside one changed clause: obligations weakened or strengthened, numbers changed."""
    from regdocs.findings.quantities import number_findings
    from regdocs.findings.text import TextChange, modal_findings, modals, strength

    side = (change.new or change.old)[0]
    out: list[Finding] = []
    if change.kind in (ChangeKind.REMOVED, ChangeKind.ADDED):
        removed = change.kind is ChangeKind.REMOVED
        text = _joined(change.old if removed else change.new)
        binding = [m for m in modals(text) if strength(m)[0] == 3]
        if binding:
            message = (
                f"{side.citation} {'removed' if removed else 'added'} with {len(binding)} binding "
                f"obligation{'s' * (len(binding) != 1)} ({', '.join(sorted(set(binding)))})"
            )
            snippet = text[:160]
            out.append(
                Finding(
                    kind=FindingKind.OBLIGATION_REMOVED if removed else FindingKind.OBLIGATION_ADDED,
                    severity=FindingSeverity.HIGH if removed else FindingSeverity.MEDIUM,
                    message=message,
                    document=doc_id,
                    clause=side.id,
                    citation=side.citation,
                    old=snippet if removed else "",
                    new="" if removed else snippet,
                )
            )
        return out
    old_text, new_text = _joined(change.old), _joined(change.new)
    for tf in (
        modal_findings(old_text, new_text)
        + qualifier_findings(old_text, new_text)
        + number_findings(old_text, new_text)
    ):
        if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED) and tf.change is TextChange.OBLIGATION:
            continue  # counted below: one "shall" may govern both halves of a merge
        out.append(
            Finding(
                kind=tf.kind,
                severity=tf.severity,
                message=f"{side.citation}: {tf.message}",
                document=doc_id,
                clause=side.id,
                citation=side.citation,
                old=tf.old,
                new=tf.new,
            )
        )
    if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED):
        out += _pieces_findings(change, doc_id, old_text, new_text)
    return out


def _joined(sides: tuple[Side, ...]) -> str:
    """The titles and texts of one side of a change, a blank line between clauses."""
    if len(sides) == 1:
        return f"{sides[0].title} {sides[0].text}".strip()
    return "\n\n".join(f"{s.title} {s.text}".strip() for s in sides)


def _pieces_findings(change: ClauseChange, doc_id: str, old_text: str, new_text: str) -> list[Finding]:
    """For a split or merge, report a binding modal only when it vanishes from, or first appears in, all pieces."""
    from regdocs.findings.text import modals, strength

    side = (change.new or change.old)[0]
    before = {m for m in modals(old_text) if strength(m)[0] == 3}
    after = {m for m in modals(new_text) if strength(m)[0] == 3}
    out = [
        Finding(
            kind=FindingKind.WEAKENED,
            severity=FindingSeverity.HIGH,
            message=f'{side.citation}: obligation removed: "{m}"',
            document=doc_id,
            clause=side.id,
            citation=side.citation,
            old=m,
        )
        for m in sorted(before - after)
    ]
    out += [
        Finding(
            kind=FindingKind.STRENGTHENED,
            severity=FindingSeverity.MEDIUM,
            message=f'{side.citation}: obligation added: "{m}"',
            document=doc_id,
            clause=side.id,
            citation=side.citation,
            new=m,
        )
        for m in sorted(after - before)
    ]
    return out


def corpus_findings(
    old: Corpus,
    new: Corpus,
    alignments: dict[str, Alignment],
    docs: tuple[DocumentDiff, ...],
    shared: Lookups | None = None,
) -> list[Finding]:
    """Findings that need both whole versions: cross-references and defined terms."""
    shared = shared or lookups(old, new, alignments)
    return xref_findings(old, new, alignments, shared) + term_findings(old, new, alignments)
