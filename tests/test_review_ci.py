"""What a newcomer hit: lint paths and wording, `round add` layout and hints, a portable textconv, and
`review` in CI (`--fail-on`, `--format github`), on real temporary git repositories."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT, git

from regdocs.cli import cli
from regdocs.compare.model import CorpusDiff, Finding, FindingKind, FindingSeverity
from regdocs.findings.lint import Problem, Severity
from regdocs.gitflow.gitsetup import TEXTCONV
from regdocs.gitflow.review import Place, Review
from regdocs.render.review import render_review_github

VENV_BIN = ROOT / ".venv" / "bin"


def run(*args: str) -> Result:
    result = CliRunner().invoke(cli, list(args))
    assert "Traceback" not in result.stdout + result.stderr
    return result


# --- 11. lint: paths from the current folder, counts in the right number ------------------------------

GAP_AND_DANGLING = "## 1. Duty\n\n(a) A developer shall comply with section 9.\n\n(c) Text.\n"


@pytest.fixture
def nested(make_repo: Callable[..., Path]) -> Path:
    """A repository whose corpus is the sub-folder `rules/`."""
    return make_repo(
        [{"regdocs.toml": 'title = "T"\n', "a.md": GAP_AND_DANGLING, "b.md": "## 1. Other\n\nText.\n"}],
        subdir="rules",
    )


def test_lint_prints_paths_from_the_current_folder(nested: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(nested)
    out = run("--corpus", "rules", "lint").stdout
    assert "rules/a.md:3:35: error: cross-reference 'section 9' points to no clause" in out
    assert "\nrules/a.md:5:1: warning: numbering jumps from (a) to (c)" in out
    problem = json.loads(run("--corpus", "rules", "lint", "--format", "json").stdout)["problems"][0]
    assert problem["path"] == "a.md" and problem["file"] == "rules/a.md"  # JSON: corpus-relative + file
    monkeypatch.chdir(nested / "rules")
    assert run("lint").stdout.startswith("a.md:3:35: error:")
    elsewhere = nested.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert run("--corpus", str(nested / "rules"), "lint").stdout.startswith(
        f"{(nested / 'rules' / 'a.md').resolve()}:3:35: error:"
    )


def test_lint_counts_read_in_the_right_number(nested: Path) -> None:
    corpus = str(nested / "rules")
    assert run("--corpus", corpus, "lint").stdout.endswith("2 files checked: 1 error, 1 warning\n")
    one = run("--corpus", corpus, "lint", str(nested / "rules" / "b.md"))
    assert one.exit_code == 0 and one.stdout == "1 file checked: 0 errors, 0 warnings\n"


def test_findings_and_verdict_count_in_the_right_number(make_repo: Callable[..., Path]) -> None:
    doc = "## 1. Duty\n\n(1) A developer shall report.\n"
    one = doc + "\n(2) A developer shall also report yearly.\n"
    two = doc + "\n(2) A developer shall report yearly and shall not delay.\n"
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "r.md": doc}, {"r.md": one}, {"r.md": two}])
    first = run("--corpus", str(repo), "review", "HEAD~2..HEAD~1").stdout
    assert "1 clause with new obligations." in first and "added with 1 binding obligation (shall)" in first
    second = run("--corpus", str(repo), "diff", "HEAD~2", "HEAD", "--findings", "--color", "never").stdout
    assert "added with 2 binding obligations (shall, shall not)" in second
    assert "(s)" not in first.split("\n\n")[1] + second


def test_serve_says_up_to_date_without_counting_no_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "regdocs.toml").write_text('title = "T"\n')
    (tmp_path / "c" / "a.md").write_text("## 1. A\n\nText.\n")
    monkeypatch.setattr("regdocs.publish.serve.serve_site", lambda _o, server, *_a: server.server_close())
    args = ("--corpus", str(tmp_path / "c"), "serve", "--port", "0", "--out", str(tmp_path / "site"))
    assert " pages; serving on http://127.0.0.1:" in run(*args).stdout
    again = run(*args).stdout
    assert "site: up to date; serving on http://127.0.0.1:" in again and "no pages" not in again


# --- 13. round add: layout, unresolvable ref, early date, commit reminder --------------------------------

TOML = (
    'title = "T"\n\n[[rounds]]\nname = "r1"\nref = "HEAD"\ndate = 2026-01-03\n\n[documents]\nexclude = []\n'
)


@pytest.fixture
def rounds_repo(make_repo: Callable[..., Path]) -> Path:
    return make_repo([{"regdocs.toml": TOML, "a.md": "## 1. A\n\nText.\n"}])


def add(repo: Path, *args: str) -> Result:
    return run("--corpus", str(repo), "round", "add", *args, "--party", "P", "--label", "L")


def test_round_add_sets_tables_apart_and_reminds_to_commit(rounds_repo: Path) -> None:
    first = add(rounds_repo, "r2", "--date", "2026-01-04")
    second = add(rounds_repo, "r3", "--date", "2026-01-05", "--tag")
    assert first.exit_code == second.exit_code == 0 and first.stderr == second.stderr == ""
    sha = git(rounds_repo, "rev-parse", "HEAD")
    table = 'name = "{}"\nref = "' + sha + '"\ndate = 2026-01-0{}\nparty = "P"\nlabel = "L"\n'
    assert (rounds_repo / "regdocs.toml").read_text() == (
        'title = "T"\n\n[[rounds]]\nname = "r1"\nref = "HEAD"\ndate = 2026-01-03\n\n[[rounds]]\n'
        + table.format("r2", 4)
        + "\n[[rounds]]\n"
        + table.format("r3", 5)
        + "\n[documents]\nexclude = []\n"
    )
    hint = first.stdout.splitlines()[1]
    assert hint.startswith("hint: commit ") and "git add" in hint and "regdocs.toml" in hint
    assert "push" not in hint and "git push origin r3" in second.stdout.splitlines()[1]


def test_round_add_of_a_ref_that_does_not_resolve_writes_nothing(rounds_repo: Path) -> None:
    result = add(rounds_repo, "r2", "--ref", "nosuch")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "regdocs.toml" not in result.stderr  # nothing to fix there
    assert "--ref 'nosuch' does not resolve to a commit" in result.stderr and "branch" in result.stderr
    assert (rounds_repo / "regdocs.toml").read_text() == TOML


def test_round_add_warns_about_a_date_before_the_previous_round(rounds_repo: Path) -> None:
    result = add(rounds_repo, "r0", "--date", "2026-01-02")
    assert result.exit_code == 0 and 'name = "r0"' in (rounds_repo / "regdocs.toml").read_text()
    assert result.stderr == (
        "regdocs: warning: round 'r0' is dated 2026-01-02, before round 'r1' (2026-01-03); "
        "rounds are read oldest first: check --date\n"
    )
    assert add(rounds_repo, "r4", "--date", "2026-01-03").stderr == ""  # the same day is fine


# --- 14. git-setup: a textconv that survives a moved environment and a missing regdocs ---------------


def test_git_setup_textconv_works_with_and_without_regdocs_on_path(make_repo: Callable[..., Path]) -> None:
    name = "a b'c.md"  # git appends the file name for the shell: spaces and quotes must survive
    old = "## 1. Duty\n\n(1) A developer shall notify the Office.\n"
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', name: old}, {name: old.replace("shall", "may")}])
    result = run("--corpus", str(repo), "git-setup")
    assert result.exit_code == 0, result.stderr
    assert git(repo, "config", "--local", "diff.regdocs.textconv") == TEXTCONV
    assert "/" not in TEXTCONV.replace("/dev/null", "")  # no path into one virtual environment
    plain = os.pathsep.join(
        dict.fromkeys(str(Path(shutil.which(t) or "/bin/sh").parent) for t in ("git", "sh", "cat"))
    )
    if shutil.which("regdocs", path=plain):
        pytest.skip("regdocs is installed system-wide")
    without = git(repo, "diff", "HEAD~1", "HEAD", env={"PATH": plain})
    assert "-(1) A developer shall notify the Office." in without and "[1.1]" not in without
    with_it = git(repo, "diff", "HEAD~1", "HEAD", env={"PATH": f"{VENV_BIN}{os.pathsep}{plain}"})
    assert "section 1(1) [1.1]\n-A developer shall notify the Office." in with_it


def test_git_setup_replaces_the_path_an_older_regdocs_pinned(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "a.md": "## 1. A\n\nText.\n"}])
    git(repo, "config", "--local", "diff.regdocs.textconv", "/old/venv/bin/python -m regdocs textconv")
    out = run("--corpus", str(repo), "git-setup").stdout
    assert "replaced" in out and "/old/venv/bin/python -m regdocs textconv" in out
    assert git(repo, "config", "--local", "diff.regdocs.textconv") == TEXTCONV


# --- 15. review in CI: --fail-on and GitHub annotations ------------------------------------------------

BASE = "## 1. Duties\n\n(1) A developer should report incidents.\n\n(2) A developer shall keep records.\n"
LOW = BASE + '\n(3) "Incident" means a serious event.\n'  # a term added: low
MEDIUM = BASE.replace("should report", "shall report")  # strengthened: medium
HIGH = BASE.replace("should report", "may report")  # weakened: high


@pytest.fixture
def levels(make_repo: Callable[..., Path]) -> Path:
    """Commits: base, then base with a low, a medium and a high-severity change (each against base)."""
    return make_repo(
        [{"regdocs.toml": 'title = "T"\n', "r.md": BASE}, {"r.md": LOW}, {"r.md": MEDIUM}, {"r.md": HIGH}],
        subdir="rules",
    )


@pytest.mark.parametrize(
    ("head", "failing"),
    [("HEAD~2", {"low"}), ("HEAD~1", {"low", "medium"}), ("HEAD", {"low", "medium", "high"})],
)
def test_review_fails_on_the_severity_asked_for(levels: Path, head: str, failing: set[str]) -> None:
    corpus = str(levels / "rules")
    assert run("--corpus", corpus, "review", f"HEAD~3..{head}").exit_code == 0  # no --fail-on: a comment only
    for level in ("high", "medium", "low"):
        result = run("--corpus", corpus, "review", f"HEAD~3..{head}", "--fail-on", level)
        assert result.exit_code == (1 if level in failing else 0), (level, result.stdout)
        assert result.stdout.startswith("## regdocs review") and result.stderr == ""


def test_review_fails_on_a_lint_error_and_still_writes_the_report(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    broken = "## 1. Duty\n\n(1) A developer shall comply with section 9.\n"
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "r.md": broken}, {"r.md": broken + "\n"}])
    report = tmp_path / "review.md"
    result = run("--corpus", str(repo), "review", "HEAD~1..HEAD", "--fail-on", "high", "-o", str(report))
    assert result.exit_code == 1 and "dangling-xref" in report.read_text()
    assert run("--corpus", str(repo), "review", "HEAD~1..HEAD", "-o", str(report)).exit_code == 0
    github = run("--corpus", str(repo), "review", "HEAD~1..HEAD", "--format", "github", "--fail-on", "low")
    assert github.exit_code == 1 and github.stdout.startswith(
        "::error file=r.md,line=3,col=35,title=regdocs lint%3A dangling-xref::cross-reference 'section 9'"
    )


def test_review_github_annotates_each_finding_at_its_clause_in_the_head(levels: Path) -> None:
    result = run("--corpus", str(levels / "rules"), "review", "HEAD~3..HEAD", "--format", "github")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "::error file=rules/r.md,line=3,title=regdocs weakened%3A section 1(1)::"
        'section 1(1): obligation weakened: "should" -> "may"'
    )
    assert lines[-1].startswith("regdocs review HEAD~3..HEAD: \u26a0")
    low = run("--corpus", str(levels / "rules"), "review", "HEAD~3..HEAD~2", "--format", "github").stdout
    assert low.startswith(
        '::notice file=rules/r.md,line=7,title=regdocs term-added%3A section 1(3)::defined term "Incident" added'
    )


def test_review_github_points_a_removed_clause_at_its_surviving_parent(
    make_repo: Callable[..., Path],
) -> None:
    head = "# Part 1\n\n## 1. Duties\n\n(1) A developer shall keep records.\n"
    base = head + "\n(2) A developer shall report incidents.\n"
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "r.md": base}, {"r.md": "Preamble.\n\n" + head}])
    out = run("--corpus", str(repo), "review", "HEAD~1..HEAD", "--format", "github").stdout
    assert out.startswith("::error file=r.md,line=5,title=regdocs obligation-removed%3A section 1(2)::")


def test_github_commands_are_escaped_as_github_reads_them() -> None:
    finding = Finding(
        kind=FindingKind.WEAKENED,
        severity=FindingSeverity.HIGH,
        message="50% less\nsecond line\r \x1b[31m",
        document="doc",
        clause="c1",
        citation="section 1",
    )
    odd = "odd, name: 100%.md"
    problem = Problem(odd, 3, 4, Severity.WARNING, "msg, with: colon\n::error::forged", "numbering-gap")
    diff = CorpusDiff("T", "a", "b", (), (finding,))
    rv = Review("a..b", "a", "b", diff, (problem,), (Place(odd, 7),), "sub, dir")
    lines = render_review_github(rv).splitlines()
    assert lines[0] == (
        "::error file=sub%2C dir/odd%2C name%3A 100%25.md,line=7,title=regdocs weakened%3A section 1::"
        "50%25 less%0Asecond line%0D \u241b[31m"
    )
    assert lines[1] == (
        "::warning file=sub%2C dir/odd%2C name%3A 100%25.md,line=3,col=4,title=regdocs lint%3A numbering-gap::"
        "msg, with: colon%0A::error::forged"
    )
    assert len(lines) == 3 and not lines[2].startswith("::")


def test_readme_and_example_workflow_document_fail_on_and_github() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workflow = (ROOT / "examples" / "regdocs-review.yml").read_text(encoding="utf-8")
    for text in (readme, workflow):
        assert "--fail-on high" in text and "--format github" in text
