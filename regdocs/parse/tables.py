"""Tables of provisions: a table whose first column holds ids (`1.2.3`, `V1.2.3`, `PR.AA-01`, `§ 4`) lists one
provision per row; any other table (revision history, dates, glossaries) stays text of the clause it is in."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from html import unescape
from typing import Any

from regdocs.parse.model import Number
from regdocs.parse.units import SECTION_SIGN

# Applied with .fullmatch to one cell. Possessive repeats, and no match starts inside a run of letters, digits
# and dots: a search never rescans the run (`A.A.A…` would cost its length at every letter)
_ROW_ID_RE = re.compile(
    r"(?<![A-Za-z0-9.])(?:"
    r"(?:(?P<sign>" + SECTION_SIGN + r")[ \u00a0]?|(?P<prefix>[A-Z])(?P<dot>\.?))?"
    r"(?P<value>[0-9]{1,4}[a-z]?(?:\.[0-9]{1,4}[a-z]?)*+)\.?"
    r"|(?P<code>[A-Z]{1,4}(?:\.[A-Z]{1,4})++-[0-9]{1,4})"
    r")"
)
"""A row id as written in a first cell, emphasis removed: `1.2.3`, `V1.2.3`, `C.10`, `§ 4`, `PR.AA-01`."""

MOSTLY = 0.8
"""Share of body rows whose first cell must be an id for a table to list provisions."""

NOT_IDS = frozenset({"ver", "version", "versions", "revision", "rev", "release", "edition", "date", "year"})
"""First-column headings of tables whose numbers are versions or dates, not provisions (a revision history)."""

_EMPHASIS = ("**", "__", "*", "_", "`")


@dataclass(frozen=True, slots=True)
class ProvisionRow:
    """One row of a table of provisions, read from its cells."""

    number: Number
    """The id in the first cell: label as written (emphasis removed), value as compared (`1.2.3`)."""
    line: int
    """0-based line of the row."""
    end: int
    """0-based line after the row and the rows that continue it (rows with no id in their first cell)."""
    text: str
    """The description cell's markdown (the column with the most text), continuation rows on lines of their own."""
    attributes: tuple[tuple[str, str], ...]
    """The other non-empty cells, named by their column heading: `("Level", "1")`, `("CWE", "287")`."""


def provision_rows(tokens: list[Any], i: int) -> tuple[ProvisionRow, ...]:
    """The rows of the table opened at `tokens[i]` as provisions, or () when it is no table of provisions."""
    if not _opens_with_an_id(tokens, i):
        return ()  # most tables: told apart by two cells, before reading them whole
    rows = _rows(tokens, i)
    if len(rows) < 2 or len(rows[0][2]) < 2:
        return ()
    header, body = rows[0][2], rows[1:]
    numbers = [row_number(cells[0]) for _, _, cells in body]
    found = [n.value for n in numbers if n is not None]
    if len(found) < MOSTLY * len(body) or len(set(found)) != len(found):
        return ()
    width = len(header)
    text_at = max(range(1, width), key=lambda c: (sum(len(cells[c]) for _, _, cells in body), -c))
    names = [_plain(h) or f"column {c + 1}" for c, h in enumerate(header)]
    out: list[ProvisionRow] = []
    for (line, end, cells), number in zip(body, numbers, strict=True):
        if number is not None:
            attributes = tuple((names[c], cells[c]) for c in range(1, width) if c != text_at and cells[c])
            out.append(ProvisionRow(number, line, end, cells[text_at], attributes))
            continue
        last = out[-1]  # a row without an id continues the one above it (a cell too long for one line)
        more = " | ".join(cell for cell in cells if cell)
        text = f"{last.text}\n{more}" if more and last.text else last.text or more
        out[-1] = ProvisionRow(last.number, last.line, end, text, last.attributes)
    return tuple(out)


def row_number(cell: str) -> Number | None:
    """Read a first cell as a row id (`**1.2.3**`, `V1.2.3`, `§ 4`, `PR.AA-01`), or None: a bare `4` is no id."""
    label = _unwrapped(cell)
    m = _ROW_ID_RE.fullmatch(label)
    if m is None:
        return None
    if m["code"]:
        value, style, last = label.lower(), "id", label.rsplit("-", 1)[1]
    else:
        value, last = m["value"].lower(), m["value"].rsplit(".", 1)[-1].lower()
        if not (m["sign"] or m["prefix"] or "." in value):
            return None
        if m["prefix"] and m["prefix"] != "V":  # `C.10`, `A1`: the letter is part of the id
            value = m["prefix"].lower() + m["dot"] + value
        # `V1.2.3` is requirement 1.2.3 in chapter V1 (OWASP's usage): the V adds nothing to tell rows apart
        style = "dotted" if "." in value else "arabic"
    digits = last.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = "section" if m["sign"] else ""
    return Number(label, value, unit, style, int(digits), last[len(digits) :])


def _opens_with_an_id(tokens: list[Any], i: int) -> bool:
    """Whether the first body row starts with an id, under a first column heading that names no version or date."""
    header = body = None
    in_body = False
    for tok in itertools.islice(tokens, i + 1, None):
        kind = tok.type
        if kind == "inline":
            if header is None:
                header = tok.content
            elif in_body:
                body = tok.content
                break
        elif kind == "tbody_open":
            in_body = True
        elif kind == "table_close":
            break
    if header is None or body is None:
        return False
    return _plain(header).rstrip(".*:").strip().lower() not in NOT_IDS and row_number(body) is not None


def _rows(tokens: list[Any], i: int) -> list[tuple[int, int, list[str]]]:
    """Each row of the table opened at `tokens[i]`: first line, line after it, cell contents (header first)."""
    out: list[tuple[int, int, list[str]]] = []
    level = tokens[i].level
    for tok in itertools.islice(tokens, i + 1, None):
        kind = tok.type
        if kind == "tr_open":
            out.append((tok.map[0], tok.map[1], []))
        elif kind == "inline" and out:
            out[-1][2].append(tok.content.strip())
        elif kind == "table_close" and tok.level == level:
            break
    return out


def _unwrapped(cell: str) -> str:
    """A cell without the emphasis or code marks around all of it: `**1.2.3**` -> `1.2.3`."""
    text = cell.strip()
    for mark in _EMPHASIS:
        if len(text) > 2 * len(mark) and text.startswith(mark) and text.endswith(mark):
            return text[len(mark) : -len(mark)].strip()
    return text


def _plain(cell: str) -> str:
    """A column heading as a reader sees it: emphasis, a link's target and entities gone (`[NIST &sect;](…)` -> `NIST §`)."""
    text = _unwrapped(cell)
    if text.startswith("[") and text.endswith(")") and "](" in text:
        text = text[1 : text.index("](")]
    return " ".join(unescape(text).split())
