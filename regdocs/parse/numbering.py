"""Clause numbers: recognise `Part 2`, `2.3`, `§ 4`, `(a)`, `(iv)`, `4c.`, `aa)` and place them in sequence."""

from __future__ import annotations

import re
from functools import lru_cache

from regdocs.parse.model import Number
from regdocs.parse.units import NUMBERED_UNITS, SECTION_SIGN, Form, alternatives, unit_of

_SEP = r"(?:\s*[.:\u2014\u2013]\s*|\s+-\s+|\s+|$)"
_UNIT_RE = re.compile(
    r"(?i:(" + alternatives(NUMBERED_UNITS, Form.WORD | Form.ABBREVIATION) + r"))"
    r"\s+([0-9]+[A-Za-z]{0,2}(?:\.[0-9]+)*|[IVXLCDM]+|[A-Z])(?=[\s.:\u2014\u2013-]|$)" + _SEP
)
_SECTION_SIGN_RE = re.compile(re.escape(SECTION_SIGN) + r"\s*([0-9]+[A-Za-z]{0,2}(?:\.[0-9]+)*)\.?" + _SEP)
_DOTTED_RE = re.compile(r"([0-9]+(?:\.[0-9]+)+)\.?(?=\s|$)\s*")
_ARABIC_RE = re.compile(r"([0-9]{1,4})([A-Za-z]{0,2})[.)](?=\s|$)\s*")
_PAREN_RE = re.compile(r"\(([0-9]{1,4}[A-Za-z]{0,2}|[a-z]{1,4}|[A-Z]{1,4})\)(?=\s|$)\s*")
_LETTER_RE = re.compile(r"([a-z]{1,4}|[A-Z]{1,4})[.)](?=\s|$)\s*")
_ROMAN_RE = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


@lru_cache(maxsize=4096)
def roman_value(text: str) -> int:
    """Return the value of a lower-case roman numeral, or 0 when it is not one."""
    if not text or not _ROMAN_RE.fullmatch(text):
        return 0
    total = 0
    for i, ch in enumerate(text):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > v else v
    return total


@lru_cache(maxsize=4096)
def alpha_value(text: str) -> int:
    """Return the ordinal of `a`..`z`, then `aa`, `bb`..; 0 when not a letter sequence."""
    if not text or len(set(text)) != 1 or not text.isalpha() or not text.isascii():
        return 0
    return 26 * (len(text) - 1) + ord(text[0].lower()) - ord("a") + 1


@lru_cache(maxsize=4096)
def _letters(value: str, upper: bool) -> Number | None:
    low = value.lower()
    roman, alpha = roman_value(low), alpha_value(low)
    prefer_roman = roman and (len(low) > 1 or low == "i" or not alpha)
    if prefer_roman:
        style = "upper-roman" if upper else "lower-roman"
        return Number("", low, "", style, roman)
    if alpha:
        style = "upper-alpha" if upper else "lower-alpha"
        return Number("", low, "", style, alpha)
    return None


def match_number(text: str, *, heading: bool) -> tuple[Number, int] | None:
    """Read the number at the start of `text`; return it and how many characters it used."""
    if not text:
        return None
    first = text[0]
    if heading and first.isalpha():
        m = _UNIT_RE.match(text)
        if m:
            unit = unit_of(m.group(1), "section")  # `ſection 1` matches case-blind: never a KeyError
            raw = m.group(2)
            value = raw.lower()
            number = _plain(value, raw.isupper() and not raw.isdigit())
            label = f"{m.group(1)} {raw}"
            return (
                Number(label, value, unit, number.style, number.ordinal, number.suffix),
                m.end(),
            )
    if first == SECTION_SIGN:
        m = _SECTION_SIGN_RE.match(text)
        if m:
            n = _plain(m.group(1).lower(), False)
            return Number(
                f"{SECTION_SIGN} {m.group(1)}", n.value, "section", n.style, n.ordinal, n.suffix
            ), m.end()
        return None
    if first.isdigit():
        m = _DOTTED_RE.match(text)
        if m:
            value = m.group(1)
            return Number(value, value, "", "dotted", int(value.rsplit(".", 1)[1])), m.end()
        m = _ARABIC_RE.match(text)
        if m:
            digits, suffix = m.group(1), m.group(2).lower()
            label = text[: m.end()].rstrip()
            return Number(label, digits + suffix, "", "arabic", int(digits), suffix), m.end()
        return None
    if first == "(":
        m = _PAREN_RE.match(text)
        if m:
            raw = m.group(1)
            n = _plain(raw.lower(), raw.isupper())
            return Number(f"({raw})", n.value, "", n.style, n.ordinal, n.suffix), m.end()
        return None
    if first.isalpha() and first.isascii():
        m = _LETTER_RE.match(text)
        if m:
            raw = m.group(1)
            if raw != raw.lower() and raw != raw.upper():
                return None
            lt = _letters(raw.lower(), raw.isupper())
            if lt is None:
                return None
            label = text[: m.end()].rstrip()
            return Number(label, lt.value, "", lt.style, lt.ordinal), m.end()
    return None


@lru_cache(maxsize=4096)
def _plain(value: str, upper: bool) -> Number:
    """Classify a bare number value (`12`, `4c`, `2.3`, `a`, `iv`)."""
    if value[0].isdigit():
        if "." in value:
            return Number(value, value, "", "dotted", int(value.rsplit(".", 1)[1]))
        digits = value.rstrip("abcdefghijklmnopqrstuvwxyz")
        return Number(value, value, "", "arabic", int(digits), value[len(digits) :])
    letters = _letters(value, upper)
    return letters if letters is not None else Number(value, value, "", "lower-alpha", 0)


def as_style(number: Number, style: str) -> Number:
    """Reinterpret an ambiguous letter number (`i`, `v`, `x`...) as alpha or roman."""
    if style == number.style:
        return number
    low = number.value
    ordinal = alpha_value(low) if style.endswith("alpha") else roman_value(low)
    return Number(number.label, number.value, number.unit, style, ordinal, number.suffix)


def alternative_style(number: Number) -> str | None:
    """Return the other reading of a number that is both a letter and a roman numeral."""
    if number.style.endswith("roman") and alpha_value(number.value):
        return number.style.replace("roman", "alpha")
    if number.style.endswith("alpha") and roman_value(number.value):
        return number.style.replace("alpha", "roman")
    return None


STYLE_RANK = {
    "arabic": 0,
    "dotted": 0,
    "lower-alpha": 1,
    "lower-roman": 2,
    "upper-alpha": 3,
    "upper-roman": 4,
}
"""Conventional nesting of numbered paragraphs: 1 -> (a) -> (i) -> (A) -> (I)."""
