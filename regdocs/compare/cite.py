"""How a reader cites a clause: `section 20(2)(b)`, `Part 3`, `Schedule 1(3)`."""

from __future__ import annotations

from regdocs.parse.model import Clause, ClauseKind
from regdocs.parse.units import CONTAINER_UNITS


def cite(node_clause: Clause, ancestors: tuple[Clause, ...]) -> str:
    """How a reader cites a clause: `section 20(2)(b)`, `Part 3`, `Schedule 1(3)`, or its title."""
    chain = [*ancestors, node_clause]
    start = next((k for k, c in enumerate(chain) if c.number and c.number.unit not in CONTAINER_UNITS), None)
    if start is None:
        last = chain[-1]
        if last.number is None and not last.title:
            return "preamble"
        return (
            f"{last.number.unit.capitalize()} {last.number.value.upper() if last.number.value.isalpha() else last.number.value}"
            if last.number
            else (last.title or last.id)
        )
    head = chain[start]
    assert head.number is not None
    n = head.number
    if n.unit:
        base = f"{n.unit.capitalize() if n.unit != 'section' else 'section'} {n.value.upper() if n.value.isalpha() and n.style.startswith('upper') else n.value}"
    elif head.kind is ClauseKind.HEADING:
        base = f"section {n.value.upper() if n.style.startswith('upper') else n.value}"
    else:
        parent_title = chain[start - 1].title if start else ""
        base = (parent_title + " " if parent_title else "") + f"({n.value})"
    subs = "".join(f"({c.number.value})" for c in chain[start + 1 :] if c.number)
    return base + subs
