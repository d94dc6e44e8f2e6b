"""Lint a corpus: ids, cross-references, numbering, headings, empty clauses, terms, front matter."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from enum import Enum

from regdocs.findings.brackets import document_points
from regdocs.parse.model import Clause, ClauseKind, Corpus, Document, IdSource
from regdocs.parse.numbering import suffix_order
from regdocs.parse.references import Resolver
from regdocs.parse.terms import TermIndex


class Severity(Enum):
    """How bad a problem is."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One lint finding at a place in a file."""

    path: str
    """File relative to the corpus root."""
    line: int
    """1-based line."""
    col: int
    """1-based column."""
    severity: Severity
    """Error or warning."""
    message: str
    """What is wrong and what to do."""
    rule: str
    """Rule name, e.g. `dangling-xref`."""


RULES = {
    "duplicate-id": "two clauses of one document share an explicit id",
    "duplicate-document-id": "two documents share a front-matter id",
    "dangling-xref": "a cross-reference points to no clause",
    "numbering-gap": "a number is skipped, e.g. (a), (c)",
    "numbering-duplicate": "a number is used twice among siblings",
    "numbering-order": "numbers go backwards among siblings",
    "heading-skip": "a heading skips a level, e.g. # then ###",
    "empty-clause": "a clause with no text, title or sub-clauses",
    "empty-document": "a document with no text at all",
    "unused-term": "a defined term is never used elsewhere",
    "front-matter": "front matter has a wrong type or an invalid id",
    "open-brackets": "square-bracketed alternatives left in a round labelled agreed or final",
}
"""Every rule with a one-line description (documented in the README)."""

_DOC_ID_RE = re.compile(r"[a-z0-9][a-z0-9._-]*")


def lint_corpus(corpus: Corpus, only: set[str] | None = None, *, settled: str = "") -> list[Problem]:
    """Check every document (or only the given paths); return problems sorted by place.

    `settled` names the agreed round the corpus is (`round-4`), when bracketed alternatives are on in
    regdocs.toml: an open point left in it is a warning.
    """
    problems: list[Problem] = []
    resolver = Resolver(corpus.documents)
    by_id: dict[str, list[Document]] = defaultdict(list)
    for doc in corpus.documents:
        by_id[doc.id].append(doc)
    for doc in corpus.documents:
        if only is not None and doc.path not in only:
            continue
        problems += _front_matter(doc)
        if len(by_id[doc.id]) > 1:
            first = by_id[doc.id][0]
            if first is not doc:
                problems.append(
                    _p(
                        doc,
                        1,
                        1,
                        Severity.ERROR,
                        f"document id {doc.id!r} is also used by {first.path}; give each document its own 'id'",
                        "duplicate-document-id",
                    )
                )
        if not doc.clauses and not doc.preamble.strip():
            problems.append(
                _p(
                    doc,
                    1,
                    1,
                    Severity.ERROR,
                    "document is empty; add text or remove the file",
                    "empty-document",
                )
            )
            continue
        problems += _ids(doc)
        problems += _refs(doc, resolver)
        problems += _numbering(doc)
        problems += _headings(doc)
        problems += _empty(doc)
        problems += _brackets(doc, settled) if settled else []
    problems += _terms(corpus, only)
    problems.sort(key=lambda p: (p.path, p.line, p.col, p.rule))
    return problems


def _p(doc: Document, line: int, col: int, sev: Severity, msg: str, rule: str) -> Problem:
    return Problem(path=doc.path, line=line, col=col, severity=sev, message=msg, rule=rule)


def _front_matter(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    line = 2 if doc.front_matter_lines else 1
    expect = {"id": str, "title": str, "status": str}
    for key, kind in expect.items():
        value = doc.meta(key)
        if value is not None and not isinstance(value, kind):
            out.append(
                _p(doc, line, 1, Severity.ERROR, f"front matter {key!r} must be a string", "front-matter")
            )
    raw_id = doc.meta("id")
    if isinstance(raw_id, str) and not _DOC_ID_RE.fullmatch(raw_id):
        out.append(
            _p(
                doc,
                line,
                1,
                Severity.ERROR,
                f"front matter id {raw_id!r} must be lower-case letters, digits, '.', '_' or '-'",
                "front-matter",
            )
        )
    parties = doc.meta("parties")
    if parties is not None and not (isinstance(parties, list) and all(isinstance(p, str) for p in parties)):
        out.append(
            _p(doc, line, 1, Severity.ERROR, "front matter 'parties' must be a list of names", "front-matter")
        )
    return out


def _ids(doc: Document) -> list[Problem]:
    seen: dict[str, Clause] = {}
    out: list[Problem] = []
    for clause in doc.walk():
        if clause.id_source is not IdSource.EXPLICIT:
            continue
        first = seen.get(clause.id)
        if first is not None:
            out.append(
                _p(
                    doc,
                    clause.line,
                    1,
                    Severity.ERROR,
                    f"id {clause.id!r} is already used at line {first.line}; give this clause another {{#id}}",
                    "duplicate-id",
                )
            )
        else:
            seen[clause.id] = clause
    return out


def _refs(doc: Document, resolver: Resolver) -> list[Problem]:
    out: list[Problem] = []
    for clause in doc.walk():
        for ref in clause.refs:
            if resolver.resolve(doc, clause, ref) is None:
                relative = ref.target.startswith("relative")
                what = ref.text
                out.append(
                    _p(
                        doc,
                        ref.line,
                        ref.col,
                        Severity.WARNING if relative else Severity.ERROR,
                        f"cross-reference {what!r} points to no clause; fix the reference or the numbering",
                        "dangling-xref",
                    )
                )
    return out


def _numbering(doc: Document) -> list[Problem]:
    out: list[Problem] = []

    def check(siblings: tuple[Clause, ...]) -> None:
        groups: dict[tuple[str, str, str], list[Clause]] = defaultdict(list)
        for c in siblings:
            n = c.number
            if n is None or (c.kind is ClauseKind.ITEM and n.label.endswith(".") and n.style == "arabic"):
                continue  # markdown numbers ordered lists itself
            prefix = n.value.rsplit(".", 1)[0] if n.style == "dotted" else ""
            groups[(n.unit, n.style, prefix)].append(c)
        for group in groups.values():
            prev: Clause | None = None
            for c in group:
                n = c.number
                assert n is not None
                if prev is not None and prev.number is not None and n.ordinal:
                    p = prev.number
                    if n.ordinal == p.ordinal and n.suffix == p.suffix:
                        out.append(
                            _p(
                                doc,
                                c.line,
                                1,
                                Severity.ERROR,
                                f"number {n.label} is used twice (also at line {prev.line}); renumber one of them",
                                "numbering-duplicate",
                            )
                        )
                    elif n.ordinal < p.ordinal or (
                        n.ordinal == p.ordinal and suffix_order(n.suffix) < suffix_order(p.suffix)
                    ):
                        out.append(
                            _p(
                                doc,
                                c.line,
                                1,
                                Severity.WARNING,
                                f"number {n.label} comes after {p.label}; put the clauses in order",
                                "numbering-order",
                            )
                        )
                    elif n.ordinal > p.ordinal + 1 and not n.suffix:
                        out.append(
                            _p(
                                doc,
                                c.line,
                                1,
                                Severity.WARNING,
                                f"numbering jumps from {p.label} to {n.label}; a clause is missing or misnumbered",
                                "numbering-gap",
                            )
                        )
                prev = c

    check(doc.clauses)
    for clause in doc.walk():
        check(clause.children)
    return out


def _headings(doc: Document) -> list[Problem]:
    out: list[Problem] = []
    prev = 0
    for clause in doc.walk():
        if clause.kind is not ClauseKind.HEADING:
            continue
        if prev and clause.level > prev + 1:
            out.append(
                _p(
                    doc,
                    clause.line,
                    1,
                    Severity.WARNING,
                    f"heading level jumps from {prev} to {clause.level}; use level {prev + 1}",
                    "heading-skip",
                )
            )
        prev = clause.level
    return out


def _empty(doc: Document) -> list[Problem]:
    return [
        _p(
            doc,
            c.line,
            1,
            Severity.WARNING,
            f"clause {c.label or c.id} has no text; write it or remove it",
            "empty-clause",
        )
        for c in doc.walk()
        if not c.text.strip() and not c.children
    ]


def _brackets(doc: Document, settled: str) -> list[Problem]:
    """Open points (`[shall][should]`) left in an agreed text, each at its line."""
    out: list[Problem] = []
    for _, placed in document_points(doc):
        shown = placed.point.source
        shown = shown if len(shown) <= 60 else shown[:59] + "\u2026"
        out.append(
            _p(
                doc,
                placed.line,
                placed.col,
                Severity.WARNING,
                f"open point {shown} is left in {settled}, an agreed text; keep one alternative and "
                "remove the brackets",
                "open-brackets",
            )
        )
    return out


def _terms(corpus: Corpus, only: set[str] | None) -> list[Problem]:
    checked = [
        (doc, clause, term)
        for doc in corpus.documents
        if only is None or doc.path in only
        for clause in doc.walk()
        for term in clause.terms
    ]
    if not checked:
        return []
    texts: list[str] = []
    at: dict[int, int] = {}  # id(clause) -> its index in texts
    for doc in corpus.documents:
        texts.append(doc.preamble)
        for clause in doc.walk():
            at[id(clause)] = len(texts)
            texts.append(clause.title + "\n" + clause.text)
    index = TermIndex(texts, {term.term for _, _, term in checked})  # not O(terms × clauses)
    return [
        _p(
            doc,
            term.line,
            term.col,
            Severity.WARNING,
            f"defined term {term.term!r} is never used; use it or drop the definition",
            "unused-term",
        )
        for doc, clause, term in checked
        if not index.used(term.term, at[id(clause)])
    ]
