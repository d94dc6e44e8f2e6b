"""A small negotiation in a real git repository: three rounds of one document, for table, blame and brackets.

round-1 (Office): section 1(1) holds two open points, `[shall][should]` and `[within 72 hours]`.
round-2 (Lab Ltd): the deadline becomes `[within 7 days]`; a new section 2 (Training) renumbers Records and
Penalties (2 -> 3, 3 -> 4); the penalty cap, 3(2), is dropped.
round-3 (Joint committee, "Agreed text"): 1(1) is settled (`shall`, 72 hours, no brackets); 1(2) is split into
(2) and (3); a new section 5 (Review) has an open point left, `[every 2 years]`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import git

HEAD = "---\nid: rules\ntitle: Incident Rules\n---\n# Part 1 — Duties\n\n## 1. Notification {#notify}\n\n"

ROUND_1 = HEAD + (
    "(1) The developer [shall][should] notify the Office [within 72 hours].\n\n"
    "(2) The notice shall describe the incident and the measures taken.\n\n"
    "## 2. Records\n\n(1) Records shall be kept for 5 years.\n\n"
    "## 3. Penalties\n\n(1) The Office may impose a penalty.\n\n(2) A penalty may not exceed £1,000,000.\n"
)
ROUND_2 = HEAD + (
    "(1) The developer [shall][should] notify the Office [within 7 days].\n\n"
    "(2) The notice shall describe the incident and the measures taken.\n\n"
    "## 2. Training\n\n(1) The developer shall train its staff <script>alert(1)</script>.\n\n"
    "## 3. Records\n\n(1) Records shall be kept for 5 years.\n\n"
    "## 4. Penalties\n\n(1) The Office may impose a penalty.\n"
)
ROUND_3 = HEAD + (
    "(1) The developer shall notify the Office within 72 hours.\n\n"
    "(2) The notice shall describe the incident.\n\n"
    "(3) The notice shall describe the measures taken.\n\n"
    "## 2. Training\n\n(1) The developer shall train its staff <script>alert(1)</script>.\n\n"
    "## 3. Records\n\n(1) Records shall be kept for 5 years.\n\n"
    "## 4. Penalties\n\n(1) The Office may impose a penalty.\n\n"
    "## 5. Review\n\n(1) The Office shall review these Rules [every 2 years].\n"
)
ROUNDS = (
    ("round-1", "Office for AI", "Government draft", ROUND_1),
    ("round-2", "Lab Ltd", "Counter-proposal", ROUND_2),
    ("round-3", "Joint committee", "Agreed text", ROUND_3),
)

NEGOTIATION = "[negotiation]\nbrackets = true\n"


def negotiation_repo(make_repo: Callable[..., Path], settings: str = NEGOTIATION) -> Path:
    """The three rounds as commits, pinned in regdocs.toml (with `settings` before them)."""
    repo = make_repo([{"rules.md": text} for *_, text in ROUNDS])
    shas = git(repo, "rev-list", "--reverse", "HEAD").split()
    toml = f'title = "Incident Rules"\n\n{settings}\n'
    for k, ((name, party, label, _), sha) in enumerate(zip(ROUNDS, shas, strict=True), 1):
        toml += (
            f'[[rounds]]\nname = "{name}"\nref = "{sha}"\ndate = 2026-0{k}-01\n'
            f'party = "{party}"\nlabel = "{label}"\n\n'
        )
    (repo / "regdocs.toml").write_text(toml, encoding="utf-8")
    return repo
