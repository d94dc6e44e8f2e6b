"""Negotiation table speed: 10 rounds x 1,000 clauses, `regdocs table` in every format, beside git.

The corpus is generated into a temporary git repository (one commit per round, each round a few per
cent of clauses reworded, inserted, deleted or moved). Baseline, in the same run: `git diff
--word-diff` of every pair of consecutive rounds (what a negotiator has without regdocs). Each
figure is the median of three runs, cold (`--no-cache`) and warm, with the peak memory of the
process. Target (issue 13): the table in <= 5 s.
Not part of the test suite. Run: .venv/bin/python bench/table_bench.py [--rounds N] [--clauses N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import edit, make_document, render

BIN = Path(sys.executable).parent / "regdocs"
TARGET_S = 5.0


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def make_repo(root: Path, rounds: int, clauses: int) -> Path:
    """A git repository with one commit per round, pinned in regdocs.toml."""
    rnd = random.Random(13)
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    parts = make_document(rnd, clauses, words=50)
    entries = []
    for k in range(1, rounds + 1):
        if k > 1:
            parts, _ = edit(parts, rnd, {"reword": 0.05, "insert": 0.02, "delete": 0.02, "move": 0.01})
        (repo / "rules.md").write_text(render(parts)[0], encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-qm", f"round {k}")
        sha = git(repo, "rev-parse", "HEAD").strip()
        entries.append(
            f'[[rounds]]\nname = "round-{k:02d}"\nref = "{sha}"\nparty = "Party {k % 2 + 1}"\n'
            f"date = 2026-{(k - 1) % 12 + 1:02d}-01\n"
        )
    (repo / "regdocs.toml").write_text('title = "Benchmark rules"\n' + "\n".join(entries))
    return repo


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak memory (KB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode() if proc.stderr else ''}")
    return took, usage.ru_maxrss


def median_run(cmd: list[str], cwd: Path, times: int = 3) -> tuple[float, int]:
    results = [run(cmd, cwd) for _ in range(times)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--clauses", type=int, default=1000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        repo = make_repo(root, args.rounds, args.clauses)
        shas = git(repo, "rev-list", "--reverse", "HEAD").split()
        start = time.perf_counter()
        for a, b in itertools.pairwise(shas):
            git(repo, "diff", "--word-diff", a, b, "--", "rules.md")
        base = time.perf_counter() - start
        print(
            f"table: {args.rounds} rounds x {args.clauses:,} clauses; load average {os.getloadavg()[0]:.2f}"
        )
        print(f"  git diff --word-diff of {len(shas) - 1} round pairs: {base:6.2f} s (baseline)")
        for cache, extra in (("cold", ["--no-cache"]), ("warm", [])):
            for fmt in ("terminal", "json", "csv", "markdown", "html"):
                out = root / f"table.{fmt}"
                cmd = [str(BIN), *extra, "--corpus", str(repo), "table", "--format", fmt, "-o", str(out)]
                took, peak = median_run(cmd, repo)
                verdict = "met" if took <= TARGET_S else "MISSED"
                print(
                    f"  regdocs table --format {fmt:<9} {cache}: {took:6.2f} s  {peak / 1024:5.0f} MB"
                    f"  {took / base:5.1f}x git  (target <= {TARGET_S:.0f} s: {verdict})"
                )


if __name__ == "__main__":
    main()
