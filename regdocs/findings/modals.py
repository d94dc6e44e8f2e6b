"""The modal vocabulary: the words that bind, advise or permit, per language, and where a text uses them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

LEVELS: Mapping[str, tuple[int, bool]] = {
    "binding": (3, False),
    "prohibited": (3, True),
    "recommended": (2, False),
    "not-recommended": (2, True),
    "permitted": (1, False),
    "not-required": (1, True),
}
"""The lists of a vocabulary file, each as (strength, negative): 3 binding, 2 recommendation, 1 permission."""

GAP = "\u2026"
"""In a phrase, the words between its two parts: `no … may`, `hat … zu`."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Vocabulary:
    """The modal phrases of one language, as its file `regdocs/findings/vocabulary/<language>.toml` lists them."""

    language: str
    """The file's stem: `en`, `de`."""
    phrases: tuple[tuple[str, int, bool], ...]
    """Each phrase as written in the file (`darf … nicht`, `REQUIRED`), its strength and whether it is negative."""
    gap: tuple[int, int]
    """How many words `…` stands for, at least and at most."""
    capitalised: bool = True
    """Whether a modal written with a capital first letter is one (in German it opens a condition)."""
    marker: str = ""
    """The word before an infinitive (`zu`): a phrase ending in it needs an infinitive. Empty: none."""
    ending: str = ""
    """How every infinitive ends (`n`)."""
    ends: tuple[str, ...] = ()
    """Words that end a clause as punctuation does (`und`), after an infinitive or a final modal."""
    final: bool = True
    """Whether a modal ending its clause counts (in German it stands in a subordinate clause: `die der
    Mieter machen muss,` describes, it does not rule)."""
    adjectives: tuple[str, ...] = ()
    """Adjective endings (`ten`): a phrase followed by such an adjective and its noun (`nicht gezahlte
    Vergütung`) ends in a word that qualifies the noun, not the modal, which then counts alone."""


@dataclass(frozen=True, slots=True)
class Modal:
    """A modal phrase where it stands in a cleaned text."""

    phrase: str
    """The vocabulary's phrase, lower-cased (`darf … nicht`, `shall`): what two versions compare."""
    shown: str
    """The document's words, lower-cased, `…` for the words between (`darf nicht`, `no … may`)."""
    start: int
    """Where the phrase begins in the text."""
    end: int
    """Where it ends."""


_KEYS = {"gap", "capitalised", "clause-final", "clause-ends", "infinitive", "adjective-endings", "phrases"}
"""The keys of a vocabulary file; `phrases` holds one list per name in `LEVELS`."""


def read_vocabulary(language: str, source: str) -> Vocabulary:
    """Read one language's vocabulary file, refusing what it does not know."""
    data = tomllib.loads(source)
    where = f"modal vocabulary {language!r}"
    if unknown := set(data) - _KEYS:
        raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
    if unknown := set(data.get("phrases", {})) - set(LEVELS):
        raise ValueError(f"{where}: unknown lists {sorted(unknown)}; the lists are {sorted(LEVELS)}")
    gap = data.get("gap", [0, 0])
    infinitive: dict[str, Any] = data.get("infinitive", {})
    if not (isinstance(gap, list) and len(gap) == 2 and 0 <= gap[0] <= gap[1] <= 40):
        raise ValueError(f"{where}: gap must be [least, most] words, at most 40")
    phrases = []
    for level, listed in data.get("phrases", {}).items():
        for phrase in listed if isinstance(listed, list) else [listed]:
            words = phrase.split(" ") if isinstance(phrase, str) else [""]
            if not phrase or "" in words or words.count(GAP) > 1 or words[0] == GAP or words[-1] == GAP:
                raise ValueError(f"{where}: {phrase!r} is not words with at most one {GAP} between them")
            phrases.append((phrase, *LEVELS[level]))
    return Vocabulary(
        language=language,
        phrases=tuple(phrases),
        gap=(gap[0], gap[1]),
        capitalised=bool(data.get("capitalised", True)),
        marker=str(infinitive.get("marker", "")),
        ending=str(infinitive.get("ending", "")),
        ends=tuple(data.get("clause-ends", ())),
        final=bool(data.get("clause-final", True)),
        adjectives=tuple(data.get("adjective-endings", ())),
    )


def shipped() -> tuple[Vocabulary, ...]:
    """Read every vocabulary that ships with regdocs, in the order of their languages' names."""
    folder = files("regdocs.findings").joinpath("vocabulary")
    paths = sorted((p for p in folder.iterdir() if p.name.endswith(".toml")), key=lambda p: p.name)
    return tuple(read_vocabulary(p.name.removesuffix(".toml"), p.read_text(encoding="utf-8")) for p in paths)


_WORD = r"[\w§][\w§-]{0,30}(?:\.(?= \d))?"
"""A word inside a gap: letters, digits, `§`, hyphens, and the point of `Abs. 1` (never a sentence's end)."""


def _closing(words: str, vocabulary: Vocabulary) -> str:
    """The pattern of a phrase's part after `…`: its words, or its words then an infinitive."""
    *head, last = words.split(" ")
    if not vocabulary.marker or last != vocabulary.marker:
        return re.escape(words)
    letters, ending = r"[^\W\d_]", re.escape(vocabulary.ending)
    marker = re.escape(last)
    infinitive = f"(?:{marker} {letters}{{0,30}}{ending}|{letters}{{1,20}}{marker}{letters}{{0,30}}{ending})"
    return "".join(f"{re.escape(w)} " for w in head) + infinitive + f"(?={_clause_end(vocabulary.ends)})"


def _clause_end(words: Sequence[str]) -> str:
    """The pattern of what ends a clause: punctuation, the end of the text, or one of `words`."""
    return r" ?[,.;:)]|\Z" + "".join(f"| {re.escape(w)}(?!\\w)" for w in words)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Vocabularies compiled into one pattern, with what each of their phrases means."""

    pattern: re.Pattern[str]
    """Every phrase, on lower-cased text; a phrase with `…` is a named group `p<n>` (`groups[n]`)."""
    groups: tuple[str, ...]
    """The phrase of each named group."""
    strengths: Mapping[str, tuple[int, bool]]
    """Strength and polarity of each phrase and of its gapless form (`darf nicht`)."""
    capitals_only: frozenset[str]
    """Phrases that count only in capitals (`REQUIRED`)."""
    lower_initial: frozenset[str]
    """Phrases that do not count with a capital first letter (`Soll die Leistung …, so`)."""
    infinitives: frozenset[str]
    """Phrases ending in an infinitive (`hat … zu`), always shown as listed."""
    adjectives: Mapping[str, tuple[str, ...]]
    """For the phrases of a language with adjective endings, those endings."""
    not_final: frozenset[str]
    """Phrases that do not count at the end of their clause (`…, wenn er kennen muss.`)."""
    negated: Mapping[str, tuple[tuple[str, str], ...]]
    """For a phrase with `…`, a word that, inside its gap, makes it another phrase: `hat … zu` with
    `nicht` between (`hat dies nicht selbst zu vertreten`) is `hat … nicht zu`."""
    clause_end: re.Pattern[str]
    """What ends a clause after a phrase, in any language: punctuation, the end, a word such as `und`."""

    @classmethod
    def build(cls, vocabularies: Sequence[Vocabulary]) -> Lexicon:
        """Compile vocabularies; a phrase listed twice, in one language or two, is refused."""
        strengths: dict[str, tuple[int, bool]] = {}
        groups: list[str] = []
        gapped: list[str] = []
        contiguous: list[str] = []
        capitals: set[str] = set()
        lower: set[str] = set()
        infinitives: set[str] = set()
        adjectives: dict[str, tuple[str, ...]] = {}
        not_final: set[str] = set()
        negated: dict[str, tuple[tuple[str, str], ...]] = {}
        ends: set[str] = set()
        for v in vocabularies:
            ends |= set(v.ends)
            after: dict[str, list[tuple[str, str]]] = {}
            for written, level, negative in v.phrases:
                phrase = written.lower()
                head, _, tail = phrase.partition(f" {GAP} ")
                infinitive = bool(v.marker) and phrase.endswith(f" {v.marker}")
                names = [phrase] + ([f"{head} {tail}"] if tail and v.gap[0] == 0 and not infinitive else [])
                for name in names:
                    if name in strengths:
                        raise ValueError(f"modal vocabulary {v.language!r}: {name!r} is listed twice")
                    strengths[name] = (level, negative)
                if tail:
                    after.setdefault(head, []).append((tail, phrase))
                else:
                    contiguous.append(phrase)
                capitals |= {phrase} if written.isupper() else set()
                lower |= set() if v.capitalised else {phrase}
                infinitives |= {phrase} if infinitive else set()
                if tail and v.adjectives:
                    adjectives[phrase] = v.adjectives
                not_final |= set() if tail or v.final else {phrase}
            for head, tails in after.items():
                negated |= _widened(tails)
                gapped.append(_gapped(head, tails, v, groups))
        contiguous.sort(key=len, reverse=True)  # "shall not" before "shall"
        source = "(?:" + "|".join(gapped + [re.escape(p) for p in contiguous]) + r")(?!\w)"
        return cls(
            re.compile(source),
            tuple(groups),
            strengths,
            frozenset(capitals),
            frozenset(lower),
            frozenset(infinitives),
            adjectives,
            frozenset(not_final),
            negated,
            re.compile(_clause_end(sorted(ends))),
        )


def _gapped(head: str, tails: list[tuple[str, str]], vocabulary: Vocabulary, groups: list[str]) -> str:
    """The pattern of the phrases `head … tail` of one language, each tail a named group `p<n>` (`groups[n]`)."""
    alternatives = []
    for tail, phrase in sorted(tails, key=lambda t: -len(t[0])):  # "keinen" before "kein"
        alternatives.append(f"(?P<p{len(groups)}>{_closing(tail, vocabulary)})")
        groups.append(phrase)
    least, most = vocabulary.gap
    # lazy: the nearest closing part wins ("ist berechtigt und … verpflichtet" is "ist berechtigt")
    return f"{re.escape(head)}(?: {_WORD}){{{least},{most}}}? (?:{'|'.join(alternatives)})"


def _widened(tails: list[tuple[str, str]]) -> dict[str, tuple[tuple[str, str], ...]]:
    """For each phrase `head … tail`, the phrases `head … word tail` by their extra word (`nicht`)."""
    out = {}
    for tail, phrase in tails:
        wider = tuple(
            (t.split(" ")[0], p)
            for t, p in tails
            if t.endswith(f" {tail}") and t.count(" ") == tail.count(" ") + 1
        )
        if wider:
            out[phrase] = wider
    return out


_LEXICON = Lexicon.build(shipped())
# Case-sensitive on lower-cased text with no leading assertion, so `re` can skip ahead by first letter.
_MODAL_RE = _LEXICON.pattern
_DIGIT_AFTER_RE = re.compile(r"\s?\d")
_CLAUSE_END_RE = _LEXICON.clause_end
_NEXT_TWO_RE = re.compile(r" ([^\W\d_]{1,40}) ([^\W\d_])")
"""The word after a phrase and the first letter of the one after it (`nicht` | `gezahlte V`)."""


def strength(phrase: str) -> tuple[int, bool]:
    """Rate a modal phrase: 3 binding, 2 recommendation, 1 permission, and whether it is negative."""
    key = " ".join(phrase.lower().split())
    if key not in _LEXICON.strengths:
        raise ValueError(f"not a modal phrase: {phrase!r}")
    return _LEXICON.strengths[key]


def find_modals(text: str, low: str) -> list[Modal]:
    """List the modal phrases of cleaned `text` (`low`: it lower-cased index for index), in order."""
    found: list[Modal] = []
    at = 0
    while (m := _MODAL_RE.search(low, at)) is not None:
        modal = _read(m, text)
        if modal is not None:
            found.append(modal)
        at = modal.end if modal is not None else m.start() + 1  # a refused match may hide a phrase inside
    return found


def _read(m: re.Match[str], text: str) -> Modal | None:
    """Read a match as a modal phrase; None inside a word, for the month May, a condition or a noun."""
    s, e = m.span()
    lex = _LEXICON
    phrase = lex.groups[int(m.lastgroup[1:])] if m.lastgroup else m.group()
    head, _, tail = phrase.partition(f" {GAP} ")
    first = text[s : s + len(head.split(" ")[0])]
    if (
        (s and (text[s - 1].isalnum() or text[s - 1] == "_"))
        or (phrase in lex.capitals_only and not text[s:e].isupper())
        or (phrase in lex.lower_initial and first[0].isupper() and not first.isupper())
        or (
            text[e - 3 : e] == "May"
            and (_DIGIT_AFTER_RE.match(text, e) or text[max(0, e - 5) : e - 3].strip()[-1:].isdigit())
        )
        or (phrase in lex.infinitives and not text[text.rfind(" ", s, e) + 1].islower())
        or (phrase in lex.not_final and _CLAUSE_END_RE.match(text, e))
    ):
        return None
    if phrase in lex.adjectives and (two := _NEXT_TWO_RE.match(text, e)):
        word, noun = two.groups()
        if word[0].islower() and word.endswith(lex.adjectives[phrase]) and noun.isupper():
            # "kann … die nicht gezahlte Vergütung verlangen": "nicht" qualifies "gezahlte", "kann" counts alone
            return Modal(head, head, s, s + len(head)) if head in lex.strengths else None
    if phrase in lex.negated:
        between = text[s + len(head) : m.start(m.lastgroup or 0)].split(" ")
        phrase = next((wider for word, wider in lex.negated[phrase] if word in between), phrase)
        head, _, tail = phrase.partition(f" {GAP} ")
    shown = phrase
    if m.lastgroup and phrase not in lex.infinitives and m.start(m.lastgroup) == s + len(head) + 1:
        shown = f"{head} {tail}"
    return Modal(phrase, shown, s, e)
