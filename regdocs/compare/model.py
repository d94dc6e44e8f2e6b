"""The diff model: the one contract between the diff engine and every output (JSON schema 1)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from regdocs.compare.redline import Segment

SCHEMA = 1
"""Version of the JSON serialisation of this model."""


class ChangeKind(Enum):
    """What happened to a clause."""

    ADDED = "added"
    REMOVED = "removed"
    MODIFIED = "modified"
    MOVED = "moved"
    RENUMBERED = "renumbered"
    SPLIT = "split"
    MERGED = "merged"
    UNCHANGED = "unchanged"


class Triage(Enum):
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


@dataclass(frozen=True, slots=True)
class Finding:
    """A change that matters, with where it is and what it was."""

    kind: str
    """`weakened`, `strengthened`, `negation-changed`, `number-changed`, `xref-dangling`, `xref-retargeted`,
    `term-added`, `term-removed`, `term-redefined`, `obligation-removed`, `obligation-added`."""
    severity: str
    """`high`, `medium` or `low`."""
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


@dataclass(frozen=True, slots=True)
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
    method: str = ""
    """How old and new were paired: `id`, `text`, `similarity`, `split`, `merge`."""
    similarity: float = 1.0
    """Word similarity of old and new text, 0-1."""
    redline: tuple[Segment, ...] = ()
    """Word-level edit script from old text to new text."""
    findings: tuple[Finding, ...] = ()
    """Findings inside this clause."""
    candidate: str = ""
    """For an unpaired clause: a possible counterpart too dissimilar to pair with confidence (`id (48%)`)."""
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


@dataclass(frozen=True, slots=True)
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
    status: str
    """`added`, `removed`, `renamed`, `modified` or `unchanged`."""
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
        return any(d.changes or d.status != "unchanged" or d.metadata for d in self.documents)
