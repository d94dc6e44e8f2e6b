"""Findings about cross-references: dangling after a change, or pointing elsewhere than they meant."""

from __future__ import annotations

import re
from dataclasses import dataclass

from regdocs.compare.align import Alignment, content
from regdocs.compare.cite import cite
from regdocs.compare.model import Finding, FindingKind, FindingSeverity
from regdocs.parse.model import Clause, Corpus, CrossRef, Document, RefKind
from regdocs.parse.references import Resolver
from regdocs.parse.units import Form, alternatives

_MASKED_UNITS = (
    "section", "part", "article", "schedule", "paragraph", "subsection", "regulation", "rule", "clause", "chapter",
)  # fmt: skip
_REF_MASK = re.compile(
    r"\b(?i:" + alternatives(_MASKED_UNITS, Form.WORD | Form.PLURAL) + r")"
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
    fwd, back = partner_maps(alignments)
    return Lookups(old=Resolver(old.documents), new=Resolver(new.documents), fwd=fwd, back=back)


def partner_maps(alignments: dict[str, Alignment]) -> tuple[dict[int, Clause], dict[int, Clause]]:
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


class Cites:
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


class DanglingBefore:
    """References that already pointed nowhere in the old version: a diff reports only those a change broke.

    A clause's partner tells it for the references the clause kept; a reference of a clause paired with none, or
    with another piece of a merge, is looked up by its target anywhere in the old document.
    """

    def __init__(self, old: Resolver) -> None:
        self._old = old
        self._refs: dict[int, tuple[Document, dict[tuple[str, str], tuple[Clause, CrossRef]]]] = {}

    def __call__(self, old_doc: Document, ref: CrossRef) -> bool:
        """Whether `ref`'s target was written in `old_doc` too and pointed nowhere there."""
        if ref.target.startswith("relative"):
            return False  # where a relative reference points depends on its clause: the partner tells
        entry = self._refs.get(id(old_doc))
        if entry is None or entry[0] is not old_doc:
            written: dict[tuple[str, str], tuple[Clause, CrossRef]] = {}
            for clause in old_doc.walk():
                for r in clause.refs:
                    written.setdefault((r.document, r.target), (clause, r))
            entry = self._refs[id(old_doc)] = (old_doc, written)
        hit = entry[1].get((ref.document, ref.target))
        return hit is not None and hit[1].kind is ref.kind and self._old.resolve(old_doc, *hit) is None


def xref_findings(
    old: Corpus, new: Corpus, alignments: dict[str, Alignment], shared: Lookups
) -> list[Finding]:
    """Cross-references a change left pointing nowhere, or pointing elsewhere than they meant."""
    fwd, back, old_res, new_res = shared.fwd, shared.back, shared.old, shared.new
    cites = Cites(alignments)
    dangling_before = DanglingBefore(old_res)
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
                    if was is None and (
                        ref.target in old_refs or (old_doc is not None and dangling_before(old_doc, ref))
                    ):
                        continue  # already dangling before: lint's business, not a change
                    here = cites.get(id(clause), clause.id)
                    hint = ""
                    if isinstance(was, Clause):
                        now = fwd.get(id(was))
                        hint = (
                            (
                                f"; it meant {cites.get(id(was), was.id)} ({clause_name(was)}), now {cites.get(id(now), now.id)}: "
                                f"write '{_suggest(ref.text, cites.get(id(now), now.id))}'"
                            )
                            if now is not None
                            else f"; it meant {cites.get(id(was), was.id)} ({clause_name(was)}), which was removed"
                        )
                    out.append(
                        Finding(
                            kind=FindingKind.XREF_DANGLING,
                            severity=FindingSeverity.HIGH,
                            message=f"{here}: cross-reference '{ref.text}' points to no clause{hint}",
                            document=doc.id,
                            clause=clause.id,
                            citation=here,
                            new=ref.text,
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
                                kind=FindingKind.XREF_RETARGETED,
                                severity=FindingSeverity.HIGH,
                                message=f"{here}: '{ref.text}' meant {clause_name(was)} but now points to "
                                f"{clause_name(target)}; {clause_name(was)} is now {now_cite}: write "
                                f"'{_suggest(ref.text, now_cite)}'",
                                document=doc.id,
                                clause=clause.id,
                                citation=here,
                                old=ref.text,
                                new=_suggest(ref.text, now_cite),
                            )
                        )
                    elif moved_to is None and was is not None:
                        here = cites.get(id(clause), clause.id)
                        out.append(
                            Finding(
                                kind=FindingKind.XREF_RETARGETED,
                                severity=FindingSeverity.HIGH,
                                message=f"{here}: '{ref.text}' meant {clause_name(was)}, which was removed; it now "
                                f"points to {clause_name(target)}",
                                document=doc.id,
                                clause=clause.id,
                                citation=here,
                                old=ref.text,
                            )
                        )
    return out


def clause_name(c: Clause) -> str:
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
