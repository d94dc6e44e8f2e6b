"""References to another document: `RFC 8659, Section 4.2`, `Section 8.3 of RFC 8555`, `section 3 of the Act`,
`§ 5 des Einführungsgesetzes`, `§ 307 BGB`; and the numbers of repealed sections (`§§ 3 bis 6 (weggefallen)`).

A cross-reference names a clause of the corpus; these name a clause of another text, or none, so they are not
read as cross-references (they would point to a same-numbered clause here, or to none and be reported dangling).
"""

from __future__ import annotations

import re

from regdocs.parse.units import UNIT_OF

LOOK_BACK = 40
"""Characters before a reference searched for the document it names (`RFC 8659, ` is 11)."""

_DESIGNATION_RE = re.compile(
    r"\b(?:RFC ?[0-9]{1,5}|(?:ISO|IEC|ISO/IEC) ?[0-9]{1,6}(?:[-:][0-9]{1,4}){0,3}|X\.[0-9]{3}"
    r"|FIPS (?:PUB )?[0-9]{1,4}(?:-[0-9])?|NIST SP ?[0-9]{3}-[0-9]{1,3}[A-Z]?|ETSI (?:EN|TS|TR) [0-9]{3} [0-9-]{1,8})"
)
"""A standard by its series and number, as written before one of its sections: `RFC 8659`, `ISO/IEC 27001:2013`."""
_BETWEEN = " \t,("
"""What may stand between a designation and the unit it qualifies: `RFC 8659, Section 4.2`, `(RFC 5280 Section 4)`."""
# Applied with .match at the end of a reference: what follows names the document it is in. Each starts only where a
# run of blanks starts (the lookbehind): a search would otherwise rescan a long run from each of its blanks.
_OF_RE = re.compile(
    r"(?<![ \t\n])(?:[ \t]*+,)?(?:[ \t]++respectively[ \t]*+,?)?[ \t\n]++of[ \t\n]++"
    r"(?:(?:the|a|an|its|their|that|each|any|such)[ \t\n]++)?(RFC|[A-Z][\w'\u2019-]*+)"
)
_NAMED_AFTER_RE = re.compile(r"(?<![ \t])[ \t]*+,?[ \t]*+" + _DESIGNATION_RE.pattern)
_GENITIVE_RE = re.compile(r"(?<![ \t\n])[ \t\n]++(des|der)[ \t\n]++([A-Z\u00c4\u00d6\u00dc][\w-]*+)")
_LAW_ABBREVIATION_RE = re.compile(r"(?<![ \t])[ \t]++([A-Z][A-Za-z]{1,7})\b")
_SELF = frozenset({"This", "These"})
"""Capitalised words after `of` that name the document itself (`section 4 of This Agreement`)."""
_LAWS = (
    "gesetz",
    "gesetzes",
    "gesetzbuch",
    "gesetzbuchs",
    "gesetzbuches",
    "ordnung",
    "richtlinie",
    "abkommens",
)
"""Ends of German names of laws in the genitive after `der` (`der Zivilprozessordnung`, `der Richtlinie`), where
`der` before another noun is a subject (`nach § 280 der Gläubiger`)."""
_REPEALED = ("(weggefallen)", "(aufgehoben)", "(repealed)", "(Repealed)", "[Repealed]", "[repealed]")
"""What stands after the numbers of repealed sections in their place (`§§ 3 bis 6 (weggefallen)`): no reference."""
_LAW_ENDS = ("G", "O", "B", "V")
"""Last letters of German law abbreviations: `BGB`, `ZPO`, `UrhG`, `InsO`, `EnWV`."""
_RFC2119 = frozenset(
    {"MUST", "SHALL", "SHOULD", "MAY", "NOT", "REQUIRED", "RECOMMENDED", "OPTIONAL", "TO", "ALSO"}
)


def names_another_document(raw: str, start: int, end: int) -> bool:
    """Whether the reference at `raw[start:end]` names a clause of another document than its own, or none."""
    return _before(raw, start) or _after(raw, end) or _placeholder(raw, start, end)


def _placeholder(raw: str, start: int, end: int) -> bool:
    """`##### (XXXX) §§ 707a bis 707c`: a heading that is only the numbers of the repealed sections it stands for."""
    first = raw.rfind("\n", 0, start) + 1
    if not raw.startswith("#", first):
        return False
    last = raw.find("\n", end)
    before = raw[first:start].lstrip("#").strip()
    after = raw[end : len(raw) if last < 0 else last].strip()
    return (not before or (before[0] == "(" and before[-1] == ")")) and (not after or after in _REPEALED)


def _before(raw: str, start: int) -> bool:
    """`RFC 8659, Section 4.2`: a standard named right before the unit (its number last, then `, ` or ` (`)."""
    k = start - 1
    while k >= 0 and raw[k] in _BETWEEN:
        k -= 1
    if k < 0 or not raw[k].isdigit():  # most references: a word before them
        return False
    low = max(0, start - LOOK_BACK, raw.rfind("\n", 0, start) + 1)
    window = raw[low : k + 1]
    return any(m.end() == len(window) for m in _DESIGNATION_RE.finditer(window))


def _after(raw: str, end: int) -> bool:
    """`Section 8.3 of RFC 8555`, `…, respectively, of NIST SP 800-56A`, `section 3 of the Act`, `§ 5 des EGBGB`."""
    k = end
    while k < len(raw) and raw[k] in " \t\n,":
        k += 1
    if k == end or k == len(raw):
        return False
    first = raw[k]
    if first == "o" or first == "r":  # `of the Act`, `respectively, of NIST SP 800-56A`
        m = _OF_RE.match(raw, end)
        return m is not None and m.group(1) not in _SELF and UNIT_OF.get(m.group(1).lower()) is None
    if first == "d":  # `des Einführungsgesetzes`, `der Zivilprozessordnung`
        m = _GENITIVE_RE.match(raw, end)
        word = m.group(2).lower() if m else ""
        return m is not None and UNIT_OF.get(word) is None and (m.group(1) == "des" or word.endswith(_LAWS))
    if first == "(" or first == "[":  # `§§ 3 bis 6 (weggefallen)`: the place of repealed sections
        return raw.startswith(_REPEALED, k)
    if not first.isupper():
        return False
    if _NAMED_AFTER_RE.match(raw, end):  # `[Source: Section 5.3.3, NIST SP 800-89]`
        return True
    # `§ 307 BGB`, `§ 29 ZPO`: a German law by its abbreviation, two capitals or more and ending G, O, B or V
    m = _LAW_ABBREVIATION_RE.match(raw, end)
    word = m.group(1) if m else ""
    return word[-1:] in _LAW_ENDS and sum(ch.isupper() for ch in word) >= 2 and word not in _RFC2119
