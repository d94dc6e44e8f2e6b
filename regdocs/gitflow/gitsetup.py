"""Wire regdocs into plain git: a `diff=regdocs` attribute and a textconv driver, idempotently."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from regdocs.corpus.config import CorpusConfig
from regdocs.errors import RegdocsError
from regdocs.safefile import read_text_no_follow, write_atomically

DRIVER = "diff.regdocs.textconv"
TEXTCONV = 'sh -c \'command -v regdocs >/dev/null 2>&1 && regdocs textconv "$1" || cat "$1"\' -'
"""The textconv command. git runs it through the shell with the file's name appended, so `$1` is the file.
Whichever `regdocs` is on PATH reads it clause by clause; without one (another machine, a moved or
inactive virtual environment) git shows the file as it is instead of failing."""


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


def _quoted(pattern: str) -> str:
    if any(ch.isspace() or ch in '"\\' for ch in pattern):  # gitattributes reads such patterns C-quoted
        return '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return pattern


def attribute_lines(rel: str, include: tuple[str, ...], exclude: tuple[str, ...]) -> list[str]:
    """`.gitattributes` lines for the corpus documents only: each include pattern, then `!diff` per exclude."""
    prefix = "" if rel == "." else Path(rel).as_posix() + "/"
    deep = {p[3:] for p in include if p.startswith("**/")}
    kept = [p for p in include if p not in deep]  # `**/*.md` covers `*.md`
    if not prefix:  # at the top, a pattern without a slash matches at every depth
        kept = [p[3:] if p.startswith("**/") and "/" not in p[3:] else p for p in kept]
    lines = [f"{_quoted(prefix + p)} diff=regdocs" for p in dict.fromkeys(kept)]
    lines += [f"{_quoted(prefix + p)} !diff" for p in exclude]
    return lines


def git_setup(config: CorpusConfig, *, force: bool = False) -> list[SetupStep]:
    """Mark the corpus's documents `diff=regdocs` and point the driver at `regdocs textconv`."""
    corpus_root = config.root
    top = _git(corpus_root, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RegdocsError(f"{corpus_root} is not inside a git repository", hint="run 'git init' first")
    repo = Path(top.stdout.strip())
    rel = os.path.relpath(corpus_root.resolve(), repo.resolve())
    steps: list[SetupStep] = []
    attributes = repo / ".gitattributes"
    lines = (read_text_no_follow(attributes) or "").splitlines()
    original = list(lines)
    managed: list[str] = []  # our lines, in order: every `!diff` exclude after the includes it overrides
    for wanted in attribute_lines(rel, config.include, config.exclude):
        pattern = wanted.rsplit(" ", 1)[0]
        existing = [
            ln
            for ln in lines
            if ln.startswith(pattern + " ")
            and any(a.startswith(("diff", "-diff", "!diff")) for a in ln[len(pattern) :].split())
        ]
        lines = [ln for ln in lines if ln not in existing]
        if wanted in existing:
            steps.append(SetupStep(f".gitattributes: {wanted}", "already set"))
            managed.append(wanted)
        elif existing and not force:
            steps.append(SetupStep(f".gitattributes: {wanted}", "kept", existing[0]))
            managed += existing
        else:
            managed.append(wanted)
            action = "replaced" if existing else "added"
            steps.append(SetupStep(f".gitattributes: {wanted}", action, existing[0] if existing else ""))
    lines += managed
    if lines != original:
        write_atomically(attributes, "\n".join(lines) + "\n")
    current = _git(repo, "config", "--local", "--get", DRIVER)
    value = current.stdout.strip() if current.returncode == 0 else ""
    if value == TEXTCONV:
        steps.append(SetupStep(f"git config {DRIVER}", "already set"))
    elif value and not force and not value.endswith(" -m regdocs textconv"):  # that one an older regdocs set
        steps.append(SetupStep(f"git config {DRIVER}", "kept", value))
    else:
        done = _git(repo, "config", "--local", DRIVER, TEXTCONV)
        if done.returncode != 0:
            raise RegdocsError(f"git config failed: {done.stderr.strip()}")
        steps.append(SetupStep(f"git config {DRIVER} = {TEXTCONV}", "replaced" if value else "added", value))
    return steps
