"""Plain markdown from the real world: 44 versions of GitHub's Terms of Service."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SHARED

from regdocs.cli import cli
from regdocs.parse.document import parse_document

NUMBER_PREFIX = re.compile(r"^\s*(#{1,6}\s+|[*+-]\s+|\d+[.)]\s+)?(\(?[A-Za-z0-9]{1,4}[.)]\s+)?")
VERSIONS = sorted((SHARED / "github-site-policy" / "versions").glob("*.md"))
pytestmark = pytest.mark.skipif(not VERSIONS, reason="../shared/corpora is not next to this checkout")


@pytest.mark.parametrize("path", VERSIONS, ids=[p.stem[:2] for p in VERSIONS])
def test_every_version_parses_into_lettered_sections(path: Path) -> None:
    doc = parse_document(path.read_bytes(), path.name)
    letters = [c.number.value for c in doc.clauses if c.number]
    assert letters == list(string.ascii_lowercase[: len(letters)])
    assert len(letters) >= 18  # A. Definitions ... R. Miscellaneous (S. in some versions)
    b = next(c for c in doc.clauses if c.id == "b")
    assert b.title == "Account Terms"
    subsections = [c for c in b.children if c.kind.value == "heading"]
    assert [c.id for c in subsections] == [f"b.{k}" for k in range(1, len(subsections) + 1)]
    assert doc.title == "GitHub Terms of Service"
    assert doc.preamble.startswith("Thank you for using GitHub")
    # nothing is lost: every non-blank body line is in some clause, title or the preamble
    text = "\n".join([doc.preamble, *(c.title + "\n" + c.text for c in doc.walk())])
    for line in path.read_text(encoding="utf-8").split("\n")[doc.front_matter_lines :]:
        words = NUMBER_PREFIX.sub("", line).strip()
        if words and not words.startswith("<!--"):
            assert words[:40] in text, line


def test_definitions_are_numbered_list_items_with_terms() -> None:
    doc = parse_document(VERSIONS[-1].read_bytes(), "tos.md")
    a = doc.clauses[2]
    assert (a.id, a.title) == ("a", "Definitions")
    assert [c.id for c in a.children] == [f"a.{k}" for k in range(1, 9)]
    terms = {t.term for c in a.children for t in c.terms}
    assert {"Beta Previews", "GitHub", "We", "Us", "Service", "Website"} <= terms


def test_lint_and_outline_at_real_tags(github_repo: Path) -> None:
    runner = CliRunner()
    for tag in ("v01", "v20", "v44"):
        out = runner.invoke(cli, ["--corpus", str(github_repo), "outline", tag])
        assert out.exit_code == 0 and "Definitions" in out.output
    rounds = runner.invoke(cli, ["--corpus", str(github_repo), "rounds"])
    assert rounds.exit_code == 0 and rounds.output.count("\nv") == 44
    lint = runner.invoke(cli, ["--corpus", str(github_repo), "lint", "--at", "v44"])
    assert lint.exit_code == 0, lint.output
