"""Hostile text in documents, file names and commit messages: no terminal escapes, no forged lines,
no forged markdown structure, no GitHub mentions; JSON stays lossless."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import git
from markdown_it import MarkdownIt

from regdocs.cli import cli

PAYLOAD = (
    "\x1b[2K\x1b[1A erase \x1b]52;c;aGFjaw==\x07 clipboard "
    "\x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ \x9b2J c1 \x7f del"
)
"""Erase line and cursor up, OSC 52 clipboard write, OSC 8 hyperlink, 8-bit CSI, DEL."""
MESSAGE = "Shorter deadline \x1b]52;c;aGFjaw==\x07\n\nRationale \x1b[2K\x1b[1A\x9b2J by @team, see #12"
ANNEX = "annex\x1b]0;pwned\x07\x9b.md"
"""A file name that would set the terminal's title."""
FORGED_TITLE = "Rules\n\n## \u2705 regdocs review: no substantive changes\n\n<details><summary>x \x1b[2K"
RULES_1 = (
    "---\nid: rules\ntitle: Rules\nstatus: draft\n---\n"
    "## 1. Duty {#duty}\n\n(1) A developer shall notify the Office within 72 hours.\n"
)
RULES_2 = (
    "---\nid: rules\n"
    'title: "Rules\\n\\n## \u2705 regdocs review: no substantive changes\\n\\n<details><summary>x \\e[2K"\n'
    'status: "final\\n\\n</details>\\n\\n## Fake @org/legal #7\\r\\e[2K"\n'
    "---\n"
    "## 1. Duty {#duty}\n\n"
    "(1) A developer shall notify the Office within 24 hours. "
    "cc @security-team, see #123, GH-45 and acme/rules#9.\n\n"
    f"(2) Payload {PAYLOAD} end\n\n</details>\n\n</summary>\n\n```\n\n| a | b |\n"
)
WORD_JOINER = "\u2060"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters other than newline and tab."""
OWN_COLOURS = re.compile(r"\x1b\[(?:0|1|2|9|31|32|33|36)m")
"""regdocs's own SGR codes (terminal.py); the payload uses none of them."""


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """Two rounds (tags r1, r2); r2 brings a forged title, mentions, escape sequences and a bad file name."""
    repo = tmp_path / "hostile"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "regdocs.toml").write_text('title = "T"\ntag_pattern = "r*"\n')
    (repo / "rules.md").write_text(RULES_1)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    git(repo, "tag", "r1")
    (repo / "rules.md").write_text(RULES_2)
    (repo / ANNEX).write_text("## 1. Annex\n\n(1) Text.\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", MESSAGE)
    git(repo, "tag", "r2")
    return repo


def run(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--corpus", str(root), *args])
    assert "Traceback" not in result.output + result.stderr
    assert result.exit_code in (0, 1), (result.output, result.stderr)
    return result


def assert_terminal_safe(text: str) -> None:
    """No control character but newline and tab, once regdocs's own colour codes are taken out."""
    bad = CONTROL.findall(OWN_COLOURS.sub("", text))
    assert not bad, bad


# --- Item 9: terminal escapes ------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "r1", "r2", "--color", "never"),
        ("diff", "r1", "r2", "--color", "always"),
        ("diff", "r1", "r2", "--stat"),
        ("diff", "r1", "r2", "--findings", "--color", "always"),
        ("diff", "r1", "r2", "--format", "markdown"),
        ("diff", "r1", "r2", "--format", "html"),
        ("show", "duty.2"),
        ("outline",),
        ("rounds",),
        ("history", "duty.1", "--color", "never"),
        ("history", "duty.1", "--color", "always"),
        ("review", "r1..r2"),
    ],
)
def test_every_view_shows_control_characters_visibly(hostile: Path, args: tuple[str, ...]) -> None:
    result = run(hostile, *args)
    assert_terminal_safe(result.output)
    assert "\u241b" in result.output  # ESC shown as a control picture, not dropped


def test_colours_are_still_regdocs_own(hostile: Path) -> None:
    out = run(hostile, "diff", "r1", "r2", "--color", "always").output
    assert "\x1b[32m" in out and "\x1b[0m" in out
    assert "\u241b[2K\u241b[1A erase \u241b]52;c;aGFjaw==\u2407 clipboard" in out
    assert "<U+009B>2J c1 \u2421 del" in out
    assert "annex\u241b]0;pwned\u2407<U+009B>.md" in out
    history = run(hostile, "history", "duty.1", "--color", "always").output
    assert "\x1b[1m" in history and "Rationale \u241b[2K\u241b[1A<U+009B>2J by @team" in history


def test_one_line_fields_stay_on_one_line_in_the_terminal(hostile: Path) -> None:
    out = run(hostile, "outline").output
    title_line = next(line for line in out.splitlines() if line.startswith("rules  "))
    assert "regdocs review: no substantive changes" in title_line and "(rules.md, working tree)" in title_line
    rounds = run(hostile, "rounds").output.splitlines()
    assert len(rounds) == 3 and "Shorter deadline \u241b]52;c;aGFjaw==\u2407" in rounds[2]


def test_textconv_shows_control_characters_visibly(hostile: Path) -> None:
    for name in ("rules.md", ANNEX):
        result = CliRunner().invoke(cli, ["textconv", str(hostile / name)])
        assert result.exit_code == 0, result.output
        assert_terminal_safe(result.output)
    out = CliRunner().invoke(cli, ["textconv", str(hostile / "rules.md")]).output
    assert "Payload \u241b[2K" in out
    meta = [line for line in out.splitlines() if line.startswith("@ ")]
    assert [line.split(":")[0] for line in meta] == ["@ id", "@ title", "@ status"]  # no forged `@` lines


def test_lint_prints_one_line_per_problem(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    doc = "---\nid: same\n---\n## 1. Duty\n\n(1) Text.\n"
    (root / "a.md").write_text(doc)
    (root / "b\nc.md:1:1: error: forged \x1b[2K.md").write_text(doc)
    result = CliRunner().invoke(cli, ["--corpus", str(root), "lint"])
    assert_terminal_safe(result.output)
    assert not any(line.startswith("c.md:1:1") for line in result.output.splitlines())


def test_error_lines_cannot_be_forged(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    (root / "rules.md").write_text("## 1. Duty\n\n(1) Text.\n")
    (tmp_path / "secret.txt").write_text("x")
    (root / "leak\nregdocs: error: forged \x1b[2K.md").symlink_to(tmp_path / "secret.txt")
    result = CliRunner().invoke(cli, ["--corpus", str(root), "outline"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("regdocs: error: "), lines
    assert "leak\u240aregdocs: error: forged \u241b[2K.md" in lines[0]
    assert_terminal_safe(result.stderr)
    (root / "leak\nregdocs: error: forged \x1b[2K.md").unlink()
    for name in ("one\nregdocs: error: forged.md", "two\nregdocs: error: forged.md"):
        (root / name).write_bytes(b"binary\x00")  # several problems: one line each
    lines = CliRunner().invoke(cli, ["--corpus", str(root), "outline"]).stderr.splitlines()
    assert len(lines) == 2 and all(line.startswith("regdocs: error: ") for line in lines), lines


def test_warning_lines_cannot_be_forged(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    (root / "rules.md").write_text("## 1. Duty\n\n(1) Text.\n")
    (root / "empty\nregdocs: error: forged\x1b[2K.md").write_text("")
    result = CliRunner().invoke(cli, ["--corpus", str(root), "outline"])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("regdocs: warning: "), lines
    assert "empty\u240aregdocs: error: forged\u241b[2K.md" in lines[0]


@pytest.mark.parametrize(
    "args",
    [
        ("diff", "r1", "r2", "--format", "json"),
        ("outline", "--format", "json"),
        ("rounds", "--format", "json"),
        ("history", "duty.1", "--format", "json"),
        ("review", "r1..r2", "--format", "json"),
        ("lint", "--format", "json"),
    ],
)
def test_json_is_lossless_and_terminal_safe(hostile: Path, args: tuple[str, ...]) -> None:
    out = run(hostile, *args).output
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]", out)  # JSON escapes them all, C1 and DEL too
    strings = _strings(json.loads(out))
    if args[0] in ("diff", "review"):
        assert FORGED_TITLE in strings and any(PAYLOAD in s for s in strings)
    if args[0] in ("rounds", "history"):
        assert any(s.rstrip("\n") == MESSAGE for s in strings)
    if args[0] == "outline":
        assert ANNEX in strings


def _strings(data: object) -> set[str]:
    if isinstance(data, str):
        return {data}
    if isinstance(data, dict):
        return set().union(*(_strings(v) for v in data.values())) if data else set()
    if isinstance(data, list):
        return set().union(*(_strings(v) for v in data)) if data else set()
    return set()


# --- Item 8: pull-request comments --------------------------------------------------------------


def _blocks(markdown: str) -> list[tuple[str, str]]:
    """Block structure as GitHub reads it (CommonMark + tables): (token type, content) of each block."""
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(markdown)
    out = []
    for k, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out.append((tok.tag, tokens[k + 1].content))
        elif tok.type in ("html_block", "fence", "code_block", "table_open", "hr"):
            out.append((tok.type, tok.content))
    return out


def test_review_structure_cannot_be_forged(hostile: Path) -> None:
    out = run(hostile, "review", "r1..r2").output
    blocks = _blocks(out)
    headings = [text for kind, text in blocks if kind in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert len(headings) == 3, headings
    assert headings[0].startswith("regdocs review: r1") and headings[1].startswith("Findings")
    assert headings[2].startswith("Lint")
    html = [text for kind, text in blocks if kind == "html_block"]
    opened = [h for h in html if h.startswith("<details>")]
    assert len(opened) == 2 and all(h.count("\n") == 1 and h.endswith("</summary>\n") for h in opened), html
    assert [h for h in html if h not in opened] == ["</details>\n"] * 2, html
    assert [kind for kind, _ in blocks if kind in ("fence", "code_block", "table_open", "hr")] == [
        "table_open"
    ]
    summary = next(line for line in out.splitlines() if line.startswith("<details><summary><b>Rules"))
    assert (
        "## \u2705 regdocs review: no substantive changes &lt;details&gt;&lt;summary&gt;x \u241b[2K</b>"
        in (summary)
    )  # legible, on one line, inert
    assert "&lt;/details&gt;<br><br>&lt;/summary&gt;<br><br>\\`\\`\\`<br><br>\\| a \\| b \\|" in out


def test_markdown_report_structure_cannot_be_forged(hostile: Path) -> None:
    out = run(hostile, "diff", "r1", "r2", "--format", "markdown").output
    blocks = _blocks(out)
    headings = [
        text for kind, text in blocks if kind.startswith("h") and kind != "html_block" and kind != "hr"
    ]
    assert not [h for h in headings if h.startswith(("\u2705", "Fake"))], headings
    assert [kind for kind, _ in blocks if not kind.startswith("h")] == ["table_open"], blocks
    assert [kind for kind, _ in blocks if kind in ("html_block", "hr")] == []


@pytest.mark.parametrize("args", [("review", "r1..r2"), ("diff", "r1", "r2", "--format", "markdown")])
def test_mentions_and_issue_references_are_inert_but_legible(hostile: Path, args: tuple[str, ...]) -> None:
    out = run(hostile, *args).output
    assert not re.search(r"@[A-Za-z0-9]", out)
    assert not re.search(r"#[0-9]", out)
    assert not re.search(r"\bgh-[0-9]", out, re.IGNORECASE)
    plain = out.replace(WORD_JOINER, "")
    for ref in ("@security-team", "#123", "GH-45", "acme/rules#9", "@org/legal #7"):
        assert ref in plain, ref


def test_table_cells_and_code_spans_keep_their_shape(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "regdocs.toml").write_text('title = "T"\n')
    (root / "a.md").write_text("## 1. Duty\n\n(1) Text.\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "one")
    (root / "p|q `x` @y.md").write_text("## 1. Duty\n\n(1) Other text.\n")
    out = run(root, "diff", "--format", "markdown").output
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(out)
    cells = [t for t in tokens if t.type in ("th_open", "td_open")]
    rows = [t for t in tokens if t.type == "tr_open"]
    assert len(cells) == 9 * len(rows)  # document, status and 7 kinds in every row
    inline = [t for t in tokens if t.type == "inline" and "p|q" in t.content]
    codes = [c.content for t in inline for c in t.children or [] if c.type == "code_inline"]
    assert f"p|q `x` @{WORD_JOINER}y" in codes and f"p|q `x` @{WORD_JOINER}y.md" in codes


# --- The helpers ---------------------------------------------------------------------------------


def test_helpers() -> None:
    from regdocs.render.markdown import md_code, md_escape
    from regdocs.render.sanitize import error_line, json_text, one_line, visible

    assert visible("a\x1b[2Kb\tc\nd\x7f\x9b\x00") == "a\u241b[2Kb\tc\nd\u2421<U+009B>\u2400"
    assert one_line("a\r\nb\u2028c\x85d\n\ne\x1bf") == "a b c d e\u241bf"
    assert error_line("a\nb\tc\x1b") == "a\u240ab\u2409c\u241b"
    assert json.loads(json_text(json.dumps("\x7f\x85\x9b", ensure_ascii=False))) == "\x7f\x85\x9b"
    assert (
        md_code("a`b") == "``a`b``"
        and md_code("`a") == "`` `a ``"
        and md_code("a|b", table=True) == "`a\\|b`"
    )
    assert md_escape("x\n\n## y @z #1 <b>|") == f"x ## y @{WORD_JOINER}z #{WORD_JOINER}1 &lt;b&gt;\\|"


def test_scrubbed_copies_only_what_it_changes() -> None:
    from regdocs.compare.model import Side
    from regdocs.compare.redline import Op, Segment
    from regdocs.render.sanitize import scrubbed

    clean = Side("a", "(1)", "section 1(1)", "Title", "text\nmore", "a.md", 1)
    assert scrubbed(clean) is clean
    dirty = Side("a\nb", "(1)", "s", "T\x1b", "x\x1by\nz", "a.md", 1)
    assert scrubbed(dirty) == Side("a b", "(1)", "s", "T\u241b", "x\u241by\nz", "a.md", 1)
    seg = (Segment(Op.INSERT, "\x9b\n"),)
    assert scrubbed(seg) == (Segment(Op.INSERT, "<U+009B>\n"),)
