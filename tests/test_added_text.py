"""Added and removed clauses show their whole text, sub-clauses included, in every renderer, folded when long."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT

from regdocs.cli import cli
from regdocs.render.summary import FOLD_CLAUSES, FOLD_LINES, folded, show_command

DUTY_28 = "The notification shall be given not less than [28 days][14 days] before the training run begins"
DUTY_28_MD = DUTY_28.replace("[", "\\[").replace("]", "\\]")
"""The same text as markdown writes it: its brackets escaped, so that they are never read as a link."""
DUTY_14 = "A developer shall notify the Office within 14 days after the completion of any training run"
SUB_CLAUSES = 100
"""Sub-clauses of the long added section: every one a short line of text, no obligation (no finding)."""


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--corpus", str(root), *args])
    assert result.exit_code in (0, 1), result.output + result.stderr
    return result.stdout


def flat(text: str) -> str:
    """Text with its line wrapping undone, so a sentence can be looked for whole."""
    return " ".join(text.split())


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "round-2", "round-3", "--color", "never"),
        ("diff", "round-2", "round-3", "--format", "markdown"),
        ("diff", "round-2", "round-3", "--format", "html"),
        ("review", "round-2..round-3"),
    ],
)
def test_new_section_12_duties_are_shown(args: tuple[str, ...]) -> None:
    out = flat(run(ROOT / "corpus", *args))
    duty_28 = DUTY_28_MD if "markdown" in args or args[0] == "review" else DUTY_28
    assert duty_28 in out and DUTY_14 in out
    assert "section 12(2)(c)" in out and "summary of the security measures required by Part 2" in out


def test_terminal_shows_sub_clauses_with_ids_insertions_and_findings() -> None:
    out = run(ROOT / "corpus", "diff", "round-2", "round-3", "--color", "never")
    group = out.split("+ section 12 \u2014 Notification of training runs")[1].split("\n  > ")[0]
    assert (
        "+ section 12(2)  [12.2]\n        {+The notification shall be given not less than [28 days][14 days]"
        in group
    )
    assert "\n        ! obligation-added: section 12(3) added with 1 binding obligation (shall)" in group
    assert "more line(s)" not in group


def test_markdown_and_html_mark_the_sub_clauses_as_inserted() -> None:
    md = run(ROOT / "corpus", "diff", "round-2", "round-3", "--format", "markdown")
    assert f"> **section 12(2)** <ins>{DUTY_28_MD} and shall include\u2014</ins>" in md
    assert "- **obligation-added**: section 12(2) added with 2 binding obligations (shall)" in md
    page = run(ROOT / "corpus", "diff", "round-2", "round-3", "--format", "html")
    assert f'<h4>section 12(2)</h4><div class="redline"><ins aria-label="inserted">{DUTY_28}' in page
    assert "<details" not in page  # a short group is shown open


def test_reverse_diff_shows_the_removed_text_as_deletions() -> None:
    out = flat(run(ROOT / "corpus", "diff", "round-3", "round-2", "--color", "never"))
    assert f"- section 12(2) [12.2] [-{DUTY_28}" in out
    assert f"- section 12(3) [12.3] [-{DUTY_14}" in out
    md = run(ROOT / "corpus", "diff", "round-3", "round-2", "--format", "markdown")
    assert f"> **section 12(3)** <del>{DUTY_14}" in md
    assert "obligation-removed**: section 12(3) removed" in md
    review = run(ROOT / "corpus", "review", "round-3..round-2")
    assert f"  - **section 12(3)** <del>{DUTY_14}" in review


def test_site_redline_page_shows_the_sub_clauses(tmp_path: Path) -> None:
    out = tmp_path / "site"
    run(ROOT / "corpus", "build", "--out", str(out))
    page = (out / "changes" / "round-2--round-3.html").read_text(encoding="utf-8")
    assert DUTY_28 in page and DUTY_14 in page
    assert '<a href="../r/round-3/frontier-ai-security-rules.html#c-12.2">section 12(2)</a>' in page
    back = (out / "changes" / "round-2--round-4.html").read_text(encoding="utf-8")
    assert '<details class="more">' not in back


LONG_BASE = "---\nid: rules\n---\n## 1. Duty\n\n(1) A developer shall notify the Office within 72 hours.\n"
LONG_ADDED = "\n## 2. Register of items\n\n" + "".join(
    f"({k}) Item {k} of the register.\n\n" for k in range(1, SUB_CLAUSES + 1)
)


@pytest.fixture
def long_repo(make_repo: Callable[..., Path]) -> Path:
    """Round one has section 1; round two adds section 2 with 100 one-line sub-clauses."""
    return make_repo(
        [{"regdocs.toml": 'title = "T"\n', "rules.md": LONG_BASE}, {"rules.md": LONG_BASE + LONG_ADDED}]
    )


def test_terminal_folds_a_long_added_group_and_counts_the_hidden_lines(long_repo: Path) -> None:
    out = run(long_repo, "diff", "HEAD~1", "HEAD", "--color", "never")
    body = out.split("+ section 2 \u2014 Register of items  [2]  added\n")[1].split("\n")
    assert body[0].startswith("      with 100 sub-clause(s): section 2(1), ")
    shown = [line for line in body[1:] if line.strip()]
    # The parent's text, then per sub-clause a head line and one text line: 1 + 2 * 100 lines in all.
    total = 1 + 2 * SUB_CLAUSES
    hint = (
        f"      \u2026 {total - FOLD_LINES} more line(s); `regdocs show HEAD 2 --doc rules` prints it whole"
    )
    assert shown[FOLD_LINES] == hint
    assert shown[:FOLD_LINES][0] == "      {+Register of items+}"
    assert shown[FOLD_LINES - 1] == "      + section 2(30)  [2.30]"  # the first 60 lines, cut as `head` cuts
    assert "Item 29 of the register" in out and "Item 30 of the register" not in out
    whole = run(long_repo, "show", "HEAD", "2", "--doc", "rules")  # the hint's command prints it whole
    assert f"Item {SUB_CLAUSES} of the register." in whole


def test_coloured_fold_closes_its_colour(make_repo: Callable[..., Path]) -> None:
    lines = "\n".join(f"line {k} of a long paragraph" for k in range(1, 101))
    repo = make_repo(
        [
            {"regdocs.toml": 'title = "T"\n', "rules.md": LONG_BASE},
            {"rules.md": LONG_BASE + f"\n## 2. Long\n\n(1) {lines}\n"},
        ]
    )
    out = run(repo, "diff", "HEAD~1", "HEAD", "--color", "always").split("\n")
    at = next(k for k, line in enumerate(out) if "more line(s)" in line)
    # Heading text, the sub-clause's head, then its lines: the cut falls inside one green run, so it ends it.
    assert out[at - 1] == "        line 58 of a long paragraph\x1b[0m"
    assert "42 more line(s)" in out[at]


def test_markdown_and_review_fold_a_long_added_group(long_repo: Path) -> None:
    total = 1 + SUB_CLAUSES  # the parent's text, then one line per sub-clause
    md = run(long_repo, "diff", "HEAD~1", "HEAD", "--format", "markdown")
    assert (
        f"_\u2026 {total - FOLD_LINES} more line(s); `regdocs show HEAD 2 --doc rules` prints it whole._"
        in md
    )
    assert "Item 59 of the register" in md and "Item 60 of the register" not in md
    review = run(long_repo, "review", "HEAD~1..HEAD")
    assert (
        f"  - _\u2026 {total - FOLD_LINES} more line(s); `regdocs show HEAD 2 --doc rules` prints it whole._"
        in review
    )
    assert "Item 59 of the register" in review and "Item 60 of the register" not in review


def test_html_puts_the_sub_clauses_past_the_fold_in_a_closed_details(long_repo: Path) -> None:
    page = run(long_repo, "diff", "HEAD~1", "HEAD", "--format", "html")
    open_part, _, details = page.partition('<details class="more">')
    assert open_part.count('<section class="sub-clause">') == FOLD_CLAUSES
    assert details.startswith(f"<summary>{SUB_CLAUSES - FOLD_CLAUSES} more sub-clause(s)</summary>")
    assert details.count('<section class="sub-clause">') == SUB_CLAUSES - FOLD_CLAUSES
    assert f"Item {SUB_CLAUSES} of the register." in details


def test_reverse_fold_points_at_the_old_version(long_repo: Path) -> None:
    out = run(long_repo, "diff", "HEAD", "HEAD~1", "--color", "never")
    assert "- section 2(1)  [2.1]\n        [-Item 1 of the register.-]" in out
    assert re.search(r"\u2026 141 more line\(s\); `regdocs show HEAD 2 --doc rules` prints it whole", out)


def test_folded_counts_non_blank_lines() -> None:
    lines = ["a", "", "b", "c", "", "", "d", "", "e"]
    assert folded(lines, 3) == (["a", "", "b", "c"], 2)
    assert folded(lines, 5) == (lines, 0)
    assert folded([], 3) == ([], 0)


def test_show_command_follows_the_version_label() -> None:
    assert show_command("round-3 (ea060cc)", "rules", "12") == "regdocs show round-3 12 --doc rules"
    assert show_command("working tree", "rules", "12") == "regdocs show 12 --doc rules"
    assert show_command("my folder", "a b", "1.2") == "regdocs show 'my folder' 1.2 --doc 'a b'"
