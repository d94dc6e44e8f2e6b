"""The diff model: the one contract between the diff engine and every output (JSON schema 1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from regdocs.compare.redline import Segment

if TYPE_CHECKING:  # a type only: the model (and every JSON output's SCHEMA) loads without the aligner
    from regdocs.compare.align import Method

SCHEMA = 1
"""Version of the layout of every JSON output: this model serialised; rounds, outlines, lint, history."""


class ChangeKind(StrEnum):
    """What happened to a clause."""

    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"
    RENUMBERED = "renumbered"
    SPLIT = "split"
    MERGED = "merged"
    UNCHANGED = "unchanged"


class Triage(StrEnum):
    """How much a change matters to a reader."""

    SUBSTANTIVE = "substantive"
    """Words that carry meaning changed, or a clause came or went."""
    MOVE = "move-only"
    """The clause moved (perhaps renumbered), its text did not change."""
    RENUMBER = "renumber-only"
    """Only the clause number changed."""
    EDITORIAL = "editorial"
    """Whitespace, line wrapping, emphasis, punctuation or case; or a list item renumbered with the same text."""
    NONE = "none"
    """Nothing changed."""


class DocumentStatus(StrEnum):
    """What happened to a document as a whole."""

    ADDED = "added"
    REMOVED = "removed"
    RENAMED = "renamed"
    """Same document id, another file; or a file without a front-matter id paired with another by its words."""
    MODIFIED = "modified"
    UNCHANGED = "unchanged"


class FindingKind(StrEnum):
    """What a finding says changed."""

    WEAKENED = "weakened"
    """An obligation weakened: a modal (`shall` -> `may`), a binding modal gone, a qualifier added."""
    STRENGTHENED = "strengthened"
    """An obligation strengthened: the same, the other way."""
    NEGATION_CHANGED = "negation-changed"
    """A modal of the same strength changed polarity (`shall` -> `shall not`)."""
    NUMBER_CHANGED = "number-changed"
    """A number, amount, duration, date or percentage changed."""
    OBLIGATION_REMOVED = "obligation-removed"
    """A clause with binding obligations removed."""
    OBLIGATION_ADDED = "obligation-added"
    """A clause with binding obligations added."""
    XREF_DANGLING = "xref-dangling"
    """A cross-reference now points to no clause."""
    XREF_RETARGETED = "xref-retargeted"
    """A cross-reference now points to another clause than it meant."""
    TERM_ADDED = "term-added"
    TERM_REMOVED = "term-removed"
    TERM_REDEFINED = "term-redefined"
    """A defined term's definition changed: every clause using it changes meaning."""
    METADATA_CHANGED = "metadata-changed"
    """A front-matter value changed (status, dates and other metadata)."""


class FindingSeverity(StrEnum):
    """How much a finding matters, most severe first (the order of `rank`, not of the values' spelling)."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for the most severe: findings are listed, and `--fail-on` compares, by rank."""
        return _RANK[self]


_RANK = {severity: n for n, severity in enumerate(FindingSeverity)}


@dataclass(frozen=True, slots=True)
class Side:
    """One version of a clause as a reader cites it."""

    id: str
    """Clause id in that version."""
    number: str
    """Number as written (`(2)`, `Part 3`), or empty."""
    citation: str
    """How to cite it: `section 20(2)(b)`."""
    title: str
    """Heading title, or empty."""
    text: str
    """Own text (children excluded), markdown source."""
    path: str
    """Document file."""
    line: int
    """1-based line."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """A change that matters, with where it is and what it was."""

    kind: FindingKind
    """What changed."""
    severity: FindingSeverity
    """How much it matters."""
    message: str
    """One sentence for a reader."""
    document: str
    """Document id."""
    clause: str
    """Clause id (new version where it exists, else old)."""
    citation: str
    """The clause as cited (`section 20(1)`)."""
    old: str = ""
    """Old snippet."""
    new: str = ""
    """New snippet."""
    related: tuple[str, ...] = ()
    """Other clauses concerned (e.g. every clause using a redefined term)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class ClauseChange:
    """What happened to one clause (or to the clauses of a split or merge)."""

    kind: ChangeKind
    """Primary kind: split/merged > added/removed > moved > modified > renumbered > unchanged."""
    triage: Triage
    """How much it matters."""
    old: tuple[Side, ...]
    """The clause(s) before (several for a merge; none when added)."""
    new: tuple[Side, ...]
    """The clause(s) after (several for a split; none when removed)."""
    moved: bool = False
    """Moved to another parent or out of order among its siblings."""
    renumbered: bool = False
    """Its own number changed."""
    modified: bool = False
    """Its text changed (formatting included)."""
    method: Method | None = None
    """How old and new were paired (id, same text, same number and title, similarity, shared rare words,
    split, merge); None when added or removed
    (`""` in JSON)."""
    similarity: float = 1.0
    """Word similarity of old and new text, 0-1."""
    redline: tuple[Segment, ...] = ()
    """Word-level edit script from old text to new text."""
    findings: tuple[Finding, ...] = ()
    """Findings inside this clause."""
    candidate: str = ""
    """For an unpaired clause: up to three possible counterparts too dissimilar to pair with confidence
    (`id (48%), id (41%)`)."""
    note: str = ""
    """A remark for the reader, e.g. that only cross-reference numbers followed a renumbering."""
    move: str = ""
    """For a moved clause, where it was and where it went: `Part 2 → Part 3` when its container changed
    (old parent → new parent, `top level` for none; `Part 1 (removed) → Part 1 (added)` when the two are
    cited alike), else its new place among the same siblings, `after section 14` or `first in Part 3`;
    empty when it did not move."""

    @property
    def key(self) -> str:
        """The clause id a reader knows it by (new id, else old id)."""
        return (self.new or self.old)[0].id


@dataclass(frozen=True, slots=True, kw_only=True)
class DocumentDiff:
    """The changes to one document."""

    id: str
    """Document id (front matter), the key that pairs files across versions."""
    title: str
    """Document title (new version where it exists)."""
    old_path: str
    """File in the old version, or empty when added."""
    new_path: str
    """File in the new version, or empty when removed."""
    status: DocumentStatus
    """What happened to the document as a whole."""
    changes: tuple[ClauseChange, ...]
    """Changed clauses in reading order (unchanged ones left out)."""
    metadata: tuple[tuple[str, str, str], ...] = ()
    """Front-matter keys that changed: (key, old, new)."""
    unchanged: int = 0
    """Number of clauses with no change."""


@dataclass(frozen=True, slots=True)
class CorpusDiff:
    """Everything that changed between two versions of a corpus."""

    title: str
    """Corpus title."""
    old: str
    """Label of the old version (`round-1 (0d44628)`)."""
    new: str
    """Label of the new version."""
    documents: tuple[DocumentDiff, ...]
    """Per-document changes, sorted by document id."""
    findings: tuple[Finding, ...]
    """Every finding, most severe first."""

    @property
    def has_changes(self) -> bool:
        """Return whether anything changed."""
        return any(d.changes or d.status != DocumentStatus.UNCHANGED or d.metadata for d in self.documents)
