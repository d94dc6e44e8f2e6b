"""Benchmark: parse a 5,000-clause document and read 100 files at a git ref.

Prints times and ratios against baselines measured in the same run:
- parse: markdown-it-py's bare parse of the same text (target: regdocs <= 0.5 s and <= 2x);
- read at ref: one `git cat-file -p` subprocess per file, the naive way (regdocs uses one
  `git cat-file --batch` process for the whole run).
Not part of the test suite. Run: .venv/bin/python bench/parse_bench.py
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from markdown_it import MarkdownIt

from regdocs.corpus.config import CorpusConfig
from regdocs.corpus.sources import Sources
from regdocs.parse.document import parse_document

WORDS = [
    "the",
    "developer",
    "shall",
    "ensure",
    "that",
    "model",
    "weights",
    "are",
    "protected",
    "against",
    "unauthorised",
    "access",
    "by",
    "any",
    "person",
    "within",
    "72",
    "hours",
    "of",
    "a",
    "serious",
    "security",
    "incident",
    "and",
    "may",
    "consult",
    "the",
    "Office",
    "where",
    "appropriate",
    "under",
    "section",
]


def generate(clauses: int, seed: int = 1) -> str:
    """A rules document with parts, sections, (1) paragraphs and (a) sub-paragraphs."""
    rnd = random.Random(seed)
    out = ["---", "id: bench", "title: Benchmark rules", "---", ""]
    made, section, part = 0, 0, 0
    while made < clauses:
        if section % 25 == 0:
            part += 1
            out += [f"# Part {part} — Provisions of part {part}", ""]
            made += 1
        section += 1
        explicit = f" {{#sec-{section}}}" if section % 3 == 0 else ""
        out += [f"## {section}. Section title number {section}{explicit}", ""]
        made += 1
        for p in range(1, 4):
            out += [
                f"({p}) "
                + " ".join(rnd.choice(WORDS) for _ in range(90))
                + f" section {max(1, section - 1)}.",
                "",
            ]
            made += 1
            if p == 2:
                for letter in "abc":
                    out += [f"({letter}) " + " ".join(rnd.choice(WORDS) for _ in range(40)) + ";", ""]
                    made += 1
    return "\n".join(out)


def best(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_parse() -> None:
    text = generate(5000)
    md = MarkdownIt("commonmark", {"html": False})
    bare = best(lambda: md.parse(text))
    ours = best(lambda: parse_document(text, "bench.md"))
    doc = parse_document(text, "bench.md")
    n = sum(1 for _ in doc.walk())
    print(f"parse: {n} clauses, {len(text.split()):,} words, {len(text) / 1e6:.1f} MB")
    print(f"  markdown-it-py bare parse : {bare:.3f} s")
    print(
        f"  regdocs parse_document    : {ours:.3f} s   ratio {ours / bare:.2f}x   (targets <= 0.5 s, <= 2x)"
    )


def bench_read() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        env = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        for k in range(100):
            (repo / f"doc-{k:03d}.md").write_text(generate(50, seed=k))
        subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
        subprocess.run(["git", *env, "-C", str(repo), "commit", "-qm", "docs"], check=True)
        config = CorpusConfig(repo, "bench")

        def ours() -> None:
            with Sources(config) as src:
                files = src.read(src.resolve("HEAD"))
                assert len(files) == 100

        def naive() -> None:
            names = subprocess.run(
                ["git", "-C", str(repo), "ls-tree", "--name-only", "HEAD"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            for name in names:
                subprocess.run(
                    ["git", "-C", str(repo), "cat-file", "-p", f"HEAD:{name}"],
                    check=True,
                    capture_output=True,
                )

        t_ours, t_naive = best(ours, 5), best(naive, 3)
        print("read 100 files at a ref:")
        print(f"  one git subprocess per file: {t_naive:.3f} s")
        print(f"  regdocs (cat-file --batch)  : {t_ours:.3f} s   ratio {t_ours / t_naive:.2f}x")


def main() -> None:
    bench_parse()
    bench_read()


if __name__ == "__main__":
    main()
