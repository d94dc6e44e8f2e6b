"""The parsed corpus: documents, clauses, cross-references and defined terms."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum


class IdSource(Enum):
    """Where a clause id comes from."""

    EXPLICIT = "explicit"
    """Written by the drafter as `{#id}`: stable for life."""
    DERIVED = "derived"
    """Computed from the number path or the title: changes on renumbering."""


class ClauseKind(Enum):
    """Which markdown construct a clause was read from."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    ITEM = "item"
    ROW = "row"
    """A row of a table of provisions (its first cell an id such as `1.2.3`): one requirement."""


class RefKind(Enum):
    """How a cross-reference is written."""

    LINK = "link"
    """A markdown link to `#id` (or `doc.md#id`)."""
    TEXT = "text"
    """Plain words: "section 3.2", "paragraph (b) of Article 4", "Part 2"."""


@dataclass(frozen=True, slots=True)
class Number:
    """A clause number as written and as understood."""

    label: str
    """The number as written, e.g. `Part 2`, `2.3`, `(a)`, `§ 4`."""
    value: str
    """The bare number, lower-cased: `2`, `2.3`, `a`, `iv`."""
    unit: str
    """The named unit, lower-cased (`part`, `article`, `section`, `schedule`), or `` for none."""
    style: str
    """`arabic`, `dotted`, `lower-alpha`, `lower-roman`, `upper-alpha`, `upper-roman`; `id` for a code (`PR.AA-01`)."""
    ordinal: int
    """Position in its sequence (a=1, iv=4, 2.3 -> 3); 0 when it has none."""
    suffix: str = ""
    """An inserted-clause suffix such as the `c` of `4c`."""


@dataclass(frozen=True, slots=True)
class CrossRef:
    """A reference from a clause to another clause, resolved later."""

    kind: RefKind
    """Link or plain text."""
    text: str
    """The reference as written: `section 12(2)(b)` or the link target `#incident`."""
    target: str
    """Normalised target: an id for links, a number path such as `section 12.2.b` for text."""
    line: int
    """1-based source line of the reference."""
    col: int
    """1-based source column of the reference."""
    document: str = ""
    """For a link to another file (`other.md#id`), that file's path; else empty."""


@dataclass(frozen=True, slots=True)
class DefinedTerm:
    """A term given a meaning by a clause (`"Term" means ...`)."""

    term: str
    """The term as written between the quotes."""
    line: int
    """1-based source line of the definition."""
    col: int
    """1-based source column of the definition."""


@dataclass(frozen=True, slots=True)
class Clause:
    """One provision: a numbered heading, paragraph, list item or table row with its sub-clauses."""

    id: str
    """Explicit `{#id}` or derived from the number path (`3.2.a.i`) or the title."""
    id_source: IdSource
    """Whether the id was written or computed."""
    number: Number | None
    """The clause number, or None for an unnumbered heading."""
    title: str
    """Heading text without number and id; empty for paragraphs and items."""
    text: str
    """The clause's own body as markdown source (children excluded, number stripped); a row's description cell."""
    kind: ClauseKind
    """Heading, paragraph, list item or table row."""
    level: int
    """Heading level (1-6) for headings; nesting depth below the heading otherwise."""
    path: str
    """Source path relative to the corpus root."""
    line: int
    """1-based line where the clause starts."""
    end_line: int
    """1-based last line of the clause's own text (children excluded; a heading's, up to a table of its rows)."""
    children: tuple[Clause, ...] = ()
    """Sub-clauses in document order."""
    refs: tuple[CrossRef, ...] = ()
    """Cross-references made by this clause's own text."""
    terms: tuple[DefinedTerm, ...] = ()
    """Terms this clause defines."""
    anchors: tuple[str, ...] = ()
    """Other anchors that reach this clause (GitHub-style heading slugs)."""
    attributes: tuple[tuple[str, str], ...] = ()
    """A table row's other cells, named by their column (`("Level", "1")`, `("CWE", "287")`); empty ones left out."""

    @property
    def label(self) -> str:
        """Return the number as written, or empty."""
        return self.number.label if self.number else ""

    def walk(self) -> Iterator[Clause]:
        """Yield this clause and every descendant in document order."""
        stack = [self]
        while stack:
            clause = stack.pop()
            yield clause
            stack.extend(reversed(clause.children))


@dataclass(frozen=True, slots=True)
class Document:
    """One markdown file of a corpus, parsed."""

    id: str
    """Front-matter `id`, else the file stem."""
    title: str
    """Front-matter `title`, else the first heading, else the id."""
    path: str
    """Path relative to the corpus root (posix separators)."""
    clauses: tuple[Clause, ...]
    """Top-level clauses in document order."""
    preamble: str = ""
    """Text before the first clause."""
    metadata: tuple[tuple[str, object], ...] = ()
    """Every front-matter key except `id` and `title`, in file order."""
    front_matter_lines: int = 0
    """Number of lines taken by the front matter (0 when there is none)."""
    line_count: int = 0
    """Number of lines in the file."""
    blob: str = ""
    """Git blob id of the source when read from git, else empty."""

    def walk(self) -> Iterator[Clause]:
        """Yield every clause in document order."""
        for clause in self.clauses:
            yield from clause.walk()

    def meta(self, key: str, default: object = None) -> object:
        """Return one front-matter value."""
        for k, v in self.metadata:
            if k == key:
                return v
        return default


@dataclass(frozen=True, slots=True)
class Corpus:
    """Every document of a corpus at one version."""

    title: str
    """Corpus title from regdocs.toml."""
    documents: tuple[Document, ...]
    """Documents sorted by path."""
    version: str = ""
    """Human label of the version these documents were read at."""
    warnings: tuple[str, ...] = field(default=())
    """Non-fatal problems met while reading (e.g. empty files)."""

    def document(self, key: str) -> Document | None:
        """Find a document by id, path or file stem."""
        for doc in self.documents:
            if key in (doc.id, doc.path) or doc.path.rsplit("/", 1)[-1].removesuffix(".md") == key:
                return doc
        return None
