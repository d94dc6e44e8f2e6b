"""Findings inside one clause's text: normative strength and numbers that changed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from regdocs.compare.align import strip_marks
from regdocs.compare.model import FindingKind, FindingSeverity
from regdocs.findings.modals import Modal, find_modals
from regdocs.findings.modals import strength as strength  # re-exported: callers rate phrases here


class TextChange(StrEnum):
    """What in a clause's words gave a text finding (a split or merge counts lone obligations apart)."""

    MODAL = "modal"
    """A modal phrase replaced by one of another strength or polarity (`shall` -> `may`)."""
    OBLIGATION = "obligation"
    """A binding modal (`shall`, `must`) deleted or inserted with no counterpart."""
    PROHIBITION = "prohibition"
    """A prohibition (`shall not`, `must not`, `may not`) deleted or inserted with no counterpart."""
    QUALIFIER = "qualifier"
    """Discretion added or removed (`where it considers it appropriate`, `reasonable steps`)."""
    QUANTITY = "quantity"
    """A number, amount, duration, date or percentage changed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TextFinding:
    """One change that matters inside a clause's text."""

    kind: FindingKind
    """`weakened`, `strengthened`, `negation-changed` or `number-changed`."""
    change: TextChange
    """What in the words changed."""
    severity: FindingSeverity
    """High: weakened, negation changed, a deadline, threshold or amount changed; else medium."""
    message: str
    """One sentence for a reader, e.g. `deadline shortened from 72 hours to 24 hours`."""
    old: str
    """The old snippet (the modal phrase or quantity with a few words of context), or empty."""
    new: str
    """The new snippet, or empty."""


# --- markdown clean-up (every pattern is linear: no nested or overlapping repeats) ---------------------
_LEAD_RE = re.compile(
    r"^[ \t>]*(?:#{1,6}[ \t]+(?:\d+(?:\.\d+)*\.?[ \t]+)?)?(?:[-*+][ \t]+)?"
    r"(?:(?:\(\w{1,8}\)|\d+(?:\.\d+)*\.(?=\s))[ \t]*)*",
    re.MULTILINE,
)
_ANCHOR_RE = re.compile(r"\{#[^{}]*\}")
_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\([^()\s]*\)")
_FOOTNOTE_RE = re.compile(r"\[\^[^\[\]\s]*\]")
_SUP_RE = re.compile(r"<sup>([^<>]*)</sup>|\^\{([^{}]*)\}", re.IGNORECASE)


def clean(text: str) -> str:
    """Drop markdown markup and leading clause numbers, and collapse whitespace to single spaces."""
    if "\n" in text or text[:1] in "#>-*+( \t" or text[:1].isdigit():
        text = _LEAD_RE.sub("", text)
    if "{#" in text:
        text = _ANCHOR_RE.sub("", text)
    if "[" in text:
        text = _FOOTNOTE_RE.sub("", _LINK_RE.sub(r"\1", text))
    if "<" in text or "^{" in text:
        text = _SUP_RE.sub(lambda m: "^" + (m.group(1) or m.group(2)), text)
    if "*" in text or "_" in text or "`" in text:
        text = strip_marks(text, "*_`")  # not `(?<!\w)[*_`]+|[*_`]+(?!\w)`: quadratic on `a____…b`
    return " ".join(text.split())


def snippet(text: str, start: int, end: int, before: int = 3, after: int = 3) -> str:
    """Return the span `text[start:end]` with a few whole words of context either side."""
    head = " ".join(text[max(0, start - 80) : start].split(" ")[-before - 1 :])
    tail = " ".join(text[end : end + 60].split(" ")[: after + 1])
    return (head + text[start:end] + tail).strip()


def lowered(text: str) -> str:
    """Lower-case text keeping every character at its index, so spans found in it fit the original."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) > 1 else c.lower() for c in text)


def changed_runs(a: Sequence[Hashable], b: Sequence[Hashable]) -> Iterator[tuple[str, int, int, int, int]]:
    """Yield difflib's non-equal opcodes, trimming the common ends first so long equal runs stay cheap."""
    short = min(len(a), len(b))
    head = next((i for i in range(short) if a[i] != b[i]), short)
    tail = next((i for i in range(short - head) if a[-1 - i] != b[-1 - i]), short - head)
    a, b = a[head : len(a) - tail], b[head : len(b) - tail]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=len(b) >= 1000).get_opcodes():
        if tag != "equal":
            yield tag, i1 + head, i2 + head, j1 + head, j2 + head


# --- normative strength: the phrases and their strengths are data, per language (`modals.py`) ----------


def modals(text: str) -> list[str]:
    """Return the modal phrases of a clause's text in order, in its words (`shall`, `darf nicht`)."""
    text = clean(text)
    return [m.shown for m in find_modals(text, lowered(text))]


def _modal_change(a: Modal, b: Modal) -> tuple[FindingKind, str] | None:
    """Classify a replaced modal `a` -> `b` as (kind, message), or None when it does not matter."""
    (sa, na), (sb, nb) = strength(a.phrase), strength(b.phrase)
    if (sa, na) == (sb, nb):
        return None
    note = " (negation added)" if nb and not na else ""
    if na and not nb:
        note = " (prohibition removed)" if sa == 3 else " (negation removed)"
    kind = FindingKind.WEAKENED if sb < sa else FindingKind.STRENGTHENED
    kind = kind if sa != sb else FindingKind.NEGATION_CHANGED
    what = f"obligation {kind}" if sa != sb else "negation changed"
    return kind, f'{what}: "{a.shown}" -> "{b.shown}"{note}'


def modal_findings(old: str, new: str) -> list[TextFinding]:
    """Report modal phrases whose normative strength or polarity changed between two texts."""
    old, new = clean(old), clean(new)
    a, b = find_modals(old, lowered(old)), find_modals(new, lowered(new))
    ops = [
        (i1, i2, j1, j2, min(i2 - i1, j2 - j1))
        for _, i1, i2, j1, j2 in changed_runs([m.phrase for m in a], [m.phrase for m in b])
    ]
    # A modal deleted in one place and inserted in another only moved within the clause: no finding.
    gone = Counter(m.phrase for i1, i2, _, _, n in ops for m in a[i1 + n : i2])
    moved = gone & Counter(m.phrase for _, _, j1, j2, n in ops for m in b[j1 + n : j2])
    skip = {False: moved.copy(), True: moved}
    out: list[TextFinding] = []
    for i1, i2, j1, j2, n in ops:
        for ma, mb in zip(a[i1 : i1 + n], b[j1 : j1 + n], strict=True):
            if found := _modal_change(ma, mb):
                kind, message = found
                weaker = kind is not FindingKind.STRENGTHENED
                before, after = (
                    snippet(old, ma.start, ma.end, after=4),
                    snippet(new, mb.start, mb.end, after=4),
                )
                out.append(
                    TextFinding(
                        kind=kind,
                        change=TextChange.MODAL,
                        severity=FindingSeverity.HIGH if weaker else FindingSeverity.MEDIUM,
                        message=message,
                        old=before,
                        new=after,
                    )
                )
        alone = [(m, False) for m in a[i1 + n : i2]] + [(m, True) for m in b[j1 + n : j2]]
        for m, added in alone:  # binding modals deleted or inserted with no counterpart
            if skip[added][m.phrase] > 0:
                skip[added][m.phrase] -= 1
            elif (level := strength(m.phrase))[0] == 3:
                snip = snippet(new if added else old, m.start, m.end, after=4)
                what = "prohibition" if level[1] else "obligation"
                out.append(
                    TextFinding(
                        kind=FindingKind.STRENGTHENED if added else FindingKind.WEAKENED,
                        change=TextChange.PROHIBITION if level[1] else TextChange.OBLIGATION,
                        severity=FindingSeverity.MEDIUM if added else FindingSeverity.HIGH,
                        message=f'{what} {"added" if added else "removed"}: "{m.shown}"',
                        old="" if added else snip,
                        new=snip if added else "",
                    )
                )
    return out
