"""Decide whether two wordings read the same: only emphasis, whitespace, quote style and link wrapping differ.

Typographic quotes, dashes, ellipses, spaces and invisible marks read as their plain forms. Everything
else a reader sees in a text is substance: comparison operators, signs (the minus sign too), currency and
percent signs, strike-through, punctuation inside numbers (`10^26` is not `10-26`), letters and digits.
A title may also change case and punctuation (`titles_read_the_same`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_PARSED = 64_000
"""Texts longer than this are compared with whitespace collapsed only (markdown's inline parse is slow there)."""

_TYPOGRAPHY = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2039": "'",
        "\u203a": "'",
        "\u2032": "'",
        "\u2033": '"',
        # hyphens and dashes read as the ASCII hyphen (a run of them as one); the minus sign (U+2212) does not
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u200a": " ",
        "\u202f": " ",
        "\u00ad": None,  # soft hyphen, zero-width space and joiners: invisible
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
        "\ufeff": None,
    }
)
_DASHES_RE = re.compile(r"-{2,}")
_TITLE_WORD_RE = re.compile(r"\d+(?:[^\w\s]\d+)*|[^\W_]+")


@dataclass(frozen=True, slots=True)
class Reading:
    """What a reader takes from a text: its words and signs, and where its links go."""

    words: tuple[str, ...]
    """The visible text split at whitespace, emphasis and link markup gone, quotes made straight."""
    links: frozenset[str]
    """Link targets."""


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False})


def reading(text: str) -> Reading:
    """The visible words of inline markdown and its link targets."""
    if len(text) > MAX_PARSED or not any(ch in text for ch in "*_[`<\\&"):
        return Reading(words=_words(text), links=frozenset())
    out: list[str] = []
    links: set[str] = set()
    for block in _markdown().parseInline(text):  # inline only: a list marker or `#` in the text stays text
        for tok in block.children or ():
            if tok.type in ("text", "code_inline"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append(" ")
            elif tok.type == "link_open":
                links.add(str(tok.attrGet("href") or ""))
            elif tok.type == "image":
                out.append(tok.content)
                links.add(str(tok.attrGet("src") or ""))
        out.append(" ")
    return Reading(words=_words("".join(out)), links=frozenset(links))


def _words(text: str) -> tuple[str, ...]:
    """The words of visible text, typographic quotes, dashes, spaces and invisible marks made plain."""
    plain = text.translate(_TYPOGRAPHY)
    return tuple((_DASHES_RE.sub("-", plain) if "--" in plain else plain).split())


def reads_the_same(old: str, new: str) -> bool:
    """True when the two texts differ only in formatting: a link may be added or removed, not retargeted."""
    if old == new:
        return True
    a, b = reading(old), reading(new)
    return a.words == b.words and (a.links <= b.links or b.links <= a.links)


def title_words(title: str) -> tuple[str, ...]:
    """A title's words, case and punctuation aside (a number keeps its own: `10^26` is not `10-26`)."""
    return tuple(_TITLE_WORD_RE.findall(" ".join(reading(title).words).casefold()))


def titles_read_the_same(old: str, new: str) -> bool:
    """True when two titles differ only in formatting, case or punctuation (`PHYSICAL SECURITY.` -> `Physical security`)."""
    return old == new or title_words(old) == title_words(new)
