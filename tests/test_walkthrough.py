"""README's "Your own corpus" walkthrough, run literally, command by command, in an empty folder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SECTION = "## Your own corpus"


def walkthrough_commands() -> list[str]:
    """The shell commands of the walkthrough: every line of its ```sh blocks (continuations joined)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert SECTION in readme, "README has no walkthrough section"
    section = readme.split(SECTION, 1)[1].split("\n## ", 1)[0]
    commands: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                commands.append(line)
    return commands


def test_the_walkthrough_covers_init_rounds_diff_and_build() -> None:
    commands = walkthrough_commands()
    for needle in ("git init", "regdocs init", "regdocs round add round-1", "regdocs round add round-2"):
        assert any(c.startswith(needle) for c in commands), needle
    assert commands[-2:] == ["regdocs diff round-1 round-2", "regdocs build"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("perl") is None, reason="the walkthrough edits the sample with perl")
def test_the_walkthrough_runs_as_written(tmp_path: Path) -> None:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REGDOCS_", "GIT_"))}
    env |= {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",  # the venv's regdocs
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test Author",
        "GIT_AUTHOR_EMAIL": "author@example.org",
        "GIT_COMMITTER_NAME": "Test Author",
        "GIT_COMMITTER_EMAIL": "author@example.org",
    }
    assert shutil.which("regdocs", path=env["PATH"]), "regdocs is not installed in the test environment"
    outputs: dict[str, str] = {}
    for command in walkthrough_commands():
        done = subprocess.run(
            command, shell=True, cwd=folder, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        outputs[command] = done.stdout
    diff = outputs["regdocs diff round-1 round-2"]
    assert "[-72-]{+24+}" in diff and "deadline shortened from 72 hours to 24 hours" in diff, diff
    assert "[-shall-]{+should+}" in diff and "weakened" in diff, diff
    assert (folder / "site" / "index.html").is_file()
    status = subprocess.run(
        ["git", "status", "--porcelain"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert status.stdout == "", status.stdout  # everything committed, the site git-ignored
    again = subprocess.run(
        ["regdocs", "build"], cwd=folder / "corpus", env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0 and "up to date" in again.stdout, (again.stdout, again.stderr)
