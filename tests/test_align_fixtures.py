"""Aligner cases as fixture files: two versions of a real text in, the golden pairing of their clauses out.

Each `fixtures/align/<case>/` holds `old.md`, `new.md`, `SOURCE` (corpus, files and lines it was cut from)
and `pairing.txt`. A missing or different pairing fails; `pytest --update-goldens` rewrites it, to be read
and checked by a person before it is committed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from regdocs.compare.align import Alignment, align
from regdocs.parse.document import parse_document

CASES = FIXTURES / "align"
MAX_LINES = 60
"""A case stays small enough to check its pairing by eye."""

KNOWN_WRONG: dict[str, str] = {}
"""Case -> what the aligner gets wrong there today; its golden records the current pairing, not the right one."""


def render(alignment: Alignment) -> str:
    """One line per old clause in document order (a merge on its first part), then one per added clause."""
    old, new = alignment.old, alignment.new
    merged = {i: j for j, group in alignment.merges.items() for i in group}
    in_split = {j for group in alignment.splits.values() for j in group}
    paired = {j for j, _, _ in alignment.pairs.values()}

    def maybe(side: str, k: int) -> str:
        found = alignment.candidates.get((side, k))
        if found is None:
            return ""
        other = (new if side == "old" else old)[found[0]].clause.id
        return f" (maybe {other} {found[1]:.2f})"

    lines = []
    for node in old:
        i, name = node.index, node.clause.id
        if i in alignment.pairs:
            j, method, score = alignment.pairs[i]
            moved = " moved" if i in alignment.moved else ""
            lines.append(f"{name} -> {new[j].clause.id} {method.value} {score:.2f}{moved}")
        elif i in alignment.splits:
            lines.append(f"split {name} -> {' '.join(new[j].clause.id for j in alignment.splits[i])}")
        elif i in merged:
            group = alignment.merges[merged[i]]
            if i == group[0]:
                lines.append(
                    f"merge {' '.join(old[k].clause.id for k in group)} -> {new[merged[i]].clause.id}"
                )
        else:
            lines.append(f"removed {name}{maybe('old', i)}")
    for node in new:
        j = node.index
        if j not in paired and j not in in_split and j not in alignment.merges:
            lines.append(f"added {node.clause.id}{maybe('new', j)}")
    return "\n".join(lines) + "\n"


def pairing(case: Path) -> str:
    """The rendered alignment of a case's two versions."""
    old, new = (parse_document((case / f"{side}.md").read_bytes(), "rules.md") for side in ("old", "new"))
    return render(align(old, new))


def check(golden: Path, got: str, update: bool) -> None:
    """Compare with the golden file; write it only when asked to."""
    if update:
        golden.write_text(got, encoding="utf-8", newline="\n")
    assert golden.exists(), f"no golden {golden}: run pytest --update-goldens once and review the file"
    assert got == golden.read_text(encoding="utf-8"), f"{golden} differs from the aligner's pairing"


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_pairing(case: str, update_goldens: bool) -> None:
    check(CASES / case / "pairing.txt", pairing(CASES / case), update_goldens)


def test_cases_are_small_and_sourced() -> None:
    cases = [p for p in CASES.iterdir() if p.is_dir()]
    assert len(cases) >= 9
    for case in cases:
        assert (case / "SOURCE").is_file(), f"{case.name}: no SOURCE"
        for side in ("old", "new"):
            lines = (case / f"{side}.md").read_text(encoding="utf-8").count("\n")
            assert lines <= MAX_LINES, f"{case.name}/{side}.md has {lines} lines"
    assert set(KNOWN_WRONG) <= {p.name for p in cases}


def test_a_missing_pairing_fails(tmp_path: Path) -> None:
    with pytest.raises(AssertionError, match="no golden"):
        check(tmp_path / "pairing.txt", "x\n", update=False)
