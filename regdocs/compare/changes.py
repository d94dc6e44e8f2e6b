"""Compare two versions of a corpus: pair documents and clauses and classify each change (no findings)."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.align import PREAMBLE, Alignment, Method, Node, align
from regdocs.compare.cite import cite
from regdocs.compare.editorial import reads_the_same
from regdocs.compare.metadata import changed_metadata
from regdocs.compare.model import ChangeKind, ClauseChange, DocumentDiff, DocumentStatus, Side, Triage
from regdocs.compare.redline import redline, redline_with_similarity
from regdocs.parse.model import Clause, ClauseKind, Corpus, Document


def side_of(node: Node) -> Side:
    c = node.clause
    return Side(
        id=c.id,
        number=c.label,
        citation=cite(c, node.ancestors),
        title=c.title,
        text=c.text,
        path=c.path,
        line=c.line,
    )


def _editorial_equal(a: Clause, b: Clause) -> bool:
    """Formatting-only changes; a title may also change case (`PHYSICAL SECURITY` -> `Physical Security`)."""
    return reads_the_same(a.title.casefold(), b.title.casefold()) and reads_the_same(a.text, b.text)


def _number_key(c: Clause) -> tuple[str, str]:
    return (c.number.unit, c.number.value) if c.number else ("", "")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two versions of a corpus compared clause by clause, before any finding is made."""

    documents: tuple[DocumentDiff, ...]
    """Per-document changes (no findings yet), sorted by document id."""
    alignments: dict[str, Alignment]
    """Document id -> the clause pairing the changes were read from."""


def compare_corpora(old: Corpus, new: Corpus) -> Comparison:
    """Pair documents by id and clauses within them; classify every change (findings come after)."""
    old_docs = {d.id: d for d in old.documents}
    new_docs = {d.id: d for d in new.documents}
    alignments: dict[str, Alignment] = {}
    docs: list[DocumentDiff] = []
    for doc_id in sorted(old_docs.keys() | new_docs.keys()):
        a, b = old_docs.get(doc_id), new_docs.get(doc_id)
        empty = Document(doc_id, doc_id, "", ())
        alignment = align(a or empty, b or empty)
        alignments[doc_id] = alignment
        changes, unchanged = _changes(alignment)
        status = DocumentStatus.MODIFIED
        if a is None:
            status = DocumentStatus.ADDED
        elif b is None:
            status = DocumentStatus.REMOVED
        elif a.path != b.path:
            status = DocumentStatus.RENAMED
        elif all(c.kind is ChangeKind.UNCHANGED for c in changes):
            status = DocumentStatus.UNCHANGED
        meta = changed_metadata(a, b)
        if status is DocumentStatus.UNCHANGED and meta:
            status = DocumentStatus.MODIFIED
        unchanged += sum(1 for c in changes if c.kind is ChangeKind.UNCHANGED)
        kept = tuple(c for c in changes if c.kind is not ChangeKind.UNCHANGED)
        title = b.title if b else (a.title if a else doc_id)
        docs.append(
            DocumentDiff(
                id=doc_id,
                title=title,
                old_path=a.path if a else "",
                new_path=b.path if b else "",
                status=status,
                changes=kept,
                metadata=meta,
                unchanged=unchanged,
            )
        )
    return Comparison(documents=tuple(docs), alignments=alignments)


def pair_change(al: Alignment, i: int, j: int, method: Method) -> ClauseChange:
    """Classify one paired clause: kind, triage and redline."""
    old, new = al.old, al.new
    o, n = old[i].clause, new[j].clause
    relevelled = o.kind is ClauseKind.HEADING and n.kind is ClauseKind.HEADING and o.level != n.level
    modified = o.title != n.title or o.text != n.text or relevelled
    editorial = modified and (old[i].text == new[j].text or _editorial_equal(o, n))  # text: content(clause)
    renumbered = _number_key(o) != _number_key(n)
    moved = i in al.moved
    if moved:
        kind = ChangeKind.MOVED
    elif modified and not editorial:
        kind = ChangeKind.MODIFIED
    elif renumbered:
        kind = ChangeKind.RENUMBERED
    elif modified:
        kind = ChangeKind.MODIFIED
    else:
        kind = ChangeKind.UNCHANGED
    if modified and not editorial:
        triage = Triage.SUBSTANTIVE
    elif moved:
        triage = Triage.MOVE
    elif renumbered:
        auto = (
            o.kind is ClauseKind.ITEM
            and n.kind is ClauseKind.ITEM
            and o.label.endswith(".")
            and n.label.endswith(".")
        )
        triage = Triage.EDITORIAL if auto else Triage.RENUMBER
    elif modified:
        triage = Triage.EDITORIAL
    else:
        triage = Triage.NONE
    old_text, new_text = full_text(o), full_text(n)
    line, sim = redline_with_similarity(old_text, new_text) if modified else ((), 1.0)
    change = ClauseChange(
        kind=kind,
        triage=triage,
        old=(side_of(old[i]),),
        new=(side_of(new[j]),),
        moved=moved,
        renumbered=renumbered,
        modified=modified,
        method=method,
        similarity=round(sim, 3),
        redline=line,
        note=f"heading level {o.level} \u2192 {n.level}" if relevelled else "",
        move=_move_place(al, i, j) if moved else "",
    )
    return change


def _move_place(al: Alignment, i: int, j: int) -> str:
    """Where a moved clause went: `Part 2 \u2192 Part 3` (new container), else `after section 14` among its siblings."""
    old, new = al.old, al.new
    po, pn = old[i].parent, new[j].parent
    if not ((po == -1 and pn == -1) or (po >= 0 and po in al.pairs and al.pairs[po][0] == pn)):
        was = side_of(old[po]).citation if po >= 0 else "top level"
        now = side_of(new[pn]).citation if pn >= 0 else "top level"
        if was == now and po >= 0 and pn >= 0:  # cited alike (one rewritten beyond pairing): tell them apart
            was, now = _told_apart(al, po, pn)
        return f"{was} \u2192 {now}"
    k = j - 1
    while k > pn and (new[k].parent != pn or new[k].clause.id == PREAMBLE):
        k -= 1  # back over the previous sibling's sub-clauses
    if k > pn:
        return f"after {side_of(new[k]).citation}"
    return f"first in {side_of(new[pn]).citation}" if pn >= 0 else "at the start"


_PARTNERS: dict[int, tuple[Alignment, set[int], set[int], dict[int, int]]] = {}


def _partners(al: Alignment) -> tuple[set[int], set[int], dict[int, int]]:
    """Old indices merged away, new indices split off, and new index -> old partner: built once per alignment."""
    cached = _PARTNERS.get(id(al))
    if cached is None or cached[0] is not al:  # an id can be reused once an alignment is gone
        merged = {i for group in al.merges.values() for i in group}
        split = {j for group in al.splits.values() for j in group}
        paired = {j: i for i, (j, _, _) in al.pairs.items()}
        _PARTNERS.clear()  # keep one alignment's maps: memory stays bounded
        cached = _PARTNERS[id(al)] = (al, merged, split, paired)
    return cached[1], cached[2], cached[3]


def _told_apart(al: Alignment, po: int, pn: int) -> tuple[str, str]:
    """`section 4 (removed)`, `section 4 (added)`: an old and a new container cited alike, with their fates."""
    old, new = al.old, al.new
    merged_old, split_new, paired_new = _partners(al)
    fate = "split" if po in al.splits else "removed"
    if po in al.pairs:
        fate = f"now {side_of(new[al.pairs[po][0]]).citation}"
    elif po in merged_old:
        fate = "merged"
    origin = "merged" if pn in al.merges else "added"
    if pn in split_new:
        origin = "split"
    if pn in paired_new:
        origin = f"was {side_of(old[paired_new[pn]]).citation}"
    return f"{side_of(old[po]).citation} ({fate})", f"{side_of(new[pn]).citation} ({origin})"


def _changes(al: Alignment) -> tuple[list[ClauseChange], int]:
    old, new = al.old, al.new
    out: list[tuple[float, ClauseChange]] = []
    new_pos: dict[int, float] = {}
    unchanged = 0
    for i, (j, method, _score) in al.pairs.items():
        oc, nc = old[i].clause, new[j].clause
        if (
            oc.text == nc.text
            and oc.title == nc.title
            and oc.number == nc.number
            and oc.level == nc.level
            and i not in al.moved
        ):
            unchanged += 1  # the common case, kept cheap
            new_pos[i] = j
            continue
        change = pair_change(al, i, j, method)
        new_pos[i] = j
        out.append((j, change))
    for i, group in al.splits.items():
        sides = tuple(side_of(new[j]) for j in group)
        old_text = full_text(old[i].clause)
        new_text = "\n\n".join(full_text(new[j].clause) for j in group)
        change = ClauseChange(
            kind=ChangeKind.SPLIT,
            triage=Triage.SUBSTANTIVE,
            old=(side_of(old[i]),),
            new=sides,
            modified=True,
            method=Method.SPLIT,
            redline=redline(old_text, new_text),
        )
        new_pos[i] = group[0]
        out.append((group[0], change))
    for j, group in al.merges.items():
        sides = tuple(side_of(old[i]) for i in group)
        old_text = "\n\n".join(full_text(old[i].clause) for i in group)
        change = ClauseChange(
            kind=ChangeKind.MERGED,
            triage=Triage.SUBSTANTIVE,
            old=sides,
            new=(side_of(new[j]),),
            modified=True,
            method=Method.MERGE,
            redline=redline(old_text, full_text(new[j].clause)),
        )
        for i in group:
            new_pos[i] = j
        out.append((j, change))
    used_new = {int(v) for v in new_pos.values()}
    for group in al.splits.values():
        used_new.update(group)
    following: dict[int, float] = {}
    upcoming = float(len(new))
    for o in reversed(old):
        if o.index in new_pos:
            upcoming = new_pos[o.index]
        following[o.index] = upcoming
    for o in old:
        if o.index in new_pos or any(o.index in g for g in al.merges.values()):
            continue
        change = _unpaired(al, o, "old")
        out.append((following[o.index] - 0.5 + o.index * 1e-6, change))
    for n in new:
        if n.index not in used_new:
            out.append((n.index, _unpaired(al, n, "new")))
    out.sort(key=lambda pair: pair[0])
    return [c for _, c in out], unchanged


def _unpaired(al: Alignment, node: Node, side: str) -> ClauseChange:
    """A removed (`old`) or added (`new`) clause, with its nearest too-different counterpart if any."""
    cand = al.candidates.get((side, node.index))
    other = al.new if side == "old" else al.old
    hint = f"{other[cand[0]].clause.id} ({round(cand[1] * 100)}%)" if cand else ""
    text = full_text(node.clause)
    if side == "old":
        change = ClauseChange(
            kind=ChangeKind.REMOVED,
            triage=Triage.SUBSTANTIVE,
            old=(side_of(node),),
            new=(),
            candidate=hint,
            redline=redline(text, ""),
        )
    else:
        change = ClauseChange(
            kind=ChangeKind.ADDED,
            triage=Triage.SUBSTANTIVE,
            old=(),
            new=(side_of(node),),
            candidate=hint,
            redline=redline("", text),
        )
    return change


def full_text(c: Clause) -> str:
    """Title and text as one string for redlines."""
    if c.title and c.text:
        return f"{c.title}\n\n{c.text}"
    return c.title or c.text
