"""Diff speed: the whole `regdocs diff --format json` process against `git diff --no-index --word-diff`.

Cases: a typical pair of 5,000 clauses (~300k words; 5% reworded, 2% inserted, 2% deleted, 1% of
sections moved); a worst case (no explicit ids, every clause renumbered, 30% reworded); a typical
pair of 50,000 clauses. Also peak memory and `regdocs --help` start-up time.
Targets (issue 12): typical cold <= 15x git and warm <= 6x git; worst <= 5 s; 50k <= 10 s; peak <= 300 MB;
--help <= 0.1 s.
Not part of the test suite. Run: .venv/bin/python bench/diff_bench.py [--quick]
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import Para, Part, Section, edit, git_word_diff, make_document, render, sentence

BIN = Path(sys.executable).parent / "regdocs"
MEASURE = (
    "import resource, sys\n"
    "from regdocs.cli import cli\n"
    "try:\n    cli(sys.argv[1:], prog_name='regdocs')\n"
    "except SystemExit:\n    pass\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, file=sys.stderr)\n"
)


def best_of(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t)
    return min(times)


def peak_mb(args: list[str]) -> int:
    out = subprocess.run([sys.executable, "-c", MEASURE, *args], capture_output=True, text=True, check=False)
    return int(out.stderr.strip().splitlines()[-1])


def worst_case(parts: list[Part], rnd: random.Random) -> list[Part]:
    """Every clause renumbered (a new first part, section and paragraph everywhere) and 30% reworded."""
    new, _ = edit(parts, rnd, {"reword": 0.30})
    for part in new:
        for sec in part.sections:
            sec.paras.insert(0, Para(f"x{sec.uid}", sentence(rnd, 40)))
    new.insert(0, Part("x0", "Preliminary", [Section("xs", "Citation", [Para("xp", sentence(rnd, 30))])]))
    return new


def case(name: str, old: list[Part], new: list[Part], runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder, parts in (("old", old), ("new", new)):
            (root / folder).mkdir()
            (root / folder / "rules.md").write_text(render(parts)[0], encoding="utf-8")
        (root / "corpus").mkdir()
        (root / "corpus" / "regdocs.toml").write_text('title = "bench"\n')
        words = len((root / "old" / "rules.md").read_text().split())
        clauses = sum(1 + len(s.paras) for p in old for s in p.sections) + len(old)
        args = [
            "--corpus",
            str(root / "corpus"),
            "diff",
            str(root / "old"),
            str(root / "new"),
            "--format",
            "json",
        ]
        cold = best_of([str(BIN), "--no-cache", *args], runs)
        warm = best_of([str(BIN), *args], runs)  # the first run fills the cache of parsed documents
        git = best_of(git_word_diff(root / "old" / "rules.md", root / "new" / "rules.md"), runs)
        mem = peak_mb(["--no-cache", *args])
        print(f"{name}: {clauses:,} clauses, {words:,} words")
        print(f"  git diff --no-index --word-diff : {git:6.2f} s")
        print(f"  regdocs diff, cold (--no-cache) : {cold:6.2f} s   ratio {cold / git:5.1f}x   peak {mem} MB")
        print(f"  regdocs diff, parse cache warm  : {warm:6.2f} s   ratio {warm / git:5.1f}x")


def main() -> None:
    quick = "--quick" in sys.argv
    rnd = random.Random(3)
    help_time = best_of([str(BIN), "--help"], 5)
    print(f"regdocs --help: {help_time:.3f} s (target <= 0.1 s)")
    typical = {"reword": 0.05, "insert": 0.02, "delete": 0.02, "move": 0.01}
    base = make_document(rnd, 5000, words=50)
    case("typical", base, edit(base, rnd, typical)[0], 3)
    case("worst case", base, worst_case(base, rnd), 3)
    if not quick:
        big = make_document(rnd, 50000, words=50)
        case("typical 50k", big, edit(big, rnd, typical)[0], 1)


if __name__ == "__main__":
    main()
