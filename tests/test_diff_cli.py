"""`regdocs diff` argument forms, colour, documents coming and going, on real temporary repositories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner

from regdocs.cli import cli

TOML = 'title = "T"\n'
A = "---\nid: rules\n---\n## 1. Duty\n\n(1) A developer shall notify the Office within 72 hours.\n"
B = A.replace("shall", "should").replace("72", "24")
SCHED = "---\nid: sched\n---\n# Schedule 1 — Contents\n\n(1) A description of the incident.\n"


def run(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner(env=env).invoke(cli, ["--corpus", str(root), "diff", *args])
    return result.exit_code, result.output, result.stderr


def test_argument_forms_follow_git(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": A}, {"rules.md": B}])
    code, out, _ = run(repo, "--color", "never")  # HEAD vs working tree: nothing yet
    assert code == 0 and "no changes" in out
    (repo / "rules.md").write_text(A)  # working tree back to the first version
    code, out, _ = run(repo, "--color", "never", "--exit-code")
    assert code == 1 and "[-should-]{+shall+}" in out
    code, out, _ = run(repo, "HEAD~1", "--color", "never")  # one version: vs working tree
    assert code == 0 and "no changes" in out
    for args in (["HEAD~1", "HEAD"], ["HEAD~1..HEAD"]):
        code, out, _ = run(repo, *args, "--color", "never")
        assert "deadline shortened from 72 hours to 24 hours" in out and "weakened" in out


def test_colour_honours_no_color_and_always(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": A}, {"rules.md": B}])
    _, out, _ = run(repo, "HEAD~1", "HEAD", "--color", "always")
    assert "\x1b[" in out
    _, out, _ = run(repo, "HEAD~1", "HEAD", env={"NO_COLOR": "1"})
    assert "\x1b[" not in out


def test_documents_added_removed_and_renamed(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        [
            {"regdocs.toml": TOML, "rules.md": A, "sched.md": SCHED},
            {
                "sched.md": None,
                "renamed-rules.md": A,
                "rules.md": None,
                "annex.md": SCHED.replace("sched", "annex"),
            },
        ]
    )
    code, out, _ = run(repo, "HEAD~1", "HEAD", "--stat")
    assert code == 0
    assert "rules.md" in out
    _, md, _ = run(repo, "HEAD~1", "HEAD", "--format", "markdown")
    assert "| `rules` | renamed |" in md and "| `sched` | removed |" in md and "| `annex` | added |" in md


def test_only_one_document_and_unknown_document(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": A, "sched.md": SCHED}, {"rules.md": B}])
    code, out, _ = run(repo, "HEAD~1", "HEAD", "--doc", "sched", "--color", "never")
    assert code == 0 and "no changes" in out
    code, _, err = run(repo, "HEAD~1", "HEAD", "--doc", "nope")
    assert code == 2 and "no document 'nope'" in err


def test_git_repository_with_no_regdocs_markup(make_repo: Callable[..., Path]) -> None:
    plain = "# Privacy\n\nWe collect data.\n\n## Sharing\n\nWe never sell it.\n"
    repo = make_repo(
        [{"regdocs.toml": TOML, "policy.md": plain}, {"policy.md": plain.replace("never sell", "may sell")}]
    )
    code, out, _ = run(repo, "HEAD~1", "HEAD", "--color", "never")
    assert code == 0 and "Sharing" in out and "{+may+}" in out
