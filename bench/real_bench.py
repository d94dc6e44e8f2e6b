"""Speed on a real statute: the German Civil Code (1.5 MB, ~14,000 clauses, 11 versions) through every command.

The 11 versions in `../shared/corpora/bgb` are replayed into a temporary git repository (one commit and
tag v01…v11 each, `make-repo.sh`), with a `regdocs.toml` whose `tag_pattern` makes every tag a round.
Each command runs as a child process; a row prints the median of RUNS wall times, the child's peak
memory, and `git diff --word-diff` of the same two versions measured in the same run. "cold" runs with
`--no-cache`, "warm" after the cache of parsed documents holds the files.
Not part of the test suite. Run: .venv/bin/python bench/real_bench.py [--runs N] [--no-build]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "regdocs"
CORPORA = ROOT.parent / "shared" / "corpora"
TARGETS = {
    "outline": 1.0,
    "lint": 1.0,
    "diff v08 v09": 2.0,
    "build, 11 rounds": 60.0,
    "build, unchanged": 1.0,
}


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak MB of one child process (which must succeed)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} exited {code}: {err}")
    return took, usage.ru_maxrss // 1024


def median(cmd: list[str], cwd: Path, env: dict[str, str], runs: int) -> tuple[float, int]:
    results = [run(cmd, cwd, env) for _ in range(runs)]
    return statistics.median(t for t, _ in results), max(m for _, m in results)


def main() -> None:
    args = sys.argv[1:]
    runs = int(args[args.index("--runs") + 1]) if "--runs" in args else 3
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "bgb"
        subprocess.run(
            ["bash", str(CORPORA / "make-repo.sh"), "bgb", str(repo), "index.md"],
            check=True,
            capture_output=True,
        )
        (repo / "regdocs.toml").write_text('title = "BGB"\ntag_pattern = "v*"\n')
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "cache")}
        git, _ = median(["git", "diff", "--word-diff", "v08", "v09"], repo, env, runs)
        cold = [str(BIN), "--no-cache"]
        warm = [str(BIN)]
        rows: list[tuple[str, str, float, int]] = []
        for name, cmd in (
            ("outline", ["outline", "v09"]),
            ("lint", ["lint", "--at", "v09"]),
            ("diff v08 v09", ["diff", "v08", "v09", "--format", "json"]),
        ):
            rows.append((name, "cold", *median([*cold, *cmd], repo, env, runs)))
            run([*warm, *cmd], repo, env)  # fills the cache
            rows.append((name, "warm", *median([*warm, *cmd], repo, env, runs)))
        if "--no-build" not in args:
            site = Path(tmp) / "site"
            rows.append(("build, 11 rounds", "cold", *run([*cold, "build", "--out", str(site)], repo, env)))
            rows.append(
                ("build, unchanged", "", *median([*warm, "build", "--out", str(site)], repo, env, runs))
            )
    print(f"German Civil Code, 11 versions; median of {runs}; git diff --word-diff v08 v09: {git:.3f} s")
    print(f"{'command':18} {'cache':5} {'time':>8} {'peak':>7} {'vs git':>8}  target")
    for name, how, took, mb in rows:
        target = TARGETS.get(name, 0.0)
        verdict = "met" if took <= target else "MISSED"
        print(f"{name:18} {how:5} {took:7.2f}s {mb:5} MB {took / git:7.0f}x  <= {target:g} s {verdict}")


if __name__ == "__main__":
    main()
