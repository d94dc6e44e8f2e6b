"""Hostile inputs: each about 1 MB, through the real `regdocs diff` and `regdocs lint` processes.

Each case writes an old and a new version of one document (the new one hostile), then runs
`regdocs --corpus NEW diff OLD NEW --format json` and `regdocs --corpus NEW lint` as child processes,
measuring wall time and the child's peak memory (ru_maxrss from wait4). A case passes when every
command takes <= 2 s and <= 300 MB and ends as expected (diff 0, lint 0 or 1, refused input 2).
Baseline: `git diff --no-index --word-diff` on the same two files, in the same run.
Not part of the test suite. Run: .venv/bin/python bench/adversarial.py [--size BYTES] [CASE...]
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import git_word_diff, make_document, render

BIN = Path(sys.executable).parent / "regdocs"
LIMIT_S = 2.0
LIMIT_MB = 300
TIMEOUT_S = 120.0
HEAD = "# 1. General\n\n"
PLAIN = HEAD + "(1) A provider shall keep records.\n"


def emphasis(size: int) -> tuple[str, str]:
    """One clause holding `a____…b`: `(?<!\\w)[*_]+|[*_]+(?!\\w)` took 308 s on 40 KB."""
    return PLAIN, HEAD + "(1) A provider shall keep records a" + "_" * size + "b.\n"


def emphasis_runs(size: int) -> tuple[str, str]:
    """Many short runs `a_a_a_…`: one callback per run in the linear emphasis stripper."""
    return PLAIN, HEAD + "(1) " + "a_" * (size // 2) + "\n"


def heading_blanks(size: int) -> tuple[str, str]:
    """Blanks then `x}` in a heading: `[ \\t]*\\{#…\\}[ \\t]*$` rescanned the blanks from each one."""
    return PLAIN, "# 1. General" + " " * size + "x}\n\n(1) A provider shall keep records.\n"


def quoted_means(size: int) -> tuple[str, str]:
    """`"a""a"…"a" means`: the definition pattern (and then lint, once per term)."""
    return PLAIN, HEAD + "(1) " + '"a"' * (size // 3) + " means a thing.\n"


def quoted_no_verb(size: int) -> tuple[str, str]:
    """`"a" "a" … x` with `mean` elsewhere: the list pattern split blanks 2^n ways (22 terms: 1.5 s)."""
    return PLAIN, HEAD + "(1) What it may mean: " + '"a" ' * (size // 4) + "x.\n"


def reference_blanks(size: int) -> tuple[str, str]:
    """Blanks after `section 1`: `\\s*(?:,|,?\\s*and|…)\\s+` split the run n ways."""
    return PLAIN, HEAD + "(1) See section 1" + " " * size + "x.\n"


def links(size: int) -> tuple[str, str]:
    """`[a](#[a](#…`: each `](` rescanned the rest of the text (50 KB: 18 s)."""
    return PLAIN, HEAD + "(1) " + "[a](#" * (size // 5) + "\n"


def comments(size: int) -> tuple[str, str]:
    """Unclosed `<!--` everywhere: the lazy `<!--.*?-->` (being rewritten elsewhere; figure only)."""
    return PLAIN, HEAD + "(1) A provider shall keep records. " + "<!--" * (size // 4) + "\n"


def one_line_references(size: int) -> tuple[str, str]:
    """A clause of one long line with a reference every 15 characters: newlines counted per reference."""
    return PLAIN, HEAD + "(1) " + "see section 1. " * (size // 15) + "\n"


def many_references(size: int) -> tuple[str, str]:
    """Sections referring to each other (and to nothing): resolving walked the tree per reference."""
    n = max(1, size // 95)
    text = "".join(
        f"## {k}. Section {k}\n\n(1) See section {(k * 7) % n + 1}(1) and paragraph (a) and section 99999.\n\n"
        f"(a) item.\n\n"
        for k in range(1, n + 1)
    )
    return text.replace("(1) See", "(1) Now see"), text


def definitions(size: int) -> tuple[str, str]:
    """Thousands of definitions, half of them used: lint searched every clause for every term."""
    n = max(1, size // 70)
    body = "".join(f'({k}) "Term{k}" means thing number {k} of the rules.\n\n' for k in range(1, n + 1))
    uses = "".join(f"({k}) A provider shall keep Term{k} records.\n\n" for k in range(1, n + 1, 2))
    return (
        "# 1. Definitions\n\n" + body + "# 2. Duties\n\n" + uses,
        "# 1. Definitions\n\n" + body.replace("of the rules", "of these rules") + "# 2. Duties\n\n" + uses,
    )


def rewritten(size: int) -> tuple[str, str]:
    """Every clause rewritten (short clauses, shared vocabulary): the full similarity matrix was O(N²)."""
    n = max(10, size // 100)
    old = render(make_document(random.Random(1), n, words=8))[0]
    new = render(make_document(random.Random(2), n, words=8))[0]
    return old, new


def front_matter_brackets(size: int) -> tuple[str, str]:
    """1 MB of `[` in the front matter: refused before YAML (PyYAML took 11.5 s on 3 KB)."""
    return PLAIN, "---\ntitle: " + "[" * size + "\n---\n" + PLAIN


def front_matter_nested(size: int) -> tuple[str, str]:
    """60 KB of `[` (under the size cap): refused by the nesting check."""
    return PLAIN, "---\ntitle: " + "[" * min(size, 60_000) + "\n---\n" + PLAIN


CASES: dict[str, tuple[Callable[[int], tuple[str, str]], bool]] = {
    "emphasis a____b": (emphasis, False),
    "emphasis a_a_a_": (emphasis_runs, False),
    "heading blanks x}": (heading_blanks, False),
    '"a""a"… means': (quoted_means, False),
    '"a" "a" … no verb': (quoted_no_verb, False),
    "section 1 + blanks": (reference_blanks, False),
    "[a](#[a](#…": (links, False),
    "<!-- x N (other)": (comments, False),
    "refs on one line": (one_line_references, False),
    "many references": (many_references, False),
    "definitions": (definitions, False),
    "rewritten clauses": (rewritten, False),
    "front matter [[[ 1MB": (front_matter_brackets, True),
    "front matter [[[ 60KB": (front_matter_nested, True),
}
"""Name -> (generator of old and new text, whether the input must be refused with exit 2)."""


def run(cmd: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak MB and exit code of a child process (exit -1 on timeout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return time.perf_counter() - start, usage.ru_maxrss // 1024, proc.returncode
        if time.perf_counter() - start > TIMEOUT_S:
            proc.kill()
            proc.wait()
            return TIMEOUT_S, 0, -1
        time.sleep(0.005)


def case(name: str, make: Callable[[int], tuple[str, str]], refused: bool, size: int) -> tuple[bool, float]:
    """Run one case; print its rows; return (passed, time of `git diff --word-diff`)."""
    old_text, new_text = make(size)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for folder, text in (("old", old_text), ("new", new_text)):
            (root / folder).mkdir()
            (root / folder / "rules.md").write_text(text, encoding="utf-8")
        (root / "new" / "regdocs.toml").write_text('title = "adversarial"\n')
        corpus = ["--corpus", str(root / "new")]
        git = run(git_word_diff(root / "old" / "rules.md", root / "new" / "rules.md"))[0]
        ok = True
        kb = len(new_text.encode()) // 1024
        commands = {
            "diff": [
                str(BIN),
                "--no-cache",
                *corpus,
                "diff",
                str(root / "old"),
                str(root / "new"),
                "--format",
                "json",
            ],
            "lint": [str(BIN), "--no-cache", *corpus, "lint"],
        }
        for what, cmd in commands.items():
            took, mb, code = run(cmd)
            expected = code == 2 if refused else (code == 0 if what == "diff" else code in (0, 1))
            good = expected and took <= LIMIT_S and mb <= LIMIT_MB
            ok &= good
            shown = f">{TIMEOUT_S:.0f}" if code == -1 else f"{took:6.2f}"
            print(
                f"{name:22} {what:5} {kb:6,} KB {shown:>7} s {mb:5} MB  exit {code:2}  "
                f"{took / git:7.1f}x git  {'pass' if good else 'FAIL'}",
                flush=True,
            )
    return ok, git


def main() -> None:
    args = sys.argv[1:]
    size = 1_000_000
    if "--size" in args:
        at = args.index("--size")
        size = int(args[at + 1])
        del args[at : at + 2]
    names = [n for n in CASES if not args or any(a in n for a in args)]
    print(f"limits: <= {LIMIT_S} s and <= {LIMIT_MB} MB per command; input ~{size:,} bytes per case")
    print(f"machine: {os.cpu_count()} cores, load average {_load()} (times are wall times: load slows them)")
    speed = _reference_time()
    print(
        f"machine speed: a fixed Python workload took {speed * 1000:.0f} ms "
        f"({speed / REFERENCE_S:.1f}x the {REFERENCE_S * 1000:.0f} ms of the machine the 2 s limit was first met on)"
    )
    print(f"{'case':22} {'cmd':5} {'size':>9} {'time':>9} {'peak':>8}  {'exit':7} {'vs git':>11}")
    failed = 0
    gits: list[float] = []
    for name in names:
        make, refused = CASES[name]
        ok, git = case(name, make, refused, size)
        failed += not ok
        gits.append(git)
    print(
        f"baseline: git diff --no-index --word-diff took {min(gits):.3f}-{max(gits):.3f} s on the same files; "
        f"{len(names) - failed} of {len(names)} cases pass; load average now {_load()}"
    )


REFERENCE_S = 0.035
"""`_reference_time()` on the machine where the limits were first met (the same workload as tests' `fast`)."""


def _reference_time() -> float:
    """The best of five runs of a fixed mix of dictionary, string and integer work."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        counts: dict[str, int] = {}
        total = 0
        for i in range(200_000):
            key = f"k{i % 1000}"
            counts[key] = counts.get(key, 0) + i
            total += len(key.upper())
        best = min(best, time.perf_counter() - start)
    return best


def _load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
