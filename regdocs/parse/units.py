"""The units of a legal text (part, section, article, annex, paragraph...): how each is written and what it is.

The one table of unit words. Patterns that read them (headings in `numbering.py`, cross-references in
`references.py`, reference masks and quantities in `findings/`) build their alternatives from it with
`alternatives`, so that a spelling added here is read everywhere that reads its unit and form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Flag, auto


class Form(Flag):
    """Ways a unit is written; a pattern reads a combination of them (`Form.WORD | Form.PLURAL`)."""

    WORD = auto()
    """The singular word: `section`."""
    PLURAL = auto()
    """The plural word: `sections`."""
    VARIANT = auto()
    """Another spelling of the word or its plural: `sub-paragraph`, `sub-paragraphs`."""
    ABBREVIATION = auto()
    """An abbreviation that numbers a heading: `Art. 5`, `Sec. 4`."""
    SHORT = auto()
    """A one-letter form of citations in running text: `s. 4`, `ss. 4-6`."""
    SIGN = auto()
    """A sign for the unit: `§ 4`, `§§ 4-6`."""


SECTION_SIGN = "\u00a7"
"""`§`: `§ 4` is section 4, `§§ 4-6` sections 4 to 6."""


@dataclass(frozen=True, slots=True)
class Unit:
    """One unit of a legal text and every way it is written."""

    name: str
    """The canonical name, as `Number.unit` and reference targets carry it: `section`."""
    plural: str = ""
    """The plural word (`sections`), or '' when none is read."""
    prefix: str = ""
    """Id prefix of a clause it numbers (`Article 5` -> `art-5`); '' for a unit that never numbers a heading."""
    container: bool = False
    """Groups sections without qualifying their numbers: sections run on across parts."""
    cited: bool = False
    """Read as the unit a cross-reference names: `see Article 5`, `§§ 3 and 4`."""
    back_matter: bool = False
    """Numbered apart from the sections, at the top of a document: `Schedule 2` may be in another file."""
    relative: bool = False
    """Named alone, means the one nearest the reference: `paragraph (b)`."""
    variants: tuple[str, ...] = ()
    """Other spellings of the word and its plural (`Form.VARIANT`)."""
    abbreviations: tuple[str, ...] = ()
    """Abbreviations that number a heading (`Form.ABBREVIATION`)."""
    short: tuple[str, ...] = ()
    """One-letter citation forms (`Form.SHORT`)."""
    signs: tuple[str, ...] = ()
    """Signs for the unit (`Form.SIGN`)."""
    language: str = "en"
    """The language of its words: a `de` unit is numbered by ordinal words too (`Erster Abschnitt`)."""

    def spellings(self, forms: Form) -> tuple[str, ...]:
        """Return the unit's spellings in `forms`, lower case."""
        found: list[str] = []
        if Form.WORD in forms:
            found.append(self.name)
        if Form.PLURAL in forms and self.plural:
            found.append(self.plural)
        for form, words in (
            (Form.VARIANT, self.variants),
            (Form.ABBREVIATION, self.abbreviations),
            (Form.SHORT, self.short),
            (Form.SIGN, self.signs),
        ):
            if form in forms:
                found += words
        return tuple(found)


UNITS = (
    Unit("part", "parts", "part", container=True, cited=True),
    Unit("chapter", "chapters", "ch", container=True, cited=True),
    Unit("title", "titles", "title", container=True),
    Unit("division", "divisions", "div", container=True),
    Unit("subpart", "subparts", "subpart", container=True),
    Unit("book", "books", "book", container=True),
    Unit("article", "articles", "art", cited=True, abbreviations=("art.",)),
    Unit(
        "section", "sections", "sec", cited=True, abbreviations=("sec.",), short=("s.", "ss."),
        signs=(SECTION_SIGN, SECTION_SIGN * 2),
    ),
    Unit("regulation", "regulations", "reg", cited=True),
    Unit("rule", "rules", "rule", cited=True),
    Unit("clause", "clauses", "cl", cited=True),
    Unit("schedule", "schedules", "sch", cited=True, back_matter=True),
    Unit("annex", "annexes", "annex", cited=True, back_matter=True),
    # `appendices 2 and 3` is not read as a reference (yet): adding the plural finds new references
    Unit("appendix", "", "app", cited=True, back_matter=True),
    Unit("paragraph", "paragraphs", relative=True),
    Unit("subparagraph", "subparagraphs", relative=True, variants=("sub-paragraph", "sub-paragraphs")),
    Unit("subsection", "subsections", relative=True),
    Unit("point", "points"),
    # German statutes (the BGB): their own words, so that ids and citations read as the text does (`abschnitt-3`)
    Unit("buch", "bücher", "buch", container=True, language="de"),
    Unit("teil", "teile", "teil", container=True, language="de"),
    Unit("abschnitt", "abschnitte", "abschnitt", container=True, language="de"),
    Unit("titel", "", "titel", container=True, language="de"),
    Unit("untertitel", "", "untertitel", container=True, language="de"),
    Unit("kapitel", "", "kapitel", container=True, language="de"),
    Unit("unterkapitel", "", "unterkapitel", container=True, language="de"),
    Unit("absatz", "absätze", relative=True, variants=("absätzen", "absatzes"), short=("abs.",), language="de"),
    Unit("nummer", "nummern", relative=True, short=("nr.",), language="de"),
)  # fmt: skip
"""Every unit, outermost first (English, then German)."""

_BY_NAME = {unit.name: unit for unit in UNITS}

NUMBERED_UNITS = tuple(u.name for u in UNITS if u.prefix)
"""Units that number a heading: `Part 2`, `Article 5`, `Schedule 1`."""
SUBDIVISIONS = tuple(u.name for u in UNITS if not u.prefix)
"""Units inside a cited one, named before it: `paragraph (2) of Article 5`."""
CITED_UNITS = tuple(u.name for u in UNITS if u.cited)
"""Units a cross-reference names: `see Article 5`, `§§ 3 and 4`."""
RELATIVE_UNITS = tuple(u.name for u in UNITS if u.relative)
"""Subdivisions named alone for the one nearest the reference: `paragraph (b)`."""
CONTAINER_UNITS = frozenset(u.name for u in UNITS if u.container)
"""Units that group sections without qualifying their numbers (sections run on across parts)."""
BACK_MATTER_UNITS = frozenset(u.name for u in UNITS if u.back_matter)
"""Units numbered apart from the sections, at the top of a document (schedules, annexes, appendices)."""
ORDINAL_UNITS = tuple(u.name for u in UNITS if u.prefix and u.language == "de")
"""Units a heading may number with an ordinal word before them: `Erster Abschnitt`, `Zweites Buch`."""
UNIT_PREFIX: Mapping[str, str] = {u.name: u.prefix for u in UNITS if u.prefix}
"""Id prefix for a numbered unit: `Article 5` -> `art-5`."""
UNIT_OF: Mapping[str, str] = {s: u.name for u in UNITS for s in u.spellings(~Form(0))}
"""The unit a lower-case spelling of any form names: `art.` -> `article`, `§§` -> `section`."""


_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""Letters a case-blind pattern matches to ASCII ones that `lower()` does not turn into them (`ſ`, `İ`, `K`)."""


def unit_of(word: str, default: str = "section") -> str:
    """The unit a spelling names (`Sections` -> `section`), whatever its case: what `(?i:…)` matched."""
    return UNIT_OF.get(word.translate(_FOLD).lower(), default)


def spellings(names: Iterable[str], forms: Form) -> tuple[str, ...]:
    """Return every spelling in `forms` of the units `names`, longest first."""
    found = {s for name in names for s in _BY_NAME[name].spellings(forms)}
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def alternatives(names: Iterable[str], forms: Form) -> str:
    """Return a regular expression group matching any spelling in `forms` of the units `names`.

    Lower case (wrap it in `(?i:...)` to read `Section`), escaped, and longest first, so that no spelling
    loses to a shorter one it starts with (`sections` before `section`). Literals only: linear anywhere.
    """
    return "(?:" + "|".join(re.escape(s) for s in spellings(names, forms)) + ")"


def keywords(names: Iterable[str], forms: Form) -> tuple[str, ...]:
    """Return the spellings that hold no other spelling: every spelling holds one of them.

    A text none of them occurs in holds no spelling (`section` finds `sections` and `subsection`).
    """
    every = spellings(names, forms)
    return tuple(sorted(s for s in every if not any(o != s and o in s for o in every)))
