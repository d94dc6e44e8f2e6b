"""Views of a blame by clause: terminal lines (as `git blame` has them), markdown and JSON."""

from __future__ import annotations

import json

from regdocs.compare.model import SCHEMA
from regdocs.gitflow.blame import Blame, BlameLine
from regdocs.render.markdown import md_escape
from regdocs.render.sanitize import json_text, one_line, scrubbed
from regdocs.render.terminal import BOLD, CYAN, DIM, Paint


def _summary(line: BlameLine, width: int) -> str:
    """The clause's title or opening words, on one line, cut to `width`."""
    words = " ".join(one_line(line.title or line.text).split())
    return words if len(words) <= width else words[: max(width - 1, 0)] + "\u2026"


def blame_terminal(blame: Blame, *, color: bool = False) -> str:
    """A line per clause: the round that last worded it, its date and party, since when it exists, the clause."""
    blame = scrubbed(blame)
    paint = Paint(color)
    out = [paint(BOLD, f"{blame.title}: blame by clause at {blame.version.name}")]
    name_w = max((len(c.name) for c in blame.columns), default=7)
    date_w = max((len(c.date) for c in blame.columns), default=0)
    party_w = min(max((len(c.party) for c in blame.columns), default=0), 32)
    cite_w = min(max((len(x.citation) for x in blame.lines), default=6), 28)
    document = None
    for x in blame.lines:
        if x.document != document:
            document = x.document
            out += ["", paint(BOLD + CYAN, document)]
        party = (
            x.changed.party if len(x.changed.party) <= party_w else x.changed.party[: party_w - 1] + "\u2026"
        )
        since = f"since {x.introduced.name}"
        head = (
            f"  {x.changed.name.ljust(name_w)}  {x.changed.date.ljust(date_w)}  {party.ljust(party_w)}  "
            f"{paint(DIM, since.ljust(name_w + 6))}  {x.citation.ljust(cite_w)}  "
        )
        out.append((head + _summary(x, 60)).rstrip())
    return "\n".join(out) + "\n"


def blame_markdown(blame: Blame, *, color: bool = False) -> str:
    """A markdown table per document: clause, last changed by (round, party, date), since, words."""
    out = [f"## {md_escape(blame.title)}: blame by clause at {md_escape(blame.version.name)}"]
    document = None
    for x in blame.lines:
        if x.document != document:
            document = x.document
            out += ["", f"### {md_escape(document)}", ""]
            out += [
                "| clause | last worded | party | date | how | since | text |",
                "|---|---|---|---|---|---|---|",
            ]
        cells = (x.citation, x.changed.name, x.changed.party, x.changed.date, x.kind.value, x.introduced.name)
        out.append("| " + " | ".join(md_escape(c) for c in cells) + f" | {md_escape(_summary(x, 80))} |")
    return "\n".join(out) + "\n"


def blame_json(blame: Blame, *, color: bool = False) -> str:
    """The blame as JSON (schema 1): a record per clause naming the rounds by name, the rounds once."""
    data = {
        "schema": SCHEMA,
        "title": blame.title,
        "version": blame.version.name,
        "rounds": [
            {
                "name": c.name,
                "party": c.party,
                "date": c.date,
                "label": c.label,
                "commit": c.round.commit if c.round else "",
            }
            for c in blame.columns
        ],
        "clauses": [
            {
                "document": x.document,
                "clause": x.clause,
                "citation": x.citation,
                "title": x.title,
                "path": x.path,
                "line": x.line,
                "changed": x.changed.name,
                "party": x.changed.party,
                "date": x.changed.date,
                "kind": x.kind.value,
                "introduced": x.introduced.name,
            }
            for x in blame.lines
        ],
    }
    return json_text(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
