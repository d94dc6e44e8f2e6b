"""Defined terms: `"Term" means ...` definitions and where terms are used."""

from __future__ import annotations

import re

from regdocs.model import DefinedTerm

_VERB = r"(?:means|mean|refers?\s+to|ha(?:s|ve)\s+the\s+meanings?|shall\s+mean|is\s+defined\s+as)\b"
_QUOTED = r"[\"\u201c][^\"\u201c\u201d\n]{1,80}[\"\u201d]"
_DEF_RE = re.compile(
    r"(?P<terms>" + _QUOTED + r"(?:\s*(?:,|and|or|,\s*and|,\s*or)?\s*" + _QUOTED + r")*)"
    r",?\s*(?:\([^)\n]{0,80}\)\s*)?" + _VERB
)
_BOLD_DEF_RE = re.compile(r"(?:\*\*|__)(?P<term>[^*_\n]{1,80})(?:\*\*|__)\s*,?\s*" + _VERB)
_ONE_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,80})[\"\u201d]")


def find_terms(raw: str, first_line: int) -> tuple[DefinedTerm, ...]:
    """Find the terms defined in a clause's source text starting at `first_line`."""
    if "mean" not in raw and "refer" not in raw and "defined" not in raw:
        return ()
    found: list[DefinedTerm] = []

    def add(term: str, offset: int) -> None:
        term = term.strip().strip(",.;:").strip()
        if not term:
            return
        line = first_line + raw.count("\n", 0, offset)
        col = offset - (raw.rfind("\n", 0, offset) + 1) + 1
        found.append(DefinedTerm(term, line, col))

    for m in _DEF_RE.finditer(raw):
        for q in _ONE_QUOTED.finditer(m.group("terms")):
            add(q.group(1), m.start() + q.start())
    for m in _BOLD_DEF_RE.finditer(raw):
        add(m.group("term"), m.start())
    return tuple(found)


def usage_pattern(term: str) -> re.Pattern[str]:
    """Match uses of a term: whole words, any case, optional plural."""
    body = re.escape(term).replace(r"\ ", r"\s+").replace("'", "['\u2019]")
    return re.compile(r"(?<![\w-])" + body + r"(?:s|es|'s|\u2019s)?(?![\w-])", re.IGNORECASE)
