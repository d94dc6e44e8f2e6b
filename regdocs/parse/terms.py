"""Defined terms: `"Term" means ...` definitions and where terms are used."""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from regdocs.parse.model import DefinedTerm
from regdocs.parse.references import Locator

_VERB = r"(?:means|mean|refers?\s+to|ha(?:s|ve)\s+the\s+meanings?|shall\s+mean|is\s+defined\s+as)\b"
_QUOTED = r"[\"\u201c][^\"\u201c\u201d\n]{1,80}[\"\u201d]"
# Blanks, then `,` / `and` / `or` / `, and` / `, or`, then blanks: each blank can be read one way only
# (`\s*(?:,|and|…)?\s*` splits a run of blanks in n ways, and a list of quoted terms in 2^n ways).
_SEPARATOR = r"\s*+(?:,\s*+(?:(?:and|or)\s*+)?|(?:and|or)\s*+)?"
MAX_LISTED = 12
"""Most extra quoted terms one definition may list (`"A", "B" or "C" means`): bounds the rescans from each quote."""
_DEF_RE = re.compile(
    r"(?P<terms>" + _QUOTED + r"(?:" + _SEPARATOR + _QUOTED + r"){0," + str(MAX_LISTED) + r"}+)"
    r",?\s*+(?:\([^)\n]{0,80}\)\s*+)?" + _VERB
)
_BOLD_DEF_RE = re.compile(r"(?:\*\*|__)(?P<term>[^*_\n]{1,80})(?:\*\*|__)\s*+(?:,\s*+)?" + _VERB)
_ONE_QUOTED = re.compile(r"[\"\u201c]([^\"\u201c\u201d\n]{1,80})[\"\u201d]")


def find_terms(raw: str, first_line: int) -> tuple[DefinedTerm, ...]:
    """Find the terms defined in a clause's source text starting at `first_line`."""
    if "mean" not in raw and "refer" not in raw and "defined" not in raw:
        return ()
    found: list[DefinedTerm] = []
    at = Locator(raw, first_line)

    def add(term: str, offset: int) -> None:
        term = term.strip().strip(",.;:").strip()
        if not term:
            return
        found.append(DefinedTerm(term, *at(offset)))

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


_WORD_RE = re.compile(r"\w+")
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
"""The only non-ASCII characters that `re.IGNORECASE` equates with ASCII letters: İ ı ſ K (Kelvin).

After them, `str.lower()` keeps every character one character long, so offsets stay the same.
"""


class TermIndex:
    """Where the words of some terms occur in many texts, so that finding a term's uses reads only those places.

    Searching every text for every term is O(terms × texts): 4,000 definitions took 18 s to lint. A use
    of an ASCII term holds each of its words as a whole word (the last may take `s`/`es`), case folded as
    `re.IGNORECASE` does; when the term starts with a word, a use starts where that word does, and only
    those places (in texts holding the term's rarest word) are tried. Other terms (non-ASCII, or starting
    with a mark) are searched for in the texts holding their rarest word, or in every text.
    """

    __slots__ = ("_at", "_texts")

    def __init__(self, texts: Sequence[str], terms: Iterable[str]) -> None:
        self._texts = texts
        wanted: set[str] = set()
        for term in terms:
            for spellings in _spellings(term) or ():
                wanted.update(spellings)
        at: dict[str, list[tuple[int, int]]] = defaultdict(list)
        if wanted:
            for k, text in enumerate(texts):
                folded = (text if text.isascii() else text.translate(_FOLD)).lower()
                for m in _WORD_RE.finditer(folded):
                    if m.group() in wanted:
                        at[m.group()].append((k, m.start()))  # in text order, then offset order
        self._at = at

    def users(self, term: str, skip: int = -1) -> Iterator[int]:
        """Indices of the texts (except `skip`) that use `term`, in order."""
        starts = self._starts(term)
        if starts is None:
            yield from self._search(term, skip)
            return
        end_of = _use_end(term)
        done = -1
        for k, offset in starts:
            if k != skip and k != done and end_of(self._texts[k], offset) >= 0:
                done = k
                yield k

    def used(self, term: str, own: int) -> bool:
        """Whether `term` is used in a text other than `own`, or twice in `own` (which holds its definition)."""
        starts = self._starts(term)
        if starts is None:
            if next(self._search(term, own), None) is not None:
                return True
            matches = usage_pattern(term).finditer(self._texts[own]) if own >= 0 else iter(())
            return next(matches, None) is not None and next(matches, None) is not None
        end_of = _use_end(term)
        end, count = 0, 0
        for k, offset in starts:
            if k != own:
                if end_of(self._texts[k], offset) >= 0:
                    return True
            elif offset >= end:  # uses in one text do not overlap, as with `findall`
                stop = end_of(self._texts[k], offset)
                if stop >= 0:
                    count, end = count + 1, stop
                    if count == 2:
                        return True
        return False

    def _search(self, term: str, skip: int) -> Iterator[int]:
        """Texts (except `skip`) the term's pattern finds, among those holding its rarest word."""
        pattern = usage_pattern(term)
        groups = self._groups(term)
        if groups is None:
            candidates: Iterable[int] = range(len(self._texts))
        else:
            candidates = sorted({k for ks in groups[_rarest(groups)] for k, _ in ks})
        for k in candidates:
            if k != skip and pattern.search(self._texts[k]):
                yield k

    def _groups(self, term: str) -> list[list[list[tuple[int, int]]]] | None:
        """Per word of the term, the occurrences of each of its spellings; None when words cannot tell."""
        words = _spellings(term)
        return None if words is None else [[self._at.get(w, []) for w in spellings] for spellings in words]

    def _starts(self, term: str) -> Iterator[tuple[int, int]] | None:
        """(text, offset) where a use may start, in order; None when the term does not start with a word."""
        groups = self._groups(term)
        if groups is None or not _WORD_RE.match(term):
            return None
        first = groups[0]
        merged = heapq.merge(*first) if len(first) > 1 else iter(first[0])
        rare = _rarest(groups)
        if rare == 0:
            return merged
        texts = {k for ks in groups[rare] for k, _ in ks}
        return (e for e in merged if e[0] in texts)


def _rarest(groups: list[list[list[tuple[int, int]]]]) -> int:
    """Index of the word with the fewest occurrences."""
    return min(range(len(groups)), key=lambda g: sum(map(len, groups[g])))


_SIMPLE_TERM_RE = re.compile(r"[A-Za-z0-9_]++(?: [A-Za-z0-9_]++)*+")
_BLANKS_RE = re.compile(r"\s+")
_SUFFIXES = ("s", "es", "'s", "\u2019s", "")
"""The endings `usage_pattern` allows, in the order it tries them."""


def _use_end(term: str) -> Callable[[str, int], int]:
    """Where a use of `term` starting at an offset ends (-1: none), as `usage_pattern(term).match` says.

    Compiling a pattern per term cost 0.7 s for 14,000 definitions, so plain terms (ASCII words and
    single spaces) are compared directly, case folded as `re.IGNORECASE` does.
    """
    if not _SIMPLE_TERM_RE.fullmatch(term):
        pattern = usage_pattern(term)

        def by_pattern(text: str, at: int) -> int:
            m = pattern.match(text, at)
            return -1 if m is None else m.end()

        return by_pattern
    words = term.lower().split(" ")

    def direct(text: str, at: int) -> int:
        if at and (text[at - 1] == "-" or _is_word(text[at - 1])):
            return -1
        pos = at
        for k, word in enumerate(words):
            if k:
                blanks = _BLANKS_RE.match(text, pos)
                if blanks is None:
                    return -1
                pos = blanks.end()
            if _folded(text[pos : pos + len(word)]) != word:
                return -1
            pos += len(word)
        for suffix in _SUFFIXES:
            end = pos + len(suffix)
            if suffix and _folded(text[pos:end]) != suffix:
                continue
            if end < len(text) and (text[end] == "-" or _is_word(text[end])):
                continue
            return end
        return -1

    return direct


def _folded(text: str) -> str:
    return (text if text.isascii() else text.translate(_FOLD)).lower()


def _is_word(char: str) -> bool:
    """`\\w` in Python's `re` is exactly this."""
    return char.isalnum() or char == "_"


def _spellings(term: str) -> list[list[str]] | None:
    """Each word of an ASCII term as folded text words (the last with `s`/`es` too); None otherwise."""
    if not term.isascii():
        return None
    low = term.lower()
    words = _WORD_RE.findall(low)
    if not words:
        return None
    out = [[w] for w in words]
    if low.endswith(words[-1]):  # a plural or possessive can follow the last word
        out[-1] += [words[-1] + "s", words[-1] + "es"]
    return out
