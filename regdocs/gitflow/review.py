"""Pull-request review: the clause-level diff of BASE..HEAD, its findings, and lint of HEAD, as one report."""

from __future__ import annotations

from dataclasses import dataclass

from regdocs.compare.model import CorpusDiff, DocumentDiff, Finding, FindingSeverity
from regdocs.corpus.load import load_pair
from regdocs.corpus.sources import Sources, split_range, split_three_dot
from regdocs.findings.analysis import diff_corpora
from regdocs.findings.lint import Problem, Severity, lint_corpus
from regdocs.parse.model import Clause, Corpus, Document


@dataclass(frozen=True, slots=True)
class Place:
    """Where a finding stands in the head version: what a pull request's annotation points at."""

    path: str
    """Document file relative to the corpus folder; empty when the document is gone from the head."""
    line: int
    """1-based line of the finding's clause in the head (0: the file as a whole)."""


@dataclass(frozen=True, slots=True)
class Review:
    """What a reviewer needs to judge a change to the rules."""

    spec: str
    """The range as given, e.g. `main...feature`."""
    base: str
    """Label of the base version (the merge base for `A...B`)."""
    head: str
    """Label of the head version."""
    diff: CorpusDiff
    """Clause-level changes and findings."""
    lint: tuple[Problem, ...]
    """Lint problems of the head version."""
    places: tuple[Place, ...] = ()
    """Where each of `diff.findings` stands in the head version, in the same order."""
    prefix: str = ""
    """The corpus folder relative to the top of the repository (`""` at the top or outside git)."""


def review(sources: Sources, spec: str) -> Review:
    """Review `BASE..HEAD` (or `BASE...HEAD`, from their merge base); a single version means it vs HEAD."""
    three = split_three_dot(spec)
    two = split_range(spec)
    if three is not None:
        base_v, head_v = sources.resolve(three[0]), sources.resolve(three[1])
        base_v = sources.merge_base(base_v, head_v)
    elif two is not None:
        base_v, head_v = sources.resolve(two[0]), sources.resolve(two[1])
    else:
        base_v, head_v = sources.resolve(spec), sources.resolve("HEAD")
    old, new = load_pair(sources, base_v, head_v)
    diff = diff_corpora(old, new)
    places = tuple(place(f, old, new, diff) for f in diff.findings)
    prefix = sources.corpus_prefix() if sources.has_git() else ""
    return Review(spec, base_v.label, head_v.label, diff, tuple(lint_corpus(new)), places, prefix)


def fails(rv: Review, level: str) -> bool:
    """Whether a check should fail: a finding of severity `level` or worse, or a lint error in the head."""
    worst = FindingSeverity(level).rank
    return any(f.severity.rank <= worst for f in rv.diff.findings) or any(
        p.severity is Severity.ERROR for p in rv.lint
    )


def place(finding: Finding, old: Corpus, new: Corpus, diff: CorpusDiff) -> Place:
    """Locate a finding in the head: its clause's line; for a removed clause, the nearest surviving ancestor's."""
    head = next((d for d in new.documents if d.id == finding.document), None)
    if head is None:
        return Place("", 0)
    lines = {c.id: c.line for c in head.walk()}
    doc = next((d for d in diff.documents if d.id == finding.document), None)
    change = next((c for c in doc.changes if finding in c.findings), None) if doc else None
    if change is not None and change.new:
        return Place(head.path, change.new[0].line)
    if change is None and finding.clause in lines:
        return Place(head.path, lines[finding.clause])
    base = next((d for d in old.documents if d.id == finding.document), None)
    gone = change.old[0].id if change is not None else finding.clause
    return Place(head.path, _ancestor_line(base, gone, doc, lines) if base and doc else 1)


def _ancestor_line(base: Document, clause_id: str, doc: DocumentDiff, lines: dict[str, int]) -> int:
    """The head line of the closest ancestor (in the base) of a clause that is gone; 1 when none survives."""
    parents: dict[str, Clause | None] = {}

    def visit(clause: Clause, parent: Clause | None) -> None:
        parents[clause.id] = parent
        for child in clause.children:
            visit(child, clause)

    for top in base.clauses:
        visit(top, None)
    went = {s.id: (c.new[0].line if c.new else 0) for c in doc.changes for s in c.old}
    parent = parents.get(clause_id)
    while parent is not None:
        if parent.id in went:
            if went[parent.id]:
                return went[parent.id]
        elif parent.id in lines:  # unchanged: the same id in the head
            return lines[parent.id]
        parent = parents.get(parent.id)
    return 1
