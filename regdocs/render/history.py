"""Text and JSON views of a clause history."""

from __future__ import annotations

import json

from regdocs.gitflow.history import HistoryStep
from regdocs.render.jsonout import plain_data
from regdocs.render.listing import SCHEMA
from regdocs.render.sanitize import json_text, scrubbed
from regdocs.render.terminal import Paint, inline


def history_text(steps: list[HistoryStep], *, color: bool = False) -> str:
    """Each version with round, party, author, rationale, the clause's citation and its redline."""
    steps = scrubbed(steps)
    paint = Paint(color)
    out: list[str] = []
    for step in steps:
        info = step.round
        head = step.version
        if info is not None:
            r = info.round
            head += f"  {r.date}  {r.party}" + (f" \u2014 {r.label}" if r.label else "")
        out.append(paint("\x1b[1m", head))
        if info is not None:
            out.append(f"  commit {info.commit[:10]} by {info.author}")
            for line in info.message.split("\n")[:8]:
                out.append(f"  | {line}" if line else "  |")
        where = " + ".join(f"{s.citation} [{s.id}]" for s in step.sides) or "(not present)"
        out.append(
            f"  {step.kind}: {where}"
            + (f" \u2014 {step.sides[0].title}" if step.sides and step.sides[0].title else "")
        )
        if step.redline and step.kind != "unchanged":
            for para in inline(step.redline, paint).split("\n"):
                out.append(f"    {para}")
        elif step.sides:
            for para in "\n\n".join(s.text for s in step.sides).split("\n"):
                out.append(f"    {para}")
        out.append("")
    return "\n".join(out)


def history_json(steps: list[HistoryStep]) -> str:
    """The history as JSON (schema 1)."""
    return (
        json_text(
            json.dumps(
                {"schema": SCHEMA, "steps": [plain_data(s) for s in steps]}, indent=2, ensure_ascii=False
            )
        )
        + "\n"
    )
