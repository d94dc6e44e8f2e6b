"""Clause numbers: recognise `Part 2`, `2.3`, `§ 4`, `(a)`, `(iv)`, `4c.`, `aa)` and place them in sequence."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from regdocs.parse.model import Number
from regdocs.parse.units import NUMBERED_UNITS, ORDINAL_UNITS, SECTION_SIGN, Form, alternatives, unit_of

_SEP = r"(?:\s*[.:\u2014\u2013]\s*|\s+-\s+|\s+|$)"
_AFTER = r"(?=[\s.:\u2014\u2013-]|$)"
# `Article 5`, `Art. 5`, `Article. I.` (the US Constitution's own style), `Buch 1 - Allgemeiner Teil`
_UNIT_RE = re.compile(
    r"(?i:(" + alternatives(NUMBERED_UNITS, Form.WORD | Form.ABBREVIATION) + r"))"
    r"\.?\s+([0-9]+[A-Za-z]{0,2}(?:\.[0-9]+)*|[IVXLCDM]+|[A-Z])" + _AFTER + _SEP
)
_SECTION_SIGN_RE = re.compile(re.escape(SECTION_SIGN) + r"\s*([0-9]+[A-Za-z]{0,2}(?:\.[0-9]+)*)\.?" + _SEP)
_DOTTED_RE = re.compile(r"([0-9]+(?:\.[0-9]+)+)\.?(?=\s|$)\s*")
_LETTERED_RE = re.compile(r"([A-Z](?:\.[0-9]+)+)\.?(?=\s|$)\s*")
"""`A.1.`, `A.1.1`: an appendix's numbered headings."""
_CHAPTERED_RE = re.compile(r"V([0-9]+(?:\.[0-9]+)*)(?=\s|$)\s*")
"""`V1`, `V1.2`: OWASP ASVS chapters and sections (the `V` adds nothing: requirement 1.2.3 is in V1.2)."""
_BARE_RE = re.compile(r"([0-9]{1,3})([A-Z]{0,2})[ \t]+(?=\S)")
"""`5 Title`, `3ZA Title`: a heading number with no stop after it (a year such as `2024` has four digits: never one)."""
_ARABIC_RE = re.compile(r"([0-9]{1,4})([A-Za-z]{0,2})[.)](?=\s|$)\s*")
_PAREN_RE = re.compile(r"\(([0-9]{1,4}[A-Za-z]{0,2}|[a-z]{1,4}|[A-Z]{1,4})\)(?=\s|$)\s*")
_LETTER_RE = re.compile(r"([a-z]{1,4}|[A-Z]{1,4})[.)](?=\s|$)\s*")
_ROMAN_RE = re.compile(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _german_ordinals() -> dict[str, int]:
    """Stems of German ordinal words to their value: `erst` 1 .. `neunzehnt` 19, `zwanzigst` 20 .. 59."""
    ones = ["erst", "zweit", "dritt", "viert", "fünft", "sechst", "siebent", "acht", "neunt", "zehnt", "elft"]
    ones += ["zwölft", "dreizehnt", "vierzehnt", "fünfzehnt", "sechzehnt", "siebzehnt", "achtzehnt"]
    found = {stem: k for k, stem in enumerate([*ones, "neunzehnt"], start=1)}
    found["siebt"] = 7
    digits = ["ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun"]
    for tens, word in ((20, "zwanzig"), (30, "dreißig"), (40, "vierzig"), (50, "fünfzig")):
        found[word + "st"] = tens
        found.update({f"{d}und{word}st": tens + k for k, d in enumerate(digits, start=1)})
    return found


GERMAN_ORDINALS = _german_ordinals()
"""`Erster Abschnitt`, `Zweites Buch`, `Einundzwanzigster Titel`: the stem of each ordinal word and its value."""
_ORDINAL_RE = re.compile(
    r"(?i:("
    + "|".join(re.escape(w) for w in sorted(GERMAN_ORDINALS, key=lambda w: (-len(w), w)))
    + r")(?:e[nrs]?)\s+("
    + alternatives(ORDINAL_UNITS, Form.WORD)
    + r"))"
    + _AFTER
    + _SEP
)


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
    """Read the number at the start of `text`; return it and how many characters it used.

    A number in bold (`**1.2.3** Verify…`, `**Section. 1.**`) is read as one when the bold holds the
    number alone; a unit word then numbers a paragraph too, as it does a heading.
    """
    if text.startswith(("**", "__")):
        return _bold(text)
    return _match(text, heading)


def _bold(text: str) -> tuple[Number, int] | None:
    """The number that is the whole of the bold text at the start of `text`, with the bold marks used."""
    end = text.find(text[:2], 2)
    if end < 3:
        return None
    inner = text[2:end]
    found = _match(inner, True)
    if found is None or found[1] < len(inner.rstrip()):
        return None
    return found[0], len(text) - len(text[end + 2 :].lstrip())


def _match(text: str, heading: bool) -> tuple[Number, int] | None:
    if not text:
        return None
    first = text[0]
    if heading and first.isalpha():
        found = _unit(text)
        if found is not None:
            return found
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
        if first.isupper() and len(text) > 2 and text[1] == "." and text[2].isdigit():
            m = _LETTERED_RE.match(text)
            if m:
                value = m.group(1)
                label = text[: m.end()].rstrip()
                return Number(label, value.lower(), "", "dotted", int(value.rsplit(".", 1)[1])), m.end()
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


def _unit(text: str) -> tuple[Number, int] | None:
    """A heading's unit number: `Part 2`, `Article. I.`, `Erster Abschnitt`, `V1.2` (OWASP ASVS)."""
    m = _UNIT_RE.match(text)
    if m:
        unit = unit_of(m.group(1), "section")  # `ſection 1` matches case-blind: never a KeyError
        raw = m.group(2)
        value = raw.lower()
        number = _plain(value, raw.isupper() and not raw.isdigit())
        label = f"{m.group(1)} {raw}"
        return Number(label, value, unit, number.style, number.ordinal, number.suffix), m.end()
    if text[0] == "V" and text[1:2].isdigit():
        m = _CHAPTERED_RE.match(text)
        if m:
            n = _plain(m.group(1), False)
            return Number("V" + m.group(1), n.value, "", n.style, n.ordinal), m.end()
        return None
    m = _ORDINAL_RE.match(text)
    if m:
        value = GERMAN_ORDINALS[m.group(1).lower()]
        label = text[: m.end(2)]
        return Number(label, str(value), unit_of(m.group(2)), "arabic", value), m.end()
    return None


def match_bare(text: str, around: Iterable[Number]) -> tuple[Number, int] | None:
    """Read a heading's bare number (`5 Title`, where `5. Title` is numbered anyway) where it is in sequence.

    A bare number is a clause number only at the start of a sequence (`1 Introduction`) or right after the
    number before it (`4 Context`, then `5 Leadership`; `3`, then the inserted `3ZA` and `3A`): `10 Principles` or
    `2024 Annual report` alone are titles. `around` are the numbers the heading may continue (its previous
    siblings and the open clauses).
    """
    m = _BARE_RE.match(text)
    if m is None:
        return None
    value, suffix = int(m.group(1)), m.group(2).lower()
    before = value if suffix else value - 1
    if (value != 1 or suffix) and not any(
        n.ordinal == before and n.style == "arabic" and not n.unit for n in around
    ):
        return None
    return Number(m.group(1) + m.group(2), f"{value}{suffix}", "", "arabic", value, suffix), m.end()


def suffix_order(suffix: str) -> tuple[int, str]:
    """Sort key of an inserted number's suffix: `3`, `3ZA`, `3A`, `3B` (UK style: `Z` goes before `A`)."""
    if not suffix:
        return (0, suffix)
    return (1, suffix) if len(suffix) > 1 and suffix[0] == "z" else (2, suffix)


def _form(label: str) -> str:
    """How a number is set off: `(` for `(2)`, `.` for `2.`, `)` for `2)`, '' for `2` or `§ 2`."""
    if label.startswith("("):
        return "("
    return label[-1] if label[-1:] in ".)" else ""


def inserted_after(number: Number, previous: Number) -> bool:
    """Whether `number` is inserted right after `previous`: `6a.` after `6.`, `6b.` after `6a.`, `(2a)` after `(2)`."""
    return (
        bool(number.suffix)
        and number.ordinal == previous.ordinal
        and suffix_order(number.suffix) > suffix_order(previous.suffix)
        and number.style == previous.style
        and number.unit == previous.unit
        and _form(number.label) == _form(previous.label)
    )


def follows(number: Number, previous: Number) -> bool:
    """Whether `number` comes next after `previous` in one sequence: `7.` after `6a.` or `6.`, `6a.` after `6.`."""
    if number.suffix:
        return inserted_after(number, previous)
    return (
        number.ordinal == previous.ordinal + 1
        and number.style == previous.style
        and number.unit == previous.unit
        and _form(number.label) == _form(previous.label)
    )


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
