"""Findings about quantities in one clause's text: deadlines, amounts, thresholds, dates and percentages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from regdocs.compare.model import FindingKind, FindingSeverity
from regdocs.findings.text import TextChange, TextFinding, changed_runs, clean, lowered, snippet
from regdocs.parse.units import Form, alternatives

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
_REF_UNITS = (
    "section", "subsection", "part", "article", "paragraph", "subparagraph", "schedule", "regulation", "rule", "clause",
)  # fmt: skip
_REF_WORD = (
    r"(?:\b"
    + alternatives(_REF_UNITS, Form.WORD | Form.PLURAL | Form.SHORT)
    + "|"
    + alternatives(["section"], Form.SIGN)
    + ")"
)
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
_POWER_RE = re.compile(r"(?<![\d.,])(?:(" + _NUM + r") ?[x×·*] ?)?10 ?\^ ?\{? ?([-−]?\d+)")
"""`2 × 10^26`, read with `.match` at a quantity's start (not inside a run of digits, so a scan stays linear)."""
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
_GRAVE = frozenset(("deadline", "date-deadline", "threshold", "amount"))
"""Roles whose change is a high-severity finding."""


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
    low = lowered(text)
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
    for tag, i1, i2, j1, j2 in changed_runs(
        [(*q.key, q.measure) for q in a], [(*q.key, q.measure) for q in b]
    ):
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
    old, new = clean(old), clean(new)
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
        out.append(
            TextFinding(
                kind=FindingKind.NUMBER_CHANGED,
                change=TextChange.QUANTITY,
                severity=FindingSeverity.HIGH if role in _GRAVE else FindingSeverity.MEDIUM,
                message=message,
                old=snippet(old, x.start, x.end),
                new=snippet(new, y.start, y.end),
            )
        )
    return out
