"""Text and JSON views of a clause history."""

from __future__ import annotations

import json
import re
import textwrap

from regdocs.compare.model import SCHEMA, ChangeKind
from regdocs.compare.redline import Segment
from regdocs.gitflow.history import HistoryStep
from regdocs.render.jsonout import plain_data
from regdocs.render.sanitize import json_text, scrubbed
from regdocs.render.terminal import Paint, inline

_HANGING = re.compile(r"[ \t]*(?:[-*+\u2022]|\(?[0-9A-Za-z]{1,3}[.)])[ \t]+(?=\S)")
"""A list marker at the start of a line (`- `, `* `, `1. `, `(a) `): wrapped lines hang under its text."""


def history_text(steps: list[HistoryStep], *, color: bool = False, width: int = 100) -> str:
    """Each version with round, party, author, the whole rationale, the clause's citation and its redline.

    The rationale (the round's commit message) is shown whole, each line wrapped to `width` columns.
    """
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
            out.extend(rationale_lines(info.message, width))
        where = " + ".join(f"{s.citation} [{s.id}]" for s in step.sides) or "(not present)"
        out.append(
            f"  {step_label(step.kind, step.redline)}: {where}"
            + (f" \u2014 {step.sides[0].title}" if step.sides and step.sides[0].title else "")
        )
        if step.redline and step.kind is not ChangeKind.UNCHANGED:
            for para in inline(step.redline, paint).split("\n"):
                out.append(f"    {para}")
        elif step.sides:
            for para in "\n\n".join(s.text for s in step.sides).split("\n"):
                out.append(f"    {para}")
        out.append("")
    return "\n".join(out)


def step_label(kind: ChangeKind, line: tuple[Segment, ...]) -> str:
    """What a step of a clause history is called: its change kind, or `as first tabled` where it begins.

    A clause that appears with no redline appeared with its document (in the first round, say): there was
    nothing before it to add it to.
    """
    return "as first tabled" if kind is ChangeKind.ADDED and not line else kind.value


def rationale_lines(message: str, width: int = 100) -> list[str]:
    """A commit message whole, behind a `  | ` gutter: its own line breaks kept, long lines wrapped to `width`.

    A wrapped list item hangs under its text, not under its marker; a word longer than a line is not cut.
    """
    out: list[str] = []
    for line in message.rstrip().split("\n"):
        line = line.rstrip().expandtabs(4)
        if not line:
            out.append("  |")
            continue
        marker = _HANGING.match(line)
        hang = " " * (marker.end() if marker else len(line) - len(line.lstrip(" ")))
        wrapped = textwrap.wrap(
            line,
            width=max(width - 4, 24),
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
        out.extend(f"  | {piece}" for piece in wrapped)
    return out


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
