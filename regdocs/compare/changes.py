"""Compare two versions of a corpus: pair documents and clauses and classify each change (no findings)."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from regdocs.compare.across import move_between, pair_documents
from regdocs.compare.align import PREAMBLE, Alignment, Method, Node, align
from regdocs.compare.cite import cite
from regdocs.compare.editorial import reads_the_same, titles_read_the_same
from regdocs.compare.metadata import changed_metadata
from regdocs.compare.model import ChangeKind, ClauseChange, DocumentDiff, DocumentStatus, Side, Triage
from regdocs.compare.redline import redline, redline_with_similarity
from regdocs.compare.wording import Rarity
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
    """Formatting-only changes; a title may also change case and punctuation (`PHYSICAL SECURITY` -> `Physical Security`)."""
    return titles_read_the_same(a.title, b.title) and reads_the_same(a.text, b.text)


def _number_key(c: Clause) -> tuple[str, str]:
    return (c.number.unit, c.number.value) if c.number else ("", "")


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two versions of a corpus compared clause by clause, before any finding is made."""

    documents: tuple[DocumentDiff, ...]
    """Per-document changes (no findings yet), sorted by document id."""
    alignments: dict[str, Alignment]
    """Document id (as in `documents`) -> the clause pairing the changes were read from; a clause moved
    between documents is in `Alignment.departed` of the one and `Alignment.arrived` of the other."""


def compare_corpora(old: Corpus, new: Corpus) -> Comparison:
    """Pair documents and the clauses within and across them; classify every change (findings come after).

    A document is known by its new id (its old id when removed); a clause that moved to another document
    is a `moved` change of the document it went to, whose old side names the file it came from.
    """
    rarity = Rarity(chain.from_iterable(d.walk() for d in (*old.documents, *new.documents)))
    paired = pair_documents(old.documents, new.documents, rarity)
    aligned: list[tuple[str, str, Alignment]] = []
    for a, b in paired:
        empty = Document(_key(a, b), _key(a, b), "", ())
        aligned.append((a.id if a else "", b.id if b else "", align(a or empty, b or empty, rarity)))
    move_between(aligned, rarity)
    alignments: dict[str, Alignment] = {}
    docs: list[DocumentDiff] = []
    for (a, b), (_, _, alignment) in sorted(zip(paired, aligned, strict=True), key=lambda p: _key(*p[0])):
        alignments[_key(a, b)] = alignment
        docs.append(_document_diff(a, b, alignment))
    return Comparison(documents=tuple(docs), alignments=alignments)


def _key(a: Document | None, b: Document | None) -> str:
    """The id a document is known by in a comparison: its new id, else its old one."""
    return b.id if b else a.id if a else ""


def _document_diff(a: Document | None, b: Document | None, alignment: Alignment) -> DocumentDiff:
    """The changes of one document (`a` its old version, `b` its new one; None when added or removed)."""
    doc_id = _key(a, b)
    changes, unchanged = _changes(alignment)
    status = DocumentStatus.MODIFIED
    if a is None:
        status = DocumentStatus.ADDED
    elif b is None:
        status = DocumentStatus.REMOVED
    elif a.path != b.path:
        status = DocumentStatus.RENAMED
    elif all(c.kind is ChangeKind.UNCHANGED for c in changes) and not alignment.departed:
        status = DocumentStatus.UNCHANGED
    meta = changed_metadata(a, b)
    if status is DocumentStatus.UNCHANGED and meta:
        status = DocumentStatus.MODIFIED
    unchanged += sum(1 for c in changes if c.kind is ChangeKind.UNCHANGED)
    return DocumentDiff(
        id=doc_id,
        title=b.title if b else (a.title if a else doc_id),
        old_path=a.path if a else "",
        new_path=b.path if b else "",
        status=status,
        changes=tuple(c for c in changes if c.kind is not ChangeKind.UNCHANGED),
        metadata=meta,
        unchanged=unchanged,
    )


def pair_change(al: Alignment, i: int, j: int, method: Method) -> ClauseChange:
    """Classify one paired clause: kind, triage and redline."""
    moved = i in al.moved
    return _classify(al.old[i], al.new[j], method, moved, _move_place(al, i, j) if moved else "")


def _classify(was: Node, now: Node, method: Method, moved: bool, move: str) -> ClauseChange:
    """Classify a clause and its counterpart (`move`: where it went, when it moved)."""
    o, n = was.clause, now.clause
    relevelled = o.kind is ClauseKind.HEADING and n.kind is ClauseKind.HEADING and o.level != n.level
    reattributed = o.attributes != n.attributes  # a row's other cells: `Level 2 -> 1` is no editorial change
    modified = o.title != n.title or o.text != n.text or relevelled or reattributed
    # old[i].text is content(clause); a row whose Level changed did not only change its formatting
    editorial = modified and not reattributed and (was.text == now.text or _editorial_equal(o, n))
    renumbered = _number_key(o) != _number_key(n)
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
    return ClauseChange(
        kind=kind,
        triage=triage,
        old=(side_of(was),),
        new=(side_of(now),),
        moved=moved,
        renumbered=renumbered,
        modified=modified,
        method=method,
        similarity=round(sim, 3),
        redline=line,
        note=f"heading level {o.level} \u2192 {n.level}" if relevelled else "",
        move=move,
    )


def _arrival(al: Alignment, j: int) -> ClauseChange:
    """A clause moved here from another document: `V2.1 in old.md \u2192 V6.2 in new.md` (parents and files)."""
    was, now = al.arrived[j].node, al.new[j]
    move = f"{_parent_citation(was)} in {was.clause.path} \u2192 {_parent_citation(now)} in {now.clause.path}"
    return _classify(was, now, al.arrived[j].method, True, move)


def _parent_citation(node: Node) -> str:
    """How a clause's parent is cited (`top level` for none)."""
    if not node.ancestors:
        return "top level"
    return cite(node.ancestors[-1], node.ancestors[:-1])


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
            and oc.attributes == nc.attributes
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
    merged = {i for group in al.merges.values() for i in group}
    for o in old:
        if (
            o.index in new_pos or o.index in merged or o.index in al.departed
        ):  # departed: told where it arrived
            continue
        change = _unpaired(al, o, "old")
        out.append((following[o.index] - 0.5 + o.index * 1e-6, change))
    for n in new:
        if n.index in al.arrived:
            out.append((n.index, _arrival(al, n.index)))
        elif n.index not in used_new:
            out.append((n.index, _unpaired(al, n, "new")))
    out.sort(key=lambda pair: pair[0])
    return [c for _, c in out], unchanged


def _unpaired(al: Alignment, node: Node, side: str) -> ClauseChange:
    """A removed (`old`) or added (`new`) clause, with its nearest too-different counterpart if any."""
    hint = possible_matches(al, side, node.index)
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


MATCHES = 3
"""Possible counterparts named for a clause left unpaired."""


def possible_matches(al: Alignment, side: str, index: int) -> str:
    """`id (48%), id (41%)`: the clause's best too-different counterparts (its nearest wording first)."""
    other = al.new if side == "old" else al.old
    found = [al.candidates[(side, index)]] if (side, index) in al.candidates else []
    found += [m for m in al.alternatives.get((side, index), ()) if m[0] not in {k for k, _ in found}]
    return ", ".join(f"{other[k].clause.id} ({round(s * 100)}%)" for k, s in found[:MATCHES])


def full_text(c: Clause) -> str:
    """Title and text as one string for redlines; a table row's attributes after its text, a line each."""
    text = f"{c.title}\n\n{c.text}" if c.title and c.text else c.title or c.text
    if c.attributes:
        named = "\n".join(f"{name}: {value}" for name, value in c.attributes)
        return f"{text}\n\n{named}" if text else named
    return text
