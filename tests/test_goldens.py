"""Golden outputs: every renderer on the bundled corpus (round-3 -> round-4, the negotiation table), and change digests of real corpora.

A missing or different golden fails; `pytest --update-goldens` rewrites them after an intended change.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, SHARED

from regdocs.cli import cli
from regdocs.compare.model import CorpusDiff
from regdocs.findings.analysis import diff_corpora
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus

GOLDEN = FIXTURES / "golden"

COMMANDS = {
    "diff-terminal.txt": ["diff", "round-3", "round-4", "--color", "never"],
    "diff-stat.txt": ["diff", "round-3", "round-4", "--stat"],
    "diff-markdown.md": ["diff", "round-3", "round-4", "--format", "markdown"],
    "diff-json.json": ["diff", "round-3", "round-4", "--format", "json"],
    "diff-html.html": ["diff", "round-3", "round-4", "--format", "html"],
    "review.md": ["review", "round-3..round-4"],
    "review-json.json": ["review", "round-3..round-4", "--format", "json"],
    "outline.txt": ["outline", "round-4"],
    "show.txt": ["show", "round-4", "incident-notification"],
    "history.txt": ["history", "incident-notification.1", "--color", "never"],
    "lint-round-3.txt": ["lint", "--at", "round-3"],
    "table-terminal.txt": ["table", "--color", "never"],
    "table-markdown.md": ["table", "--format", "markdown"],
    "table-html.html": ["table", "--format", "html"],
    "table-json.json": ["table", "--format", "json"],
    "table-csv.csv": ["table", "--format", "csv"],
    "blame.txt": ["blame", "--color", "never"],
    "rounds-stat.txt": ["rounds", "--stat"],
}


def check(name: str, got: str, update: bool) -> None:
    """Compare with the golden file; write it only when asked to."""
    path = GOLDEN / name
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(got, encoding="utf-8", newline="\n")
    assert path.exists(), f"no golden {path}: run pytest --update-goldens once and review the file"
    assert got == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_bundled_outputs(name: str, update_goldens: bool) -> None:
    result = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), *COMMANDS[name]])
    assert result.exit_code in (0, 1), result.stderr
    check(name, result.stdout, update_goldens)


def digest(diff: CorpusDiff) -> str:
    """One line per change and per finding: enough to see any change in pairing, triage or findings."""
    lines = []
    for d in diff.documents:
        lines.append(f"# {d.id} {d.status} unchanged={d.unchanged} metadata={len(d.metadata)}")
        for c in d.changes:
            old = "+".join(s.id for s in c.old) or "-"
            new = "+".join(s.id for s in c.new) or "-"
            flags = "".join(f for f, on in (("m", c.moved), ("r", c.renumbered), ("t", c.modified)) if on)
            lines.append(
                f"{c.kind.value} {c.triage.value} {flags or '.'} {old} -> {new} {c.method.value if c.method else ''}"
            )
    lines += [f"{f.severity} {f.kind} {f.document} {f.clause}: {f.message}" for f in diff.findings]
    return "\n".join(lines) + "\n"


REAL = {
    "github-tos-42-44": ("github-site-policy", "42-68e3dbe.md", "44-f5c1be1.md"),
    "github-tos-01-20": ("github-site-policy", "01-04c8757.md", "20-f65d667.md"),
    "cabforum-br-10-11": ("cabforum-br", "10-c7da1ee.md", "11-24f38fd.md"),
    "cabforum-br-06-07": ("cabforum-br", "06-73bd0ea.md", "07-771b848.md"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(REAL))
def test_real_corpus_digests(name: str, update_goldens: bool) -> None:
    corpus, old_name, new_name = REAL[name]
    folder = SHARED / corpus / "versions"
    if not folder.is_dir():
        pytest.skip("../shared/corpora is not here")
    docs = [parse_document((folder / n).read_bytes(), "doc.md") for n in (old_name, new_name)]
    diff = diff_corpora(Corpus("T", (docs[0],), old_name), Corpus("T", (docs[1],), new_name))
    check(f"{name}.digest", digest(diff), update_goldens)


def test_a_missing_golden_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.modules[__name__], "GOLDEN", tmp_path)
    with pytest.raises(AssertionError, match="no golden"):
        check("nothing.txt", "x", update=False)
