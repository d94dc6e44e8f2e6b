"""Decide whether two wordings read the same: only emphasis, whitespace, quote style and link wrapping differ.

Everything else a reader sees is substance: comparison operators, signs, currency and percent signs,
strike-through, punctuation inside numbers (`10^26` is not `10-26`), letters and digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

MAX_PARSED = 64_000
"""Texts longer than this are compared with whitespace collapsed only (markdown's inline parse is slow there)."""

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2010": "-",  # hyphen and non-breaking hyphen read as the ASCII hyphen; the minus sign does not
        "\u2011": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)


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
        return Reading(words=tuple(text.translate(_QUOTES).split()), links=frozenset())
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
    return Reading(words=tuple("".join(out).translate(_QUOTES).split()), links=frozenset(links))


def reads_the_same(old: str, new: str) -> bool:
    """True when the two texts differ only in formatting: a link may be added or removed, not retargeted."""
    if old == new:
        return True
    a, b = reading(old), reading(new)
    return a.words == b.words and (a.links <= b.links or b.links <= a.links)
