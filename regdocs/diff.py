"""Diff two versions of a corpus: pair documents and clauses, classify each change, collect findings."""

from __future__ import annotations

from collections.abc import Callable

from regdocs.align import Alignment, Node, align, content
from regdocs.diffmodel import ChangeKind, ClauseChange, CorpusDiff, DocumentDiff, Finding, Side, Triage
from regdocs.editorial import reads_the_same
from regdocs.metadata import changed_metadata, metadata_findings
from regdocs.model import Clause, ClauseKind, Corpus, Document
from regdocs.numbering import CONTAINER_UNITS
from regdocs.redline import redline, similarity

_SEVERITY = {"high": 0, "medium": 1, "low": 2}


def cite(node_clause: Clause, ancestors: tuple[Clause, ...]) -> str:
    """How a reader cites a clause: `section 20(2)(b)`, `Part 3`, `Schedule 1(3)`, or its title."""
    chain = [*ancestors, node_clause]
    start = next((k for k, c in enumerate(chain) if c.number and c.number.unit not in CONTAINER_UNITS), None)
    if start is None:
        last = chain[-1]
        if last.number is None and not last.title:
            return "preamble"
        return (
            f"{last.number.unit.capitalize()} {last.number.value.upper() if last.number.value.isalpha() else last.number.value}"
            if last.number
            else (last.title or last.id)
        )
    head = chain[start]
    assert head.number is not None
    n = head.number
    if n.unit:
        base = f"{n.unit.capitalize() if n.unit != 'section' else 'section'} {n.value.upper() if n.value.isalpha() and n.style.startswith('upper') else n.value}"
    elif head.kind is ClauseKind.HEADING:
        base = f"section {n.value.upper() if n.style.startswith('upper') else n.value}"
    else:
        parent_title = chain[start - 1].title if start else ""
        base = (parent_title + " " if parent_title else "") + f"({n.value})"
    subs = "".join(f"({c.number.value})" for c in chain[start + 1 :] if c.number)
    return base + subs


def _side(node: Node) -> Side:
    c = node.clause
    return Side(c.id, c.label, cite(c, node.ancestors), c.title, c.text, c.path, c.line)


def _editorial_equal(a: Clause, b: Clause) -> bool:
    """Formatting-only changes; a title may also change case (`PHYSICAL SECURITY` -> `Physical Security`)."""
    return reads_the_same(a.title.casefold(), b.title.casefold()) and reads_the_same(a.text, b.text)


def _number_key(c: Clause) -> tuple[str, str]:
    return (c.number.unit, c.number.value) if c.number else ("", "")


def diff_corpora(old: Corpus, new: Corpus) -> CorpusDiff:
    """Compare two versions of a corpus."""
    from regdocs.gcpause import gc_paused

    with gc_paused():
        return _diff_corpora(old, new)


def _diff_corpora(old: Corpus, new: Corpus) -> CorpusDiff:
    from regdocs.findings import consequential, corpus_findings

    old_docs = {d.id: d for d in old.documents}
    new_docs = {d.id: d for d in new.documents}
    alignments: dict[str, Alignment] = {}
    docs: list[DocumentDiff] = []
    meta_findings: list[Finding] = []
    for doc_id in sorted(old_docs.keys() | new_docs.keys()):
        a, b = old_docs.get(doc_id), new_docs.get(doc_id)
        empty = Document(doc_id, doc_id, "", ())
        alignment = align(a or empty, b or empty)
        alignments[doc_id] = alignment
        changes, unchanged = _changes(alignment, doc_id)
        status = "modified"
        if a is None:
            status = "added"
        elif b is None:
            status = "removed"
        elif a.path != b.path:
            status = "renamed"
        elif all(c.kind is ChangeKind.UNCHANGED for c in changes):
            status = "unchanged"
        meta = changed_metadata(a, b)
        meta_findings += metadata_findings(doc_id, meta)
        if status == "unchanged" and meta:
            status = "modified"
        unchanged += sum(1 for c in changes if c.kind is ChangeKind.UNCHANGED)
        kept = tuple(c for c in changes if c.kind is not ChangeKind.UNCHANGED)
        title = b.title if b else (a.title if a else doc_id)
        docs.append(
            DocumentDiff(
                doc_id, title, a.path if a else "", b.path if b else "", status, kept, meta, unchanged
            )
        )
    docs_t = consequential(old, new, alignments, tuple(docs))
    extra = corpus_findings(old, new, alignments, docs_t) + meta_findings
    # attach corpus-level findings to their changes, keep the full list sorted by severity
    every = [f for d in docs_t for c in d.changes for f in c.findings] + extra
    every.sort(key=_reading_order(alignments))
    return CorpusDiff(new.title or old.title, old.version, new.version, docs_t, tuple(every))


def _reading_order(alignments: dict[str, Alignment]) -> Callable[[Finding], tuple[int, str, float, str]]:
    """Sort key for findings: severity, then document, then where the clause stands (section 2 before 10)."""
    where: dict[tuple[str, str], float] = {}
    for doc_id, al in alignments.items():
        for node in al.old:
            where[(doc_id, node.clause.id)] = node.index + 0.5  # a removed clause: among the new ones
        for node in al.new:
            where[(doc_id, node.clause.id)] = float(node.index)

    def key(f: Finding) -> tuple[int, str, float, str]:
        return (_SEVERITY.get(f.severity, 3), f.document, where.get((f.document, f.clause), -1.0), f.kind)

    return key


def pair_change(al: Alignment, i: int, j: int, method: str, doc_id: str) -> ClauseChange:
    """Classify one paired clause: kind, triage, redline and findings."""
    from regdocs.findings import clause_findings

    old, new = al.old, al.new
    o, n = old[i].clause, new[j].clause
    relevelled = o.kind is ClauseKind.HEADING and n.kind is ClauseKind.HEADING and o.level != n.level
    modified = o.title != n.title or o.text != n.text or relevelled
    editorial = modified and (content(o) == content(n) or _editorial_equal(o, n))
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
    old_text, new_text = _full(o), _full(n)
    line = redline(old_text, new_text) if modified else ()
    sim = similarity(old_text, new_text) if modified else 1.0
    change = ClauseChange(
        kind,
        triage,
        (_side(old[i]),),
        (_side(new[j]),),
        moved,
        renumbered,
        modified,
        method,
        round(sim, 3),
        line,
    )
    if modified and not editorial:
        change = _with(change, clause_findings(change, doc_id))
    if relevelled:
        from dataclasses import replace

        change = replace(change, note=f"heading level {o.level} \u2192 {n.level}")
    return change


def _changes(al: Alignment, doc_id: str) -> tuple[list[ClauseChange], int]:
    from regdocs.findings import clause_findings

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
        change = pair_change(al, i, j, method.value, doc_id)
        new_pos[i] = j
        out.append((j, change))
    for i, group in al.splits.items():
        sides = tuple(_side(new[j]) for j in group)
        old_text = _full(old[i].clause)
        new_text = "\n\n".join(_full(new[j].clause) for j in group)
        change = ClauseChange(
            ChangeKind.SPLIT,
            Triage.SUBSTANTIVE,
            (_side(old[i]),),
            sides,
            False,
            False,
            True,
            "split",
            1.0,
            redline(old_text, new_text),
        )
        change = _with(change, clause_findings(change, doc_id))
        new_pos[i] = group[0]
        out.append((group[0], change))
    for j, group in al.merges.items():
        sides = tuple(_side(old[i]) for i in group)
        old_text = "\n\n".join(_full(old[i].clause) for i in group)
        change = ClauseChange(
            ChangeKind.MERGED,
            Triage.SUBSTANTIVE,
            sides,
            (_side(new[j]),),
            False,
            False,
            True,
            "merge",
            1.0,
            redline(old_text, _full(new[j].clause)),
        )
        change = _with(change, clause_findings(change, doc_id))
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
        change = _unpaired(al, o, "old", doc_id)
        out.append((following[o.index] - 0.5 + o.index * 1e-6, change))
    for n in new:
        if n.index not in used_new:
            out.append((n.index, _unpaired(al, n, "new", doc_id)))
    out.sort(key=lambda pair: pair[0])
    return [c for _, c in out], unchanged


def _unpaired(al: Alignment, node: Node, side: str, doc_id: str) -> ClauseChange:
    """A removed (`old`) or added (`new`) clause, with its nearest too-different counterpart if any."""
    from regdocs.findings import clause_findings

    cand = al.candidates.get((side, node.index))
    other = al.new if side == "old" else al.old
    hint = f"{other[cand[0]].clause.id} ({round(cand[1] * 100)}%)" if cand else ""
    text = _full(node.clause)
    if side == "old":
        change = ClauseChange(
            ChangeKind.REMOVED,
            Triage.SUBSTANTIVE,
            (_side(node),),
            (),
            candidate=hint,
            redline=redline(text, ""),
        )
    else:
        change = ClauseChange(
            ChangeKind.ADDED,
            Triage.SUBSTANTIVE,
            (),
            (_side(node),),
            candidate=hint,
            redline=redline("", text),
        )
    return _with(change, clause_findings(change, doc_id))


def _full(c: Clause) -> str:
    """Title and text as one string for redlines."""
    if c.title and c.text:
        return f"{c.title}\n\n{c.text}"
    return c.title or c.text


def _with(change: ClauseChange, findings: list[Finding]) -> ClauseChange:
    if not findings:
        return change
    from dataclasses import replace

    return replace(change, findings=tuple(findings))
