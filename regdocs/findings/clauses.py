"""Findings that matter: obligations, numbers, cross-references and defined terms that changed."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from regdocs.compare.align import Alignment, content
from regdocs.compare.cite import cite
from regdocs.compare.model import ChangeKind, ClauseChange, DocumentDiff, Finding, Triage
from regdocs.parse.model import Clause, Corpus, Document, RefKind
from regdocs.parse.references import Resolver
from regdocs.parse.terms import TermIndex

if TYPE_CHECKING:
    from regdocs.findings.text import TextFinding

_REF_MASK = re.compile(
    r"\b(?i:sections?|parts?|articles?|schedules?|paragraphs?|subsections?|regulations?|rules?|clauses?|chapters?)"
    r"\s+(?:[0-9][\w.]*|[A-Z](?![\w'\u2019]))(?:\([\w]+\))*"
)


def mask_refs(text: str) -> str:
    """Replace cross-reference numbers by a placeholder: texts equal under it differ only in references."""
    return " ".join(_REF_MASK.sub("REF", text).split())


@dataclass(frozen=True, slots=True)
class Lookups:
    """What every finding of one comparison looks up: each version's resolver and the clause partners."""

    old: Resolver
    """Resolves references in the old version."""
    new: Resolver
    """Resolves references in the new version."""
    fwd: dict[int, Clause]
    """id(old clause) -> its new partner (a split: its first piece)."""
    back: dict[int, Clause]
    """id(new clause) -> its old partner (a merge: its first piece)."""


def lookups(old: Corpus, new: Corpus, alignments: dict[str, Alignment]) -> Lookups:
    """Build the resolvers and partner maps once (each resolver indexes every number of its version)."""
    fwd, back = _partner_maps(alignments)
    return Lookups(Resolver(old.documents), Resolver(new.documents), fwd, back)


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
                o, n = by_old[c.old[0].id], by_new[c.new[0].id]
                if mask_refs(f"{o.title} {o.text}") == mask_refs(f"{n.title} {n.text}") and len(
                    o.refs
                ) == len(n.refs):
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
    from regdocs.findings.text import TextFinding

    listed = _qualifiers(old), _qualifiers(new)
    if listed[0] == listed[1]:
        return []
    before, after = Counter(listed[0]), Counter(listed[1])
    out: list[TextFinding] = []
    for phrase in sorted((after - before).elements()):
        out.append(
            TextFinding("weakened", "high", f'obligation weakened: qualifier added "{phrase}"', "", phrase)
        )
    for phrase in sorted((before - after).elements()):
        out.append(
            TextFinding(
                "strengthened", "medium", f'obligation strengthened: qualifier removed "{phrase}"', phrase, ""
            )
        )
    return out


def clause_findings(change: ClauseChange, doc_id: str) -> list[Finding]:
    """Findings inside one changed clause: obligations weakened or strengthened, numbers changed."""
    from regdocs.findings.text import modal_findings, modals, number_findings, strength

    side = (change.new or change.old)[0]
    old_text = "\n\n".join(f"{s.title} {s.text}".strip() for s in change.old)
    new_text = "\n\n".join(f"{s.title} {s.text}".strip() for s in change.new)
    out: list[Finding] = []
    if change.kind in (ChangeKind.REMOVED, ChangeKind.ADDED):
        removed = change.kind is ChangeKind.REMOVED
        text = old_text if removed else new_text
        binding = [m for m in modals(text) if strength(m)[0] == 3]
        if binding:
            kind, severity, verb = (
                ("obligation-removed", "high", "removed")
                if removed
                else ("obligation-added", "medium", "added")
            )
            message = (
                f"{side.citation} {verb} with {len(binding)} binding obligation{'s' * (len(binding) != 1)} "
                f"({', '.join(sorted(set(binding)))})"
            )
            snippet = text[:160]
            out.append(
                Finding(
                    kind,
                    severity,
                    message,
                    doc_id,
                    side.id,
                    side.citation,
                    snippet if removed else "",
                    "" if removed else snippet,
                )
            )
        return out
    for tf in (
        modal_findings(old_text, new_text)
        + qualifier_findings(old_text, new_text)
        + number_findings(old_text, new_text)
    ):
        if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED) and tf.message.startswith(
            ("obligation removed", "obligation added")
        ):
            continue  # counted below: one "shall" may govern both halves of a merge
        out.append(
            Finding(
                tf.kind,
                tf.severity,
                f"{side.citation}: {tf.message}",
                doc_id,
                side.id,
                side.citation,
                tf.old,
                tf.new,
            )
        )
    if change.kind in (ChangeKind.SPLIT, ChangeKind.MERGED):
        out += _pieces_findings(change, doc_id, old_text, new_text)
    return out


def _pieces_findings(change: ClauseChange, doc_id: str, old_text: str, new_text: str) -> list[Finding]:
    """For a split or merge, report a binding modal only when it vanishes from, or first appears in, all pieces."""
    from regdocs.findings.text import modals, strength

    side = (change.new or change.old)[0]
    before = {m for m in modals(old_text) if strength(m)[0] == 3}
    after = {m for m in modals(new_text) if strength(m)[0] == 3}
    out = [
        Finding(
            "weakened",
            "high",
            f'{side.citation}: obligation removed: "{m}"',
            doc_id,
            side.id,
            side.citation,
            m,
            "",
        )
        for m in sorted(before - after)
    ]
    out += [
        Finding(
            "strengthened",
            "medium",
            f'{side.citation}: obligation added: "{m}"',
            doc_id,
            side.id,
            side.citation,
            "",
            m,
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
    return _xref_findings(old, new, alignments, shared) + _term_findings(old, new, alignments)


def _partner_maps(alignments: dict[str, Alignment]) -> tuple[dict[int, Clause], dict[int, Clause]]:
    """Map clause object ids old->new and new->old across every document (splits map to their first piece)."""
    fwd: dict[int, Clause] = {}
    back: dict[int, Clause] = {}
    for al in alignments.values():
        for i, (j, _, _) in al.pairs.items():
            fwd[id(al.old[i].clause)] = al.new[j].clause
            back[id(al.new[j].clause)] = al.old[i].clause
        for i, group in al.splits.items():
            fwd[id(al.old[i].clause)] = al.new[group[0]].clause
            for j in group:
                back[id(al.new[j].clause)] = al.old[i].clause
        for j, group in al.merges.items():
            for i in group:
                fwd[id(al.old[i].clause)] = al.new[j].clause
            back[id(al.new[j].clause)] = al.old[group[0]].clause
    return fwd, back


class _Cites:
    """Citations of clauses by object id, computed on first use (most clauses are never cited)."""

    def __init__(self, alignments: dict[str, Alignment]) -> None:
        self._nodes = {id(n.clause): n for al in alignments.values() for n in (*al.old, *al.new)}
        self._done: dict[int, str] = {}

    def get(self, key: int, default: str) -> str:
        if key not in self._done:
            node = self._nodes.get(key)
            if node is None:
                return default
            self._done[key] = cite(node.clause, node.ancestors)
        return self._done[key]


def _cites(alignments: dict[str, Alignment]) -> _Cites:
    return _Cites(alignments)


def _xref_findings(
    old: Corpus, new: Corpus, alignments: dict[str, Alignment], shared: Lookups
) -> list[Finding]:
    fwd, back, old_res, new_res = shared.fwd, shared.back, shared.old, shared.new
    cites = _cites(alignments)
    old_docs = {d.id: d for d in old.documents}
    new_docs = {d.id: d for d in new.documents}
    out: list[Finding] = []
    for doc in new.documents:
        old_doc = old_docs.get(doc.id)
        al = alignments.get(doc.id)
        # the aligner's flat list is the walk, without a generator per level
        walk = [n.clause for n in al.new] if al is not None and new_docs[doc.id] is doc else doc.walk()
        for clause in walk:
            if not clause.refs:
                continue
            before = back.get(id(clause))
            old_refs = {r.target: r for r in before.refs} if before is not None else {}
            for ref in clause.refs:
                target = new_res.resolve(doc, clause, ref)
                was = None
                if ref.target in old_refs and old_doc is not None and before is not None:
                    was = old_res.resolve(old_doc, before, old_refs[ref.target])
                if target is None:
                    if ref.target in old_refs and was is None:
                        continue  # already dangling before: lint's business, not a change
                    here = cites.get(id(clause), clause.id)
                    hint = ""
                    if isinstance(was, Clause):
                        now = fwd.get(id(was))
                        hint = (
                            (
                                f"; it meant {cites.get(id(was), was.id)} ({_name(was)}), now {cites.get(id(now), now.id)}: "
                                f"write '{_suggest(ref.text, cites.get(id(now), now.id))}'"
                            )
                            if now is not None
                            else f"; it meant {cites.get(id(was), was.id)} ({_name(was)}), which was removed"
                        )
                    out.append(
                        Finding(
                            "xref-dangling",
                            "high",
                            f"{here}: cross-reference '{ref.text}' points to no clause{hint}",
                            doc.id,
                            clause.id,
                            here,
                            "",
                            ref.text,
                        )
                    )
                    continue
                if ref.kind is RefKind.TEXT and isinstance(was, Clause) and isinstance(target, Clause):
                    moved_to = fwd.get(id(was))
                    if moved_to is not None and moved_to is not target:
                        here = cites.get(id(clause), clause.id)
                        now_cite = cites.get(id(moved_to), moved_to.id)
                        out.append(
                            Finding(
                                "xref-retargeted",
                                "high",
                                f"{here}: '{ref.text}' meant {_name(was)} but now points to {_name(target)}; "
                                f"{_name(was)} is now {now_cite}: write '{_suggest(ref.text, now_cite)}'",
                                doc.id,
                                clause.id,
                                here,
                                ref.text,
                                _suggest(ref.text, now_cite),
                            )
                        )
                    elif moved_to is None and was is not None:
                        here = cites.get(id(clause), clause.id)
                        out.append(
                            Finding(
                                "xref-retargeted",
                                "high",
                                f"{here}: '{ref.text}' meant {_name(was)}, which was removed; it now points to {_name(target)}",
                                doc.id,
                                clause.id,
                                here,
                                ref.text,
                                "",
                            )
                        )
    return out


def _name(c: Clause) -> str:
    if c.title:
        return f'"{c.title}"'
    words = content(c).split()
    return '"' + " ".join(words[:6]) + ("…" if len(words) > 6 else "") + '"'


def _suggest(ref_text: str, citation: str) -> str:
    """Rewrite a reference with the new citation, keeping the reader's wording (`section 24(3)` -> `section 25(3)`)."""
    head = ref_text.split(" of ")[-1] if " of " in ref_text else ref_text
    unit = head.split()[0] if head.split() else ""
    cit_unit, _, rest = citation.partition(" ")
    if unit and unit.lower() == cit_unit.lower():
        return ref_text.replace(head, f"{unit} {rest}") if rest else ref_text
    return citation


def _glossary(corpus: Corpus) -> dict[str, tuple[Document, Clause, str]]:
    out: dict[str, tuple[Document, Clause, str]] = {}
    for doc in corpus.documents:
        for clause in doc.walk():
            for term in clause.terms:
                out.setdefault(term.term.lower(), (doc, clause, term.term))
    return out


def _term_findings(old: Corpus, new: Corpus, alignments: dict[str, Alignment]) -> list[Finding]:
    fwd, _ = _partner_maps(alignments)
    cites = _cites(alignments)
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
                "term-removed",
                "medium",
                f'defined term "{term}" removed ({cites.get(id(clause), clause.id)})',
                doc.id,
                clause.id,
                cites.get(id(clause), clause.id),
                text_of(clause)[:160],
                "",
            )
        )
    for key in sorted(after.keys() - before.keys()):
        doc, clause, term = after[key]
        out.append(
            Finding(
                "term-added",
                "low",
                f'defined term "{term}" added ({cites.get(id(clause), clause.id)})',
                doc.id,
                clause.id,
                cites.get(id(clause), clause.id),
                "",
                text_of(clause)[:160],
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
                "term-redefined",
                "high",
                f'defined term "{term}" redefined ({where}); {len(related)} {uses} meaning'
                + (f": {shown}" if related else ""),
                doc.id,
                new_clause.id,
                where,
                text_of(old_clause)[:200],
                text_of(new_clause)[:200],
                related,
            )
        )
        _ = fwd
    return out
