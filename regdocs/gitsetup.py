"""Wire regdocs into plain git: a `diff=regdocs` attribute and a textconv driver, idempotently."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from regdocs.errors import RegdocsError

DRIVER = "diff.regdocs.textconv"


@dataclass(frozen=True, slots=True)
class SetupStep:
    """One thing git-setup looked at."""

    what: str
    """`.gitattributes` line or git config key."""
    action: str
    """`added`, `already set`, `kept` (an existing different setting, not overwritten) or `replaced`."""
    detail: str = ""
    """The old value when it was kept or replaced."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)


def git_setup(corpus_root: Path, *, force: bool = False) -> list[SetupStep]:
    """Mark the corpus's markdown files `diff=regdocs` and point the driver at `regdocs textconv`."""
    top = _git(corpus_root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RegdocsError(f"{corpus_root} is not inside a git repository", hint="run 'git init' first")
    repo = Path(top.stdout.strip())
    rel = os.path.relpath(corpus_root.resolve(), repo.resolve())
    pattern = "*.md" if rel == "." else f"{Path(rel).as_posix()}/**/*.md"
    if any(ch.isspace() or ch in '"\\' for ch in pattern):  # gitattributes reads such patterns C-quoted
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    steps: list[SetupStep] = []
    attributes = repo / ".gitattributes"
    lines = attributes.read_text(encoding="utf-8").splitlines() if attributes.exists() else []
    wanted = f"{pattern} diff=regdocs"
    existing = [
        ln
        for ln in lines
        if ln.startswith(pattern + " ")
        and any(a.startswith("diff") or a == "-diff" for a in ln[len(pattern) :].split())
    ]
    if wanted in lines:
        steps.append(SetupStep(f".gitattributes: {wanted}", "already set"))
    elif existing and not force:
        steps.append(SetupStep(f".gitattributes: {wanted}", "kept", existing[0]))
    else:
        new_lines = [ln for ln in lines if ln not in existing] + [wanted]
        tmp = attributes.with_name(".gitattributes.regdocs-tmp")
        tmp.write_text("\n".join(new_lines) + "\n", encoding="utf-8")
        os.replace(tmp, attributes)
        steps.append(
            SetupStep(
                f".gitattributes: {wanted}",
                "replaced" if existing else "added",
                existing[0] if existing else "",
            )
        )
    command = f"{shlex.quote(sys.executable)} -m regdocs textconv"
    current = _git(repo, "config", "--local", "--get", DRIVER)
    value = current.stdout.strip() if current.returncode == 0 else ""
    if value == command:
        steps.append(SetupStep(f"git config {DRIVER}", "already set"))
    elif value and not force:
        steps.append(SetupStep(f"git config {DRIVER}", "kept", value))
    else:
        done = _git(repo, "config", "--local", DRIVER, command)
        if done.returncode != 0:
            raise RegdocsError(f"git config failed: {done.stderr.strip()}")
        steps.append(SetupStep(f"git config {DRIVER} = {command}", "replaced" if value else "added", value))
    return steps
