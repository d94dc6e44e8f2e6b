"""The diff engine on real history: 44 versions of GitHub's Terms of Service."""

from __future__ import annotations

from pathlib import Path

import pytest

from regdocs.compare.model import ChangeKind, CorpusDiff, Triage
from regdocs.corpus.config import load_config
from regdocs.corpus.load import compare
from regdocs.corpus.sources import Sources

pytestmark = pytest.mark.slow  # real browsers / real corpora: `pytest -m "not slow"` leaves them out


@pytest.fixture(scope="module")
def diffs(github_repo: Path) -> dict[str, CorpusDiff]:
    out = {}
    with Sources(load_config(github_repo)) as src:
        for k in range(1, 44):
            a, b = f"v{k:02d}", f"v{k + 1:02d}"
            out[f"{a}..{b}"] = compare(src, a, b)
    return out


def test_every_consecutive_pair_diffs(diffs: dict[str, CorpusDiff]) -> None:
    assert len(diffs) == 43
    quiet = {pair for pair, d in diffs.items() if not d.has_changes}
    # trailing blanks, a blank line, an HTML comment: nothing a reader sees
    assert quiet == {"v31..v32", "v37..v38", "v42..v43"}
    relevel = diffs["v20..v21"].documents[0].changes
    assert relevel and all(
        c.triage is Triage.EDITORIAL and c.note.startswith("heading level") for c in relevel
    )


def test_inserted_section_shifts_later_letters_as_renumbering(diffs: dict[str, CorpusDiff]) -> None:
    doc = diffs["v01..v02"].documents[0]
    renumbered = {(c.old[0].id, c.new[0].id) for c in doc.changes if c.renumbered}
    # "E. Private Repositories" was inserted: E..R became F..S, each paired with itself, not deleted and re-added
    for old, new in zip("efghijklmnopqr", "fghijklmnopqrs", strict=True):
        assert (old, new) in renumbered, (old, new)
    added = {c.new[0].id for c in doc.changes if c.kind is ChangeKind.ADDED}
    assert "e" in added and not added & set("fghijklmnopqrs")


@pytest.mark.parametrize("pair", ["v30..v31", "v31..v32", "v32..v33"])
def test_formatting_only_commits_report_nothing_substantive(diffs: dict[str, CorpusDiff], pair: str) -> None:
    diff = diffs[pair]
    changes = [c for d in diff.documents for c in d.changes]
    assert all(c.triage in (Triage.EDITORIAL, Triage.NONE) for c in changes), [
        (c.key, c.kind, c.triage) for c in changes if c.triage is Triage.SUBSTANTIVE
    ]
    assert not diff.findings
