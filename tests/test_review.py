"""Git-based review end to end on a temporary repository built from the bundled corpus."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import FIXTURES, ROOT, git

from regdocs.cli import cli

CORPUS = ROOT / "corpus"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--corpus", str(root), *args])
    assert "Traceback" not in result.output + result.stderr
    return result.exit_code, result.output, result.stderr


@pytest.fixture
def rules_repo(make_repo: Callable[..., Path]) -> Path:
    """A repository whose main holds the bundled corpus (agreed text) and a branch proposing changes."""
    files = {p.name: p.read_text(encoding="utf-8") for p in CORPUS.glob("*.md") if p.name != "README.md"}
    files["regdocs.toml"] = (
        '# Rules under review\ntitle = "Frontier AI Security Rules"\n\n[documents]\nexclude = ["README.md"]\n'
    )
    repo = make_repo([files])
    git(repo, "checkout", "-q", "-b", "proposal")
    rules = repo / "frontier-ai-security-rules.md"
    text = rules.read_text(encoding="utf-8")
    text = text.replace("within 24 hours of becoming aware of it", "within 72 hours of becoming aware of it")
    text = text.replace(
        "A developer shall provide security awareness training",
        "A developer may provide security awareness training",
    )
    rules.write_text(text, encoding="utf-8")
    git(
        repo,
        "commit",
        "-qam",
        "Proposal: longer notification window",
        env={"GIT_AUTHOR_DATE": "2026-02-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-02-01T12:00:00Z"},
    )
    git(repo, "checkout", "-q", "main")
    return repo


def test_review_matches_golden(rules_repo: Path, update_goldens: bool) -> None:
    code, out, _ = run(rules_repo, "review", "main..proposal")
    assert code == 0
    golden = FIXTURES / "review" / "main-proposal.md"
    if update_goldens or not golden.exists():
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")
    assert out.splitlines()[2].startswith("**\u26a0\ufe0f 1 obligation weakened; 1 number changed")
    assert "deadline extended from 24 hours to 72 hours" in out and "<details>" in out


def test_three_dot_uses_the_merge_base(rules_repo: Path) -> None:
    git(rules_repo, "commit", "-q", "--allow-empty", "-m", "unrelated work on main")
    (rules_repo / "schedule-2-audit-scope.md").write_text(
        (rules_repo / "schedule-2-audit-scope.md").read_text().replace("audit", "examine", 1)
    )
    git(rules_repo, "commit", "-qam", "edit on main after the branch")
    _, two, _ = run(rules_repo, "review", "main..proposal")
    _, three, _ = run(rules_repo, "review", "main...proposal")
    assert (
        "Schedule 2" in two and "Schedule 2" not in three
    )  # main's own later edit is not the branch's change
    assert "72 hours" in three


def test_review_json_and_limit(rules_repo: Path) -> None:
    code, out, _ = run(rules_repo, "review", "main..proposal", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["schema"] == 1 and data["verdict"].startswith("\u26a0")
    assert data["lint"] == [] and data["diff"]["has_changes"]
    code, full, _ = run(CORPUS, "review", "round-1..round-3")
    code, short, _ = run(
        CORPUS, "review", "round-1..round-3", "--limit", "3000", "--full-report", "See the artifact."
    )
    assert code == 0 and len(full) > 3000 and len(short) <= 3000
    assert "Report truncated" in short and "See the artifact." in short and "### Findings" in short


def test_review_of_the_whole_negotiation_fits_a_comment() -> None:
    code, out, _ = run(CORPUS, "review", "round-1..round-4")
    assert code == 0 and len(out) <= 65536 and out.startswith("## regdocs review: round-1")


def test_textconv_and_git_setup_make_git_diff_clause_aware(rules_repo: Path) -> None:
    code, out, _ = run(rules_repo, "textconv", str(rules_repo / "frontier-ai-security-rules.md"))
    assert code == 0 and "section 20(1) [incident-notification.1]\nA developer shall notify" in out
    code, first, _ = run(rules_repo, "git-setup")
    assert code == 0 and first.count("added") == 3
    code, again, _ = run(rules_repo, "git-setup")
    assert again.count("already set") == 3
    assert (rules_repo / ".gitattributes").read_text() == "*.md diff=regdocs\nREADME.md !diff\n"
    on_path = {"PATH": f"{ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}  # textconv runs `regdocs`
    diff = git(rules_repo, "diff", "main", "proposal", "--", "frontier-ai-security-rules.md", env=on_path)
    assert "section 20(1) [incident-notification.1]" in diff
    assert "-A developer shall notify the Office of a serious security incident within 24 hours" in diff
    log = git(rules_repo, "log", "-p", "-1", "proposal", "--", "frontier-ai-security-rules.md", env=on_path)
    assert "[incident-notification.1]" in log


def test_git_setup_keeps_existing_settings_unless_forced(rules_repo: Path) -> None:
    (rules_repo / ".gitattributes").write_text("*.md diff=markdown\n")
    git(rules_repo, "config", "--local", "diff.regdocs.textconv", "cat")
    _, out, _ = run(rules_repo, "git-setup")
    assert out.count("kept") == 2 and "--force" in out
    assert (rules_repo / ".gitattributes").read_text() == "*.md diff=markdown\nREADME.md !diff\n"
    _, out, _ = run(rules_repo, "git-setup", "--force")
    assert out.count("replaced") == 2
    assert (rules_repo / ".gitattributes").read_text() == "*.md diff=regdocs\nREADME.md !diff\n"


def test_round_add_keeps_comments_pins_the_commit_and_tags(rules_repo: Path) -> None:
    sha = git(rules_repo, "rev-parse", "proposal")
    code, _, err = run(
        rules_repo,
        "round",
        "add",
        "round-5",
        "--ref",
        "proposal",
        "--party",
        "Meridian AI Ltd",
        "--label",
        "Longer window",
        "--date",
        "2026-12-01",
        "--tag",
    )
    assert code == 0, err
    text = (rules_repo / "regdocs.toml").read_text()
    assert (
        text.startswith("# Rules under review\n") and f'ref = "{sha}"' in text and "date = 2026-12-01" in text
    )
    assert git(rules_repo, "cat-file", "-t", "round-5") == "tag"
    code, rounds, _ = run(rules_repo, "rounds")
    assert "round-5" in rounds and "Meridian AI Ltd" in rounds
    before = (rules_repo / "regdocs.toml").read_text()
    code, _, err = run(rules_repo, "round", "add", "round-5", "--party", "X", "--label", "Y")
    assert code == 2 and "already exists" in err
    code, _, err = run(
        rules_repo, "round", "add", "round-6", "--ref", "no-such-branch", "--party", "X", "--label", "Y"
    )
    assert code == 2 and "no-such-branch" in err
    code, _, err = run(
        rules_repo,
        "round",
        "add",
        "round-6",
        "--ref",
        "--upload-pack=touch x",
        "--party",
        "X",
        "--label",
        "Y",
    )
    assert code == 2 and not (rules_repo / "x").exists()
    assert (rules_repo / "regdocs.toml").read_text() == before


def test_round_add_is_atomic(rules_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from regdocs.corpus.config import load_config
    from regdocs.corpus.sources import Sources
    from regdocs.gitflow.roundadd import add_round

    before = (rules_repo / "regdocs.toml").read_text()

    def interrupted(src: object, dst: object) -> None:
        raise KeyboardInterrupt  # as if the process were killed between writing and renaming

    monkeypatch.setattr("regdocs.gitflow.roundadd.os.replace", interrupted)
    with Sources(load_config(rules_repo)) as src, pytest.raises(KeyboardInterrupt):
        add_round(src, "round-7", "HEAD", "X", "Y", None)
    assert (rules_repo / "regdocs.toml").read_text() == before
    assert [p.name for p in rules_repo.iterdir() if "tmp" in p.name] == []


def test_example_workflow_is_valid_yaml() -> None:
    data = yaml.safe_load((ROOT / "examples" / "regdocs-review.yml").read_text())
    assert data["name"] and "pull_request" in data[True]  # YAML 1.1 reads the key `on` as True
    steps = data["jobs"]["review"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "regdocs review" in runs and "--fail-on high" in runs and "gh pr comment" in runs
    assert "--format github" in runs
    assert data["jobs"]["review"]["steps"][0]["with"]["fetch-depth"] == 0


@pytest.mark.slow
def test_pre_commit_hook_rejects_a_bad_clause_and_accepts_a_good_one(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    good = "---\nid: rules\n---\n## 1. Duty\n\n(1) A developer shall comply with section 2.\n\n## 2. Other\n\nText.\n"
    bad = "---\nid: rules\n---\n## 1. Duty\n\n(1) A developer shall comply with section 9.\n"
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "rules.md": good}])
    env = {**os.environ, "PRE_COMMIT_HOME": str(ROOT / ".venv" / "pre-commit-home"), "HOME": str(tmp_path)}
    pre_commit = [
        str(ROOT / ".venv" / "bin" / "pre-commit"),
        "try-repo",
        str(ROOT),
        "regdocs-lint",
        "--files",
    ]
    ok = subprocess.run(
        [*pre_commit, "rules.md"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    (repo / "rules.md").write_text(bad)
    rejected = subprocess.run(
        [*pre_commit, "rules.md"], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert "rules.md:6:35: error: cross-reference 'section 9' points to no clause" in rejected.stdout


def test_git_setup_quotes_a_corpus_folder_with_spaces(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"my rules/regdocs.toml": 'title = "T"\n', "my rules/a.md": "## 1. A\n\nText.\n"}])
    code, _, err = run(repo / "my rules", "git-setup")
    assert code == 0, err
    assert git(repo, "check-attr", "diff", "--", "my rules/a.md") == "my rules/a.md: diff: regdocs"
    code, again, _ = run(repo / "my rules", "git-setup")
    assert again.count("already set") == 2
