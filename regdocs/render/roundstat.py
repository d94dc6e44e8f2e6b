"""Views of the per-round counts (`rounds --stat`): an aligned table and JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from regdocs.compare.model import SCHEMA, FindingSeverity
from regdocs.gitflow.roundstat import RoundStat
from regdocs.render.sanitize import json_text, one_line


def round_stats_text(stats: Sequence[RoundStat]) -> str:
    """A row per round: changes from the round before, open points, findings by severity."""
    if not stats:
        return "no rounds: list them under [[rounds]] in regdocs.toml or set tag_pattern\n"
    head = [
        "ROUND",
        "DATE",
        "PARTY",
        "CHANGED",
        "SUBSTANTIVE",
        "OPEN",
        *(s.value.upper() for s in FindingSeverity),
    ]
    rows = [
        [
            one_line(s.column.name),
            one_line(s.column.date),
            _clip(one_line(s.column.party), 32),
            str(s.changed),
            str(s.substantive),
            "-" if s.open is None else str(s.open),
            *(str(n) for _, n in s.findings),
        ]
        for s in stats
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = set(range(3, len(head)))
    lines = [
        "  ".join(
            cell.rjust(w) if i in numeric else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(r, widths, strict=True))
        ).rstrip()
        for r in [head, *rows]
    ]
    return "\n".join(lines) + "\n"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def round_stats_json(stats: Sequence[RoundStat]) -> str:
    """The counts as JSON (schema 1); `open` is null when bracket detection is off."""
    data = {
        "schema": SCHEMA,
        "rounds": [
            {
                "name": s.column.name,
                "date": s.column.date,
                "party": s.column.party,
                "label": s.column.label,
                "changed": s.changed,
                "substantive": s.substantive,
                "open": s.open,
                "findings": {severity.value: n for severity, n in s.findings},
            }
            for s in stats
        ],
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
