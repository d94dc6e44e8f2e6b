"""Site build speed: 10 rounds x 1,000 clauses, cold and unchanged, against `mkdocs build` of the same text.

The corpus is generated into a temporary git repository (one commit per round). mkdocs builds the
same ten documents as plain pages in the same run (installed into the venv for this benchmark
only if missing). Targets: cold build <= 15 s; rebuild with no change <= 1 s.
Not part of the test suite. Run: .venv/bin/python bench/site_bench.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen import edit, make_document, render

BIN = Path(sys.executable).parent / "regdocs"
ROUNDS = 10


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout}\n{result.stderr}")
    return took


def main() -> None:
    rnd = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        repo = root / "repo"
        repo.mkdir()
        git(repo, "init", "-q")
        parts = make_document(rnd, 1000, words=50)
        rounds = []
        docs = root / "mkdocs" / "docs"
        docs.mkdir(parents=True)
        for k in range(1, ROUNDS + 1):
            if k > 1:
                parts, _ = edit(parts, rnd, {"reword": 0.05, "insert": 0.02, "delete": 0.02, "move": 0.01})
            text = render(parts)[0]
            (repo / "rules.md").write_text(text, encoding="utf-8")
            (docs / f"round-{k:02d}.md").write_text(text.split("---\n", 2)[2], encoding="utf-8")
            git(repo, "add", "-A")
            git(repo, "commit", "-qm", f"round {k}")
            sha = subprocess.run(
                ["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True
            ).stdout.strip()
            rounds.append(f'[[rounds]]\nname = "round-{k:02d}"\nref = "{sha}"\nparty = "Party {k % 2 + 1}"\n')
        (repo / "regdocs.toml").write_text('title = "Benchmark rules"\n' + "\n".join(rounds))
        clauses = sum(1 + len(s.paras) for p in parts for s in p.sections) + len(parts)
        cold = timed([str(BIN), "--corpus", str(repo), "build", "--out", str(root / "site")], root)
        warm = timed([str(BIN), "--corpus", str(repo), "build", "--out", str(root / "site")], root)
        pages = sum(1 for _ in (root / "site").rglob("*.html"))
        try:
            import mkdocs  # noqa: F401
        except ImportError:
            subprocess.run([sys.executable, "-m", "pip", "install", "-q", "mkdocs"], check=True)
        (root / "mkdocs" / "mkdocs.yml").write_text("site_name: Benchmark rules\n")
        mk = timed(
            [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(root / "mk-site")], root / "mkdocs"
        )
        mk_pages = sum(1 for _ in (root / "mk-site").rglob("*.html"))
        print(f"site: {ROUNDS} rounds x {clauses:,} clauses")
        print(f"  mkdocs build (10 plain pages)      : {mk:6.2f} s  ({mk_pages} pages)")
        print(
            f"  regdocs build, cold                : {cold:6.2f} s  ({pages} pages)  ratio {cold / mk:.1f}x  (target <= 15 s)"
        )
        print(f"  regdocs build, nothing changed     : {warm:6.2f} s  (target <= 1 s)")


if __name__ == "__main__":
    main()
