"""Compare the front matter of two versions of a document: the keys that changed and what they mean."""

from __future__ import annotations

import datetime
import re
from typing import Any

from regdocs.compare.model import Finding, FindingKind, FindingSeverity
from regdocs.parse.model import Document

STATUS_KEYS = frozenset({"status", "state", "stage", "binding", "force", "in_force", "legal_status"})
"""Keys whose value says whether (and how) the rules apply."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9}),?[ -](\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9}) (\d{1,2}),? (\d{4})")
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

Changed = tuple[tuple[str, str, str], ...]


def shown(value: Any) -> str:
    """A front-matter value as its YAML reads (`[Policy, Legal]`, `2026-06-01`), empty when absent."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | int | float):
        return str(value)
    import yaml

    text: str = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**9)
    return text.strip().removesuffix("...").strip()


def changed_metadata(a: Document | None, b: Document | None) -> Changed:
    """Front-matter keys whose value changed between two versions: (key, old, new), sorted by key."""
    if a is None or b is None:
        return ()
    old, new = dict(a.metadata), dict(b.metadata)
    return tuple(
        (k, shown(old.get(k)), shown(new.get(k)))
        for k in sorted(old.keys() | new.keys(), key=str)
        if repr(old.get(k)) != repr(new.get(k))  # repr: NaN == NaN, 1 != True
    )


def _as_date(value: str) -> datetime.date | None:
    """Read `2026-06-01`, `16-February-2026`, `16 Feb 2026` or `February 16, 2026`; None otherwise."""
    value = value.strip()
    try:
        if _ISO_DATE.fullmatch(value):
            return datetime.date.fromisoformat(value)
        if m := _DAY_MONTH_YEAR.fullmatch(value):
            day, month, year = m.group(1), m.group(2), m.group(3)
        elif m := _MONTH_DAY_YEAR.fullmatch(value):
            month, day, year = m.group(1), m.group(2), m.group(3)
        else:
            return None
        number = _MONTHS.index(month[:3].lower()) + 1
        return datetime.date(int(year), number, int(day))
    except ValueError:  # a 31 February, a month no one knows
        return None


def _brief(value: str, limit: int = 120) -> str:
    """A value on one line, cut to `limit` characters for a message."""
    flat = " ".join(value.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "\u2026"


def metadata_findings(doc_id: str, changed: Changed) -> list[Finding]:
    """A finding for every changed front-matter value; status and dates are high severity."""
    out: list[Finding] = []
    for key, old_value, new_value in changed:
        old, new = _brief(old_value), _brief(new_value)
        before, after = _as_date(old), _as_date(new)
        if before and after:
            days = (after - before).days
            when = f"{abs(days)} day(s) {'later' if days > 0 else 'earlier'}"
            message = f"{doc_id}: front matter '{key}' moved from {old} to {new} ({when})"
            severity = FindingSeverity.HIGH
        elif str(key).lower() in STATUS_KEYS:
            message = f"{doc_id}: front matter '{key}' changed from {old or '(none)'} to {new or '(none)'}"
            severity = FindingSeverity.HIGH
        else:
            message = f"{doc_id}: front matter '{key}' changed from {old or '(none)'} to {new or '(none)'}"
            severity = FindingSeverity.HIGH if before or after else FindingSeverity.LOW
        out.append(
            Finding(
                kind=FindingKind.METADATA_CHANGED,
                severity=severity,
                message=message,
                document=doc_id,
                clause="",
                citation="front matter",
                old=old_value,
                new=new_value,
                related=(str(key),),
            )
        )
    return out
