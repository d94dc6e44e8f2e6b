"""Findings inside one clause's text: normative strength and numbers that changed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from regdocs.compare.align import strip_marks


@dataclass(frozen=True, slots=True)
class TextFinding:
    """One change that matters inside a clause's text."""

    kind: str
    """`weakened`, `strengthened`, `negation-changed` or `number-changed`."""
    severity: str
    """`high` (weakened, negation-changed, deadline or threshold or money changed), `medium` (strengthened, other number changes), `low`."""
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


def _clean(text: str) -> str:
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


def _snippet(text: str, start: int, end: int, before: int = 3, after: int = 3) -> str:
    """Return the span `text[start:end]` with a few whole words of context either side."""
    head = " ".join(text[max(0, start - 80) : start].split(" ")[-before - 1 :])
    tail = " ".join(text[end : end + 60].split(" ")[: after + 1])
    return (head + text[start:end] + tail).strip()


def _lower(text: str) -> str:
    """Lower-case text keeping every character at its index, so spans found in it fit the original."""
    low = text.lower()
    return low if len(low) == len(text) else "".join(c if len(c.lower()) > 1 else c.lower() for c in text)


def _opcodes(a: Sequence[Hashable], b: Sequence[Hashable]) -> Iterator[tuple[str, int, int, int, int]]:
    """Yield difflib's non-equal opcodes, trimming the common ends first so long equal runs stay cheap."""
    short = min(len(a), len(b))
    head = next((i for i in range(short) if a[i] != b[i]), short)
    tail = next((i for i in range(short - head) if a[-1 - i] != b[-1 - i]), short - head)
    a, b = a[head : len(a) - tail], b[head : len(b) - tail]
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=len(b) >= 1000).get_opcodes():
        if tag != "equal":
            yield tag, i1 + head, i2 + head, j1 + head, j2 + head


# --- normative strength -------------------------------------------------------------------------------
_STRENGTH: dict[str, tuple[int, bool]] = {
    **dict.fromkeys(("shall", "must", "is required to", "are required to"), (3, False)),
    **dict.fromkeys(("shall not", "must not", "may not"), (3, True)),
    **dict.fromkeys(("should", "ought to", "is recommended", "are recommended"), (2, False)),
    **dict.fromkeys(("should not", "ought not to", "is not recommended"), (2, True)),
    **dict.fromkeys(("may", "can", "is optional"), (1, False)),
    **dict.fromkeys(("need not", "is not required to", "are not required to"), (1, True)),
}
# Case-sensitive on lower-cased text with no leading assertion, so `re` can skip ahead by first letter.
_MODAL_RE = re.compile("(?:" + "|".join(sorted(_STRENGTH, key=len, reverse=True)) + r")(?!\w)")
_DIGIT_AFTER_RE = re.compile(r"\s?\d")


def strength(phrase: str) -> tuple[int, bool]:
    """Rate a modal phrase: 3 binding, 2 recommendation, 1 permission, and whether it is negative."""
    key = " ".join(phrase.lower().split())
    if key not in _STRENGTH:
        raise ValueError(f"not a modal phrase: {phrase!r}")
    return _STRENGTH[key]


def _modal_spans(text: str) -> list[tuple[str, int, int]]:
    """List the modal phrases of cleaned text with their spans, skipping the month May."""
    found = []
    for m in _MODAL_RE.finditer(_lower(text)):
        s, e = m.span()
        if (s and (text[s - 1].isalnum() or text[s - 1] == "_")) or (
            text[s:e] == "May"
            and (_DIGIT_AFTER_RE.match(text, e) or text[max(0, s - 2) : s].strip()[-1:].isdigit())
        ):
            continue
        found.append((m.group(), s, e))
    return found


def modals(text: str) -> list[str]:
    """Return the normalised modal phrases of a clause's text, in order."""
    return [phrase for phrase, _, _ in _modal_spans(_clean(text))]


def _modal_change(a: str, b: str) -> tuple[str, str] | None:
    """Classify a replaced modal `a` -> `b` as (kind, message), or None when it does not matter."""
    (sa, na), (sb, nb) = strength(a), strength(b)
    if (sa, na) == (sb, nb):
        return None
    note = " (negation added)" if nb and not na else ""
    if na and not nb:
        note = " (prohibition removed)" if sa == 3 else " (negation removed)"
    kind = "weakened" if sb < sa else "strengthened" if sb > sa else "negation-changed"
    what = f"obligation {kind}" if sa != sb else "negation changed"
    return kind, f'{what}: "{a}" -> "{b}"{note}'


def modal_findings(old: str, new: str) -> list[TextFinding]:
    """Report modal phrases whose normative strength or polarity changed between two texts."""
    old, new = _clean(old), _clean(new)
    a, b = _modal_spans(old), _modal_spans(new)
    ops = [
        (i1, i2, j1, j2, min(i2 - i1, j2 - j1))
        for _, i1, i2, j1, j2 in _opcodes([p for p, *_ in a], [p for p, *_ in b])
    ]
    # A modal deleted in one place and inserted in another only moved within the clause: no finding.
    gone = Counter(p for i1, i2, _, _, n in ops for p, *_ in a[i1 + n : i2])
    moved = gone & Counter(p for _, _, j1, j2, n in ops for p, *_ in b[j1 + n : j2])
    skip = {False: moved.copy(), True: moved}
    out: list[TextFinding] = []
    for i1, i2, j1, j2, n in ops:
        for (pa, sa, ea), (pb, sb, eb) in zip(a[i1 : i1 + n], b[j1 : j1 + n], strict=True):
            if change := _modal_change(pa, pb):
                severity = "medium" if change[0] == "strengthened" else "high"
                snips = _snippet(old, sa, ea, after=4), _snippet(new, sb, eb, after=4)
                out.append(TextFinding(change[0], severity, change[1], *snips))
        alone = [(*span, False) for span in a[i1 + n : i2]] + [(*span, True) for span in b[j1 + n : j2]]
        for phrase, s, e, added in alone:  # binding modals deleted or inserted with no counterpart
            if skip[added][phrase] > 0:
                skip[added][phrase] -= 1
            elif (level := strength(phrase))[0] == 3:
                snip = _snippet(new if added else old, s, e, after=4)
                msg = f'{"prohibition" if level[1] else "obligation"} {"added" if added else "removed"}: "{phrase}"'
                found = (
                    ("strengthened", "medium", msg, "", snip)
                    if added
                    else ("weakened", "high", msg, snip, "")
                )
                out.append(TextFinding(*found))
    return out


# --- quantities ---------------------------------------------------------------------------------------
_D = r"\d{1,30}"  # bounded, so a megabyte of digits cannot make every alternative backtrack over it
_NUM = rf"(?:\d{{1,3}}(?:,\d{{3}}){{1,12}}(?:\.{_D})?|{_D}(?:\.{_D})?)"
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September"]
_MONTHS += ["October", "November", "December"]
_MONTH = r"(?-i:" + "|".join(_MONTHS) + ")"
_WORDS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_WORDS += ["thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_WORDNUM = rf"(?:(?:{'|'.join(_TENS)})(?:[- ](?:{'|'.join(_WORDS[:9])}))?|{'|'.join(_WORDS)})"
_UNIT = r"(?:seconds?|minutes?|hours?|days?|weeks?|fortnights?|months?|years?)\b"
_PAREN = r"\([0-9a-z]{1,6}\)"
_REF_NUM = rf"(?:{_D}[a-z]?(?:{_PAREN})*|{_PAREN}(?:{_PAREN})*|(?-i:[IVXLC]+)\b)"
_REF_WORD = r"(?:\b(?:(?:sub)?sections?|parts?|articles?|(?:sub)?paragraphs?|schedules?|regulations?|rules?"
_REF_WORD += r"|clauses?|ss?\.)|§§?)"
_NOUNIT = r"(?! ?-?(?:" + _UNIT + r"|%|per ?cent))"
_NUM_UNIT = r"(?:integer or floating-point operations|floating-point operations|operations|FLOP/s|FLOPs?"
_NUM_UNIT += r"|parameters|tokens|GPUs|chips|employees|users|persons|people|individuals|kg|km|MW|GW)\b"
_SCALE = r"(?:thousand|million|billion|bn|m|k)\b"
_QUANTITY_RE = re.compile(
    r"(?<![\w.,])(?:"
    rf"(?P<ref>{_REF_WORD} ?{_REF_NUM}(?:(?: ?,| and| or| to| ?[-–]) ?{_REF_NUM}{_NOUNIT})*"
    rf"|{_D}(?:{_PAREN})+|\({_D}\))"
    rf"|(?P<date>\d{{4}}-\d\d-\d\d\b|\d{{1,2}}(?:st|nd|rd|th)? {_MONTH}(?: \d{{4}})?\b"
    rf"|{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b|{_MONTH} \d{{4}}\b)"
    rf"|(?P<money>(?:[£$€]|(?:GBP|USD|EUR)\b ?) ?{_NUM}(?: ?{_SCALE})?"
    rf"|{_NUM}(?: ?(?:thousand|million|billion))? ?(?:GBP|USD|EUR|pounds?|euros?|dollars?)\b)"
    rf"|(?P<power>(?:{_NUM} ?[x×·*] ?)?10 ?\^ ?\{{?[-−]?{_D}\}}?|{_D}(?:\.{_D})?e[+-]?{_D}\b)"
    rf"(?: (?P<punit>{_NUM_UNIT}))?"
    rf"|(?P<percent>{_NUM} ?(?:%|per ?cent\b|percent\b|percentage points?\b))"
    rf"|(?P<duration>{_NUM}(?: |-)(?:calendar |working |business |clear )?{_UNIT})"
    rf"|(?P<number>{_NUM}(?: ?(?:thousand|million|billion)\b)?)(?: (?P<nunit>{_NUM_UNIT}))?"
    r")",
    re.IGNORECASE,
)
_DIGIT_RE = re.compile(r"\d")
_UNIT_WORD_RE = re.compile(r"(?:second|minute|hour|day|week|fortnight|month|year)s?(?!\w)")
_WORD_COUNT_RE = re.compile(rf"(?<![\w-]){_WORDNUM}[ -](?:(?:calendar|working|business|clear) )?\Z")
_COUNT_WORDS = {*_WORDS, *_TENS, "calendar", "working", "business", "clear"}
_KINDS = {k: k for k in ("ref", "date", "money", "power", "percent", "duration", "number")}
_KINDS |= {"punit": "power", "nunit": "number"}
_NUM_RE = re.compile(_NUM)
_POWER_RE = re.compile(r"(?:(" + _NUM + r") ?[x×·*] ?)?10 ?\^ ?\{? ?([-−]?\d+)")
_SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}
_SCALE_RE = re.compile(r" ?(thousand|million|billion|bn|m|k)\b", re.IGNORECASE)
_CURRENCY = {"£": "GBP", "$": "USD", "€": "EUR", "pound": "GBP", "euro": "EUR", "dollar": "USD"}
_CURRENCY_RE = re.compile(r"[£$€]|GBP|USD|EUR|pound|euro|dollar", re.IGNORECASE)
_HOURS = {"second": 1 / 3600, "minute": 1 / 60, "hour": 1, "day": 24, "working day": 33.6}
_HOURS |= {"business day": 33.6, "week": 168, "fortnight": 336, "month": 730.5, "year": 8766}
_WORD_VALUES = {w: i for i, w in enumerate(_WORDS, 1)} | {w: 10 * i for i, w in enumerate(_TENS, 2)}
_DURATION_RE = re.compile(r"(.+?)[ -](?:(calendar|working|business|clear) )?(\w+?)s?$", re.IGNORECASE)

_PERIOD_CUE = r"\bfor(?: at least| a period of| a minimum of| not less than| up to)?$|\bretain\b|\bperiod of$"
_CUES = (
    ("deadline", re.compile(r"\b(?:within|no later than|not later than|before the end of)\b")),
    ("interval", re.compile(r"\bevery\b|\bat intervals of\b")),
    ("period", re.compile(_PERIOD_CUE)),
)
_WAYS = {
    "deadline": "extended/shortened",
    "interval": "lengthened/shortened",
    "period": "lengthened/shortened",
}
_WAYS |= {"amount": "increased/decreased", "threshold": "raised/lowered", "percentage": "increased/decreased"}
_WAYS |= {"date-deadline": "extended/brought forward"}
_VERBS = {role: (role.split("-")[-1], *ways.split("/")) for role, ways in _WAYS.items()}
_NEUTRAL = {"date": ("date", "later", "earlier"), "duration": ("duration", "longer", "shorter")}


@dataclass(frozen=True, slots=True)
class _Quantity:
    """One quantity found in cleaned text: what it is, how big, and where."""

    kind: str  # date, money, percent, duration or number
    unit: str
    measure: tuple[float, ...]  # hours for durations; (year, month, day) for dates
    shown: str
    start: int
    end: int

    @property
    def key(self) -> tuple[str, str]:
        """Return what alignment matches first: the kind and unit."""
        return self.kind, self.unit


def _number(text: str) -> float:
    """Read the first plain number in `text`, times any scale word that follows it."""
    m = _NUM_RE.search(text)
    value = float(m.group().replace(",", "")) if m else 0.0
    scale = _SCALE_RE.match(text, m.end()) if m else None
    return value * _SCALES[scale.group(1).lower()] if scale else value


def _duration(raw: str, start: int, end: int) -> _Quantity:
    """Read a duration such as `72 hours`, `24-hour` or `twenty-one working days`, measured in hours."""
    d = _DURATION_RE.match(raw)
    assert d is not None
    count, modifier, base = d.group(1).lower(), (d.group(2) or "").lower(), d.group(3).lower()
    unit = f"{modifier} {base}" if modifier in ("working", "business") else base
    words = re.split(r"[- ]", count)
    value = (
        float(count.replace(",", "")) if count[0].isdigit() else sum(_WORD_VALUES.get(w, 0) for w in words)
    )
    # a working day is 7/5 of a day; a working hour, week, month or year counts as one of its base unit
    hours = _HOURS.get(unit) or _HOURS.get(base, 0.0) * (1.4 if base == "day" else 1.0)
    return _Quantity("duration", unit, (value * hours,), raw, start, end)


def _quantity(m: re.Match[str]) -> _Quantity | None:
    """Turn one match of the quantity pattern into a quantity, or None for a reference."""
    kind, raw = _KINDS[m.lastgroup or "ref"], m.group()
    unit = ""
    measure: tuple[float, ...] = (0.0,)
    if kind == "ref":
        return None
    if kind == "date":
        nums = [float(n) for n in re.findall(r"\d+", raw)]
        if "-" in raw:  # ISO 8601
            measure, unit = tuple(nums), "dmy"
        else:
            month = next(i for i, name in enumerate(_MONTHS, 1) if name in raw)
            year = next((n for n in nums if n > 31), 0.0)
            day = next((n for n in nums if n <= 31), 0.0)
            measure, unit = (year, float(month), day), ("dmy" if year else "dm")
    elif kind == "money":
        token = c.group().lower() if (c := _CURRENCY_RE.search(raw)) else "$"
        unit, measure = _CURRENCY.get(token, token.upper()), (_number(raw),)
    elif kind == "power":
        kind, unit = "number", (m.group("punit") or "").lower()
        if p := _POWER_RE.match(raw):
            mantissa = float(p.group(1).replace(",", "")) if p.group(1) else 1.0
            measure = (mantissa * 10.0 ** int(p.group(2).replace("−", "-")),)
        else:
            measure = (float(raw.split()[0]),)
    elif kind == "percent":
        unit, measure = "%", (_number(raw),)
    elif kind == "duration":
        return _duration(raw, m.start(), m.end())
    else:
        unit = (m.group("nunit") or "").lower()
        measure = (_number(m.group("number")),)
    return _Quantity(kind, unit, measure, raw.rstrip("'’"), m.start(), m.end())


def _quantities(text: str) -> list[_Quantity]:
    """List the quantities of cleaned text in order, leaving out clause references and list numbers."""
    found: list[_Quantity] = []
    pos, size = 0, len(text)
    # The full pattern only runs in windows around digits: `re` cannot skip ahead to its many alternatives
    # quickly, and every quantity but a spelled-out duration holds a digit.
    while d := _DIGIT_RE.search(text, pos):
        end = min(size, d.start() + 80)
        m = _QUANTITY_RE.search(text, max(pos, d.start() - 30), end)
        if m is None:  # no quantity starts before `end - 20` (a match shows within 20 characters)
            pos = max(d.end(), end - 20)
            continue
        if end < size and m.end() > end - 60:  # maybe cut short by the window: match on the whole text
            m = _QUANTITY_RE.match(text, m.start()) or m
        if q := _quantity(m):
            found.append(q)
        pos = m.end()
    low = _lower(text)
    for u in _UNIT_WORD_RE.finditer(low):
        s = u.start()
        last = low[max(0, s - 10) : s - 1].rpartition(" ")[2].rpartition("-")[2] if s else ""
        if (
            last in _COUNT_WORDS
            and low[s - 1] in " -"
            and (c := _WORD_COUNT_RE.search(low, max(0, s - 30), s))
        ):
            found.append(_duration(text[c.start() : u.end()], c.start(), u.end()))
    return sorted(found, key=lambda q: q.start)


def _role(text: str, q: _Quantity, mentions_threshold: bool) -> str:
    """Name what a quantity is for, from the few words before it: deadline, period, amount, ... or ``."""
    words = text[max(0, q.start - 100) : q.start].lower().split()
    if q.kind == "money":
        return "amount"
    if q.kind in ("duration", "date"):
        near = " ".join(words[-5:])
        for role, cue in _CUES:
            if cue.search(near):
                return "date-deadline" if q.kind == "date" and role == "deadline" else role
        return ""
    if "threshold" in " ".join(words[-6:]) or (q.kind == "number" and mentions_threshold):
        return "threshold"
    return "percentage" if q.kind == "percent" else ""


def _pairs(a: list[_Quantity], b: list[_Quantity]) -> Iterator[tuple[_Quantity, _Quantity]]:
    """Pair changed quantities: align on (kind, unit, value), then what differs on (kind, unit)."""
    for tag, i1, i2, j1, j2 in _opcodes([(*q.key, q.measure) for q in a], [(*q.key, q.measure) for q in b]):
        if tag == "replace":
            sa, sb = a[i1:i2], b[j1:j2]
            inner = SequenceMatcher(None, [q.key for q in sa], [q.key for q in sb], autojunk=len(sb) >= 1000)
            for tag2, k1, k2, l1, l2 in inner.get_opcodes():
                if tag2 in ("equal", "replace"):
                    yield from (
                        (x, y) for x, y in zip(sa[k1:k2], sb[l1:l2], strict=False) if x.kind == y.kind
                    )


def number_findings(old: str, new: str) -> list[TextFinding]:
    """Report numbers, amounts, durations, dates and percentages whose value or unit changed."""
    old, new = _clean(old), _clean(new)
    a, b = _quantities(old), _quantities(new)
    thresholds = ("threshold" in old.lower(), "threshold" in new.lower()) if a and b else (False, False)
    out: list[TextFinding] = []
    for x, y in _pairs(a, b):
        comparable = x.kind == "duration" or x.unit == y.unit
        if comparable and x.measure == y.measure:
            continue
        role = _role(old, x, thresholds[0]) or _role(new, y, thresholds[1])
        span = f"from {x.shown} to {y.shown}"
        if x.kind == "number" and x.unit and x.unit == y.unit:
            span = f"from {x.shown[: -len(x.unit)].strip()} to {y.shown}"
        noun, up, down = _VERBS[role] if role else _NEUTRAL.get(x.kind, ("number", "higher", "lower"))
        way = (up if y.measure > x.measure else down) if comparable else ""
        if role:
            message = f"{noun} {way or 'changed'} {span}"
        else:
            message = f"{noun} changed {span}" + (f" ({way})" if way else "")
        severity = "high" if role in ("deadline", "date-deadline", "threshold", "amount") else "medium"
        snips = _snippet(old, x.start, x.end), _snippet(new, y.start, y.end)
        out.append(TextFinding("number-changed", severity, message, *snips))
    return out
