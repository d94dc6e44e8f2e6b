"""The README documents every command and the quick start matches .ci/run."""

from __future__ import annotations

from conftest import ROOT

from regdocs.cli import cli
from regdocs.findings.lint import RULES

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_with_an_example() -> None:
    for name in cli.commands:
        assert f"### `regdocs {name}" in README, f"README has no section for 'regdocs {name}'"
        assert f"\nregdocs {name}" in README, f"README has no example of 'regdocs {name}'"


def test_every_lint_rule_is_documented() -> None:
    for rule in RULES:
        assert f"`{rule}`" in README, rule


def test_quick_start_test_command_is_ci_run() -> None:
    assert "```sh\nbash .ci/run\n```" in README
    assert (ROOT / ".ci" / "run").read_text().count("pytest") >= 1
