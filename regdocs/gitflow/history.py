"""A clause through every round: follow it across renumbering, moves, splits and merges."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.align import Alignment, align
from regdocs.compare.changes import full_text, pair_change, side_of
from regdocs.compare.model import ChangeKind, Side
from regdocs.compare.redline import Segment, redline
from regdocs.corpus.load import load_corpus, unique_documents
from regdocs.corpus.lookup import find_clause
from regdocs.corpus.sources import RoundInfo, Sources
from regdocs.errors import ClauseNotFound
from regdocs.findings.analysis import with_findings
from regdocs.parse.model import Corpus, Document


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """The clause as it stood in one version."""

    version: str
    """Version label: round name or `working tree`."""
    round: RoundInfo | None
    """Round, commit, author and message (None for the working tree)."""
    document: str
    """Document id."""
    sides: tuple[Side, ...]
    """The clause in this version (several when it was split; none once removed)."""
    kind: str
    """What happened since the previous version: `added`, `modified`, `unchanged`, `renumbered`, `moved`,
    `split`, `merged`, `removed`."""
    redline: tuple[Segment, ...]
    """Word redline from the previous version's text."""


def _versions(sources: Sources) -> list[tuple[str, RoundInfo | None, Corpus]]:
    out: list[tuple[str, RoundInfo | None, Corpus]] = []
    for info in sources.round_infos():
        out.append(
            (info.round.name, info, unique_documents(load_corpus(sources, sources.resolve(info.round.name))))
        )
    work = unique_documents(load_corpus(sources, sources.resolve(None)))
    if not out or _fingerprint(work) != _fingerprint(out[-1][2]):
        out.append(("working tree", None, work))
    return out


def _fingerprint(corpus: Corpus) -> list[tuple[str, list[str]]]:
    return [(d.id, [f"{c.id}|{c.title}|{c.text}" for c in d.walk()]) for d in corpus.documents]


def clause_history(sources: Sources, key: str, doc_key: str | None = None) -> list[HistoryStep]:
    """Return the clause's steps oldest first; `key` names it in the latest version that has it."""
    versions = _versions(sources)
    start = -1
    found: tuple[Document, str] | None = None
    for k in range(len(versions) - 1, -1, -1):
        try:
            doc, clause = find_clause(versions[k][2], key, doc_key)
        except ClauseNotFound as exc:
            if "matches" in exc.message:
                raise  # ambiguous: say so rather than "not found"
            continue
        start, found = k, (doc, clause.id)
        break
    if found is None:
        raise ClauseNotFound(
            f"no clause {key!r} in any round or the working tree",
            hint="give a clause id or number as shown by 'regdocs outline'",
        )
    doc_id = found[0].id
    current: tuple[str, ...] = (found[1],)
    steps: dict[int, HistoryStep] = {}
    steps[start] = _step(versions[start], doc_id, current, "unchanged", ())
    # backwards: who was it before?
    k = start
    while k > 0 and current:
        al = _align(versions[k - 1][2], versions[k][2], doc_id)
        if al is None:
            break
        before, kind, line = step_back(al, current, doc_id)
        steps[k] = _step(versions[k], doc_id, current, kind, line)
        if not before:
            steps[k] = _step(
                versions[k], doc_id, current, "added", redline("", joined_text(al, current, new=True))
            )
            break
        current = before
        k -= 1
        steps[k] = _step(versions[k], doc_id, current, "unchanged", ())
    # forwards from the start: what became of it?
    current = (found[1],)
    k = start
    while k + 1 < len(versions) and current:
        al = _align(versions[k][2], versions[k + 1][2], doc_id)
        if al is None:
            steps[k + 1] = _step(versions[k + 1], doc_id, (), "removed", ())
            break
        after, kind, line = _forward(al, current, doc_id)
        steps[k + 1] = _step(
            versions[k + 1],
            doc_id,
            after,
            kind if after else "removed",
            line if after else redline(joined_text(al, current, new=False), ""),
        )
        current = after
        k += 1
    return [steps[i] for i in sorted(steps)]


def _step(
    version: tuple[str, RoundInfo | None, Corpus],
    doc_id: str,
    ids: tuple[str, ...],
    kind: str,
    line: tuple[Segment, ...],
) -> HistoryStep:
    doc = version[2].document(doc_id)
    sides: list[Side] = []
    if doc is not None:
        from regdocs.compare.align import flatten

        nodes = {n.clause.id: n for n in flatten(doc)}
        sides = [side_of(nodes[i]) for i in ids if i in nodes]
    return HistoryStep(version[0], version[1], doc_id, tuple(sides), kind, line)


def _align(old: Corpus, new: Corpus, doc_id: str) -> Alignment | None:
    a, b = old.document(doc_id), new.document(doc_id)
    if a is None or b is None:
        return None
    return align(a, b)


def joined_text(al: Alignment, ids: tuple[str, ...], *, new: bool) -> str:
    nodes = al.new if new else al.old
    return "\n\n".join(full_text(n.clause) for n in nodes if n.clause.id in ids)


def step_back(
    al: Alignment, ids: tuple[str, ...], doc_id: str
) -> tuple[tuple[str, ...], str, tuple[Segment, ...]]:
    wanted = {al.new_at[i] for i in ids if i in al.new_at}
    for i, (j, method, _) in al.pairs.items():
        if j in wanted:
            change = with_findings(pair_change(al, i, j, method.value), doc_id)
            return (al.old[i].clause.id,), _kind(change.kind), change.redline
    for i, group in al.splits.items():
        if wanted & set(group):
            old_id = al.old[i].clause.id
            return (old_id,), "split", redline(full_text(al.old[i].clause), joined_text(al, ids, new=True))
    for j, group in al.merges.items():
        if j in wanted:
            olds = tuple(al.old[i].clause.id for i in group)
            return olds, "merged", redline(joined_text(al, olds, new=False), full_text(al.new[j].clause))
    return (), "added", ()


def _forward(
    al: Alignment, ids: tuple[str, ...], doc_id: str
) -> tuple[tuple[str, ...], str, tuple[Segment, ...]]:
    wanted = {al.old_at[i] for i in ids if i in al.old_at}
    for i in sorted(wanted):
        if i in al.pairs:
            j, method, _ = al.pairs[i]
            change = with_findings(pair_change(al, i, j, method.value), doc_id)
            return (al.new[j].clause.id,), _kind(change.kind), change.redline
        if i in al.splits:
            news = tuple(al.new[j].clause.id for j in al.splits[i])
            return news, "split", redline(full_text(al.old[i].clause), joined_text(al, news, new=True))
    for j, group in al.merges.items():
        if wanted & set(group):
            olds = tuple(al.old[i].clause.id for i in group)
            return (
                (al.new[j].clause.id,),
                "merged",
                redline(joined_text(al, olds, new=False), full_text(al.new[j].clause)),
            )
    return (), "removed", ()


def _kind(kind: ChangeKind) -> str:
    return kind.value
