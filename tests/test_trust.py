"""The adversarial review of e6888ae: writes that follow symlinks, verdicts that hide a change, crashes."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, git, one_error
from conftest import run_cli as run

from regdocs.cli import cli
from regdocs.errors import RegdocsError

TOML = 'title = "T"\n'
DOC = "## 1. Duty\n\n(1) The provider shall keep logs for 10 years.\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".regdocs-tmp") or ".tmp" in p.name)


# --- 1. writes never follow a symlink, temporary files are exclusive, nothing is left behind ---------


def test_git_setup_never_writes_through_a_committed_temporary_name(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    victim = tmp_path / "bashrc"
    victim.write_text("# the user's shell\n")
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": DOC}])
    (repo / ".gitattributes.regdocs-tmp").symlink_to(victim)
    result = run(repo, "git-setup")
    assert result.exit_code == 0, result.stderr
    assert victim.read_text() == "# the user's shell\n"
    assert (repo / ".gitattributes").read_text() == "*.md diff=regdocs\n"
    assert (repo / ".gitattributes.regdocs-tmp").is_symlink()
    assert [p for p in leftovers(repo) if p != ".gitattributes.regdocs-tmp"] == []


def test_git_setup_refuses_a_symlinked_gitattributes(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    key = tmp_path / "id_rsa"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": DOC}])
    (repo / ".gitattributes").symlink_to(key)
    one_error(run(repo, "git-setup"), ".gitattributes", "symbolic link")
    assert (repo / ".gitattributes").is_symlink() and key.read_text() == "-----BEGIN PRIVATE KEY-----\n"


def test_output_file_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    result = run(ROOT / "corpus", "diff", "round-1", "round-2", "--format", "markdown", "-o", str(link))
    one_error(result, "symbolic link")
    assert victim.read_text() == "keep me" and link.is_symlink()
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(tmp_path / "nowhere.md")
    one_error(run(ROOT / "corpus", "diff", "round-1", "round-2", "-o", str(dangling)), "symbolic link")
    assert not (tmp_path / "nowhere.md").exists()


def test_output_file_is_written_atomically_with_its_old_permissions(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    out.write_text("old")
    out.chmod(0o640)
    result = run(ROOT / "corpus", "diff", "round-1", "round-2", "--format", "markdown", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("## Frontier AI Security Rules")
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)
    assert leftovers(tmp_path) == []


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    from regdocs.safefile import write_atomically

    target = tmp_path / "d.json"

    def pieces() -> Iterator[str]:
        yield "{"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(target, pieces())
    assert list(tmp_path.iterdir()) == []
    predictable = tmp_path / ".d.json.regdocs-tmp"
    predictable.symlink_to(tmp_path / "elsewhere")
    write_atomically(target, "{}\n")
    assert target.read_text() == "{}\n" and not (tmp_path / "elsewhere").exists()


def test_write_atomically_refuses_a_symlink(tmp_path: Path) -> None:
    from regdocs.safefile import write_atomically

    (tmp_path / "real").write_text("x")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(RegdocsError, match="symbolic link"):
        write_atomically(tmp_path / "link", "y")
    assert (tmp_path / "real").read_text() == "x"


def test_round_add_refuses_a_symlinked_regdocs_toml(make_repo: Callable[..., Path], tmp_path: Path) -> None:
    repo = make_repo([{"rules.md": DOC}])
    real = tmp_path / "elsewhere.toml"
    real.write_text(TOML)
    (repo / "regdocs.toml").symlink_to(real)
    one_error(run(repo, "round", "add", "r-1", "--party", "P", "--label", "L"), "symbolic link")
    assert real.read_text() == TOML and "r-1" not in git(repo, "tag")


# --- 12. concurrent round add: every round survives ---------------------------------------------


def test_concurrent_round_adds_all_survive(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": DOC}])
    exe = [sys.executable, "-m", "regdocs", "--corpus", str(repo), "round", "add"]
    procs = [
        subprocess.Popen(
            [*exe, f"r-{k}", "--party", "P", "--label", "L", "--tag"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in range(6)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 6, errors
    text = (repo / "regdocs.toml").read_text()
    assert all(f'name = "r-{k}"' in text for k in range(6)), text
    assert leftovers(repo) == []


# --- 13. a deeply nested regdocs.toml is one line, exit 2 -----------------------------------------


def test_deeply_nested_regdocs_toml_is_one_error(tmp_path: Path) -> None:
    root = tmp_path / "c"
    root.mkdir()
    (root / "regdocs.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    (root / "rules.md").write_text(DOC)
    one_error(run(root, "outline"), "regdocs.toml", "nested too deeply")


def test_git_setup_error_names_no_secret(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": DOC}])
    os.mkfifo(repo / ".gitattributes")
    result = run(repo, "git-setup")
    assert result.exit_code == 2 and "Traceback" not in result.stderr


# --- 2. only a comment block is hidden; an inline `<!--` hides nothing --------------------------

COMMENTED = (
    "## 1. Fees\n\nThe fee is set by the regulator. <!-- see the note\n\n"
    "A late payer owes £100 per day.\n\n"
    "The regulator publishes the fee. -->\n\n"
    "## 2. Payment\n\nPayments quote `<!--` in code.\n\n"
    "Refunds take 30 days.\n\n"
    "Receipts end with `-->`.\n\n"
    "## 3. Appeals\n\n"
    "<!-- a drafting note\n\nthe reader never sees -->\n\n"
    "Appeals go to the tribunal.\n"
)


def two_rounds(make_repo: Callable[..., Path], old: str, new: str) -> Path:
    return make_repo([{"regdocs.toml": TOML, "rules.md": old}, {"rules.md": new}])


@pytest.mark.parametrize(
    ("old", "new"),
    [("£100 per day", "£1 per year"), ("30 days", "90 days")],
)
def test_text_between_inline_comment_marks_is_compared(
    make_repo: Callable[..., Path], old: str, new: str
) -> None:
    repo = two_rounds(make_repo, COMMENTED, COMMENTED.replace(old, new))
    result = run(repo, "diff", "HEAD~1", "HEAD", "--exit-code", "--color", "never")
    assert result.exit_code == 1, result.output
    assert new.split()[0] in result.output
    review = run(repo, "review", "HEAD~1..HEAD").output
    assert "No changes to the rules" not in review and "Editorial changes only" not in review


def test_a_comment_block_is_still_left_out(make_repo: Callable[..., Path]) -> None:
    repo = two_rounds(make_repo, COMMENTED, COMMENTED.replace("never sees", "shall never see"))
    result = run(repo, "diff", "HEAD~1", "HEAD", "--exit-code", "--color", "never")
    assert result.exit_code == 0, result.output
    shown = run(repo, "show", "HEAD", "section 3").output
    assert "drafting note" not in shown and "Appeals go to the tribunal." in shown


# --- 3. edits made only of symbols are substance; formatting is not -------------------------------

BASE = "## 1. Limits\n\n(1) The operator shall not exceed {x} of compute.\n"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("≥ 5%", "≤ 5%"),
        ("5%", "£5"),
        ("-40 units", "40 units"),
        ("£5", "$5"),
        ("10^26 FLOP", "10-26 FLOP"),
        ("10,000 FLOP", "10.000 FLOP"),
        ("no more than 5", "no more than 5+"),
    ],
)
def test_symbol_edits_are_substantive(make_repo: Callable[..., Path], old: str, new: str) -> None:
    repo = two_rounds(make_repo, BASE.format(x=old), BASE.format(x=new))
    result = run(repo, "diff", "HEAD~1", "HEAD", "--format", "json")
    assert '"triage": "substantive"' in result.output, result.output
    review = run(repo, "review", "HEAD~1..HEAD").output
    assert "Editorial changes only" not in review and "No changes" not in review, review


def test_strike_through_of_not_is_substantive(make_repo: Callable[..., Path]) -> None:
    text = "## 1. Limits\n\n(1) The operator shall not exceed 5 units.\n"
    repo = two_rounds(make_repo, text, text.replace("shall not", "shall ~~not~~"))
    assert '"triage": "substantive"' in run(repo, "diff", "HEAD~1", "HEAD", "--format", "json").output


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("*5 units*", "_5 units_"),
        ("__5 units__", "**5 units**"),
        ("5  units", "5\nunits"),
        ('"5 units"', "\u201c5 units\u201d"),
        ("RFC 3647", "[RFC 3647](https://www.rfc-editor.org/rfc/rfc3647)"),
    ],
)
def test_formatting_only_is_editorial(make_repo: Callable[..., Path], old: str, new: str) -> None:
    repo = two_rounds(make_repo, BASE.format(x=old), BASE.format(x=new))
    out = run(repo, "diff", "HEAD~1", "HEAD", "--format", "json").output
    assert '"triage": "editorial"' in out and '"triage": "substantive"' not in out, out


def test_a_retargeted_link_is_substantive(make_repo: Callable[..., Path]) -> None:
    old = BASE.format(x="[the standard](https://example.org/v1)")
    repo = two_rounds(make_repo, old, old.replace("/v1", "/v2"))
    assert '"triage": "substantive"' in run(repo, "diff", "HEAD~1", "HEAD", "--format", "json").output


# --- 4. a front-matter change is never editorial ----------------------------------------------------

FRONT = "---\ntitle: Rules\neffective: 2026-06-01\nstatus: binding\ntags: [Policy, Legal]\n---\n\n" + DOC


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("2026-06-01", "2031-06-01", "front matter 'effective' moved from 2026-06-01 to 2031-06-01"),
        ("status: binding", "status: voluntary", "front matter 'status' changed from binding to voluntary"),
    ],
)
def test_front_matter_changes_get_findings_and_no_green_verdict(
    make_repo: Callable[..., Path], old: str, new: str, message: str
) -> None:
    repo = two_rounds(make_repo, FRONT, FRONT.replace(old, new))
    review = run(repo, "review", "HEAD~1..HEAD").output
    assert "\u2705" not in review.split("\n\n")[0] + review.split("\n\n")[1], review
    assert "1 front-matter value changed" in review and message in review
    diff = run(repo, "diff", "HEAD~1", "HEAD", "--color", "never")
    assert message in diff.output and "HIGH" in diff.output


def test_front_matter_values_read_as_yaml(make_repo: Callable[..., Path]) -> None:
    repo = two_rounds(make_repo, FRONT, FRONT.replace("[Policy, Legal]", "[Policy]"))
    out = run(repo, "diff", "HEAD~1", "HEAD", "--color", "never").output
    assert "[Policy, Legal]" in out and "['Policy'" not in out


# --- 5. every duration unit with a working/business modifier ---------------------------------------


@pytest.mark.parametrize(
    "unit",
    [
        "business hours",
        "working hours",
        "working weeks",
        "business months",
        "working years",
        "business minutes",
        "working days",
    ],
)
def test_business_durations_do_not_crash(make_repo: Callable[..., Path], unit: str) -> None:
    text = "## 1. Notice\n\n(1) The provider shall notify within 48 {u}.\n"
    repo = two_rounds(make_repo, text.format(u=unit), text.format(u=unit).replace("48", "12"))
    for fmt in ("terminal", "json", "markdown"):
        result = run(repo, "diff", "HEAD~1", "HEAD", "--format", fmt)
        assert result.exit_code == 0 and "shortened" in result.output, result.output
    assert run(repo, "review", "HEAD~1..HEAD").exit_code == 0


# --- 10. a duplicated explicit id is refused by diff, as by outline and show -------------------------


def test_duplicate_explicit_id_is_refused_by_diff(make_repo: Callable[..., Path]) -> None:
    text = "## Fees {#fees}\n\n(a) The fee is 5 EUR. {#fees}\n\n(b) Refunds take 30 days.\n"
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": text}])
    one_error(run(repo, "diff", "HEAD", "HEAD", "--exit-code"), "rules.md:3", "'fees'", "already used")
    one_error(run(repo, "review", "HEAD..HEAD"), "'fees'")
    one_error(run(repo, "outline"), "'fees'")


# --- 11. git diff never stops on one document; the attribute covers corpus documents only ------------

NESTED = "".join("  " * k + "- item\n" for k in range(60))


def test_git_diff_survives_unparsable_and_excluded_documents(make_repo: Callable[..., Path]) -> None:
    toml = TOML + '[documents]\nexclude = ["README.md", "drafts/*"]\n'
    repo = make_repo(
        [
            {"regdocs.toml": toml, "rules.md": DOC, "README.md": "# Readme\n", "drafts/x.md": "x\n"},
            {"rules.md": DOC + NESTED, "README.md": NESTED, "drafts/x.md": NESTED},
        ]
    )
    assert run(repo, "git-setup").exit_code == 0
    assert git(repo, "check-attr", "diff", "--", "README.md") == "README.md: diff: unspecified"
    assert git(repo, "check-attr", "diff", "--", "rules.md") == "rules.md: diff: regdocs"
    env = {**os.environ, "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"]}
    for args in (["diff", "HEAD~1", "HEAD"], ["log", "-p"]):
        done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=False)
        assert done.returncode == 0, done.stderr
        assert "[1.1]" in done.stdout or "section 1(1)" in done.stdout  # rules.md read by clause
        assert "item" in done.stdout  # the unparsable text shown as it is


def test_textconv_falls_back_to_the_file_as_it_is(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_bytes(b"## 1. A\n\n\xff\xfe broken\n")
    result = CliRunner().invoke(cli, ["textconv", str(bad)])
    assert result.exit_code == 0 and result.stdout_bytes == bad.read_bytes()
    assert "shown as it is" in result.stderr


def test_pre_commit_lint_passes_over_excluded_files(make_repo: Callable[..., Path]) -> None:
    toml = TOML + '[documents]\nexclude = ["README.md"]\n'
    repo = make_repo([{"regdocs.toml": toml, "rules.md": DOC, "README.md": NESTED}])
    result = CliRunner().invoke(
        cli, ["--corpus", str(repo), "lint", "--skip-other-files", str(repo / "README.md")]
    )
    assert result.exit_code == 0, result.output + result.stderr
    assert run(repo, "lint", str(repo / "README.md")).exit_code == 2


def test_front_matter_change_in_colour_prints_no_escape_codes_as_text(make_repo: Callable[..., Path]) -> None:
    repo = two_rounds(make_repo, FRONT, FRONT.replace("status: binding", "status: draft"))
    out = run(repo, "diff", "HEAD~1", "HEAD", "--color", "always").output
    assert "\\x1b" not in out and "'" not in out.split("front matter status:")[1].split("\n")[0]
    assert "\x1b[31mbinding\x1b[0m" in out


def test_findings_follow_document_order_within_a_severity() -> None:
    out = run(ROOT / "corpus", "diff", "round-2", "round-3", "--findings", "--color", "never").output
    medium = [ln.split(":")[1].strip() for ln in out.splitlines() if ln.strip().startswith("MEDIUM")]
    numbers = [int(c.split()[1].split("(")[0]) for c in medium if c.startswith("section")]
    assert numbers == sorted(numbers) and len(numbers) >= 5, medium


def test_front_matter_findings_name_their_document() -> None:
    """Three documents move from draft to agreed: each finding says which, not the same line three times."""
    out = CliRunner().invoke(
        cli, ["--corpus", str(ROOT / "corpus"), "diff", "round-3", "round-4", "--color", "never"]
    )
    lines = [line for line in out.output.splitlines() if "front matter 'status'" in line]
    assert len(lines) == 3 and len(set(lines)) == 3, lines
    assert any("frontier-ai-security-rules: front matter 'status'" in line for line in lines)
