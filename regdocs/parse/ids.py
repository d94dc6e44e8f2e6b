"""Clause ids: the id a writer gave (`{#incident}`), else the path of numbers (`3.2.a`) or a title's slug."""

from __future__ import annotations

import re

from regdocs.parse.model import ClauseKind, IdSource
from regdocs.parse.tree import EXPLICIT_ID_RE, Node
from regdocs.parse.units import CONTAINER_UNITS, UNIT_PREFIX

_SLUG_DROP_RE = re.compile(r"[^\w\- ]", re.UNICODE)
_ID_SLUG_RE = re.compile(r"[^a-z0-9]+")


def needs_container_qualifier(top: list[Node]) -> bool:
    """Sections restart in each Part? Then ids carry the Part (`part-2.1`) to stay unique."""
    seen: set[str] = set()
    for node in top:
        if node.number and node.number.unit in CONTAINER_UNITS:
            values = {c.number.value for c in node.children if c.number and not c.explicit_id}
            if values & seen:
                return True
            seen |= values
    return False


def clause_id(
    node: Node, parent_id: str, container: str, used: dict[str, int], explicit: set[str]
) -> tuple[str, IdSource]:
    """A clause's id and where it comes from: its `{#id}`, else its number path or title, made unique."""
    if node.explicit_id:
        used[node.explicit_id] = used.get(node.explicit_id, 0) + 1
        return node.explicit_id, IdSource.EXPLICIT
    if node.number is None:
        own = _ID_SLUG_RE.sub("-", node.title.lower()).strip("-") or "clause"
        base = f"{parent_id}.{own}" if parent_id and node.kind is not ClauseKind.HEADING else own
    else:
        n = node.number
        own = f"{UNIT_PREFIX[n.unit]}-{n.value}" if n.unit and n.unit in UNIT_PREFIX else n.value
        # `2.3` is a whole path already; so is a row's id (`1.2.3`, `PR.AA-01`), whatever its heading's number
        dotted = (n.style == "dotted" and not n.unit) or node.kind is ClauseKind.ROW
        base = f"{parent_id}.{own}" if parent_id and not dotted else own
    cid = base
    if (cid in used or cid in explicit) and container and not base.startswith(container + "."):
        cid = base = f"{container}.{base}"
    k = 1
    while cid in used or cid in explicit:
        k += 1
        cid = f"{base}-{k}"
    used[cid] = 1
    return cid, IdSource.DERIVED


def heading_paths(nodes: list[Node]) -> set[str]:
    """The numbers of headings numbered `5.1` (no unit, no `{#id}`): each is its heading's id."""
    return {
        n.number.value
        for n in nodes
        if n.kind is ClauseKind.HEADING
        and n.number
        and n.number.style == "dotted"
        and not n.number.unit
        and not n.explicit_id
    }


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = EXPLICIT_ID_RE.sub("", text)
    return _SLUG_DROP_RE.sub("", text.strip().lower()).replace(" ", "-")
