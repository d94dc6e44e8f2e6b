"""The pairing of two versions of a document: how a pair was found, the clauses in order, the alignment."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from regdocs.parse.model import Clause


class Method(Enum):
    """How a pair was found."""

    ID = "id"
    TEXT = "text"
    SIMILARITY = "similarity"
    SPLIT = "split"
    MERGE = "merge"
    TITLE = "title"
    """Same number and same title (case and punctuation aside)."""
    WORDS = "words"
    """The same rare content words, reworded (`wording`)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A clause in a flattened document, with its place."""

    clause: Clause
    """The clause."""
    index: int
    """Position in document order."""
    parent: int
    """Index of the parent clause, -1 for top level."""
    ancestors: tuple[Clause, ...]
    """Outermost first, excluding the clause."""
    text: str = ""
    """`content(clause)`, computed once."""


@dataclass(frozen=True, slots=True)
class Elsewhere:
    """A clause's counterpart in another document: the clause moved from one document to another."""

    document: str
    """Id of the other document (as the comparison knows it)."""
    node: Node
    """The clause there."""
    method: Method
    """How the two were paired."""
    score: float
    """Similarity 0-1."""


@dataclass(slots=True)
class Alignment:
    """The result of aligning two documents (indices into `old` and `new`)."""

    old: list[Node]
    """Old clauses in document order."""
    new: list[Node]
    """New clauses in document order."""
    pairs: dict[int, tuple[int, Method, float]] = field(default_factory=dict)
    """old index -> (new index, method, similarity 0-1)."""
    splits: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """old index -> new indices it was split into (one of them may also be in `pairs`)."""
    merges: dict[int, tuple[int, ...]] = field(default_factory=dict)
    """new index -> old indices merged into it."""
    moved: set[int] = field(default_factory=set)
    """Old indices of pairs whose clause moved (new parent, or out of order among siblings)."""
    candidates: dict[tuple[str, int], tuple[int, float]] = field(default_factory=dict)
    """('old'|'new', index) -> (best index on the other side, similarity) for unpaired clauses."""
    alternatives: dict[tuple[str, int], tuple[tuple[int, float], ...]] = field(default_factory=dict)
    """('old'|'new', index) -> the best matches by content words (index, 0-1) of a clause left unpaired."""
    old_at: dict[str, int] = field(default_factory=dict)
    """Old clause id -> index."""
    new_at: dict[str, int] = field(default_factory=dict)
    """New clause id -> index."""
    departed: dict[int, Elsewhere] = field(default_factory=dict)
    """Old index -> its counterpart in another new document (`across`)."""
    arrived: dict[int, Elsewhere] = field(default_factory=dict)
    """New index -> its counterpart in another old document (`across`)."""

    def unpaired_old(self) -> list[int]:
        """Old indices neither paired, split, merged nor moved to another document."""
        merged = {i for group in self.merges.values() for i in group}
        return [
            o.index
            for o in self.old
            if o.index not in self.pairs
            and o.index not in self.splits
            and o.index not in merged
            and o.index not in self.departed
        ]

    def unpaired_new(self) -> list[int]:
        """New indices neither paired, split, merged nor moved from another document."""
        used = {j for j, _, _ in self.pairs.values()} | set(self.merges) | set(self.arrived)
        used.update(j for group in self.splits.values() for j in group)
        return [n.index for n in self.new if n.index not in used]
