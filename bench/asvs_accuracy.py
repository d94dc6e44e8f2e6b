"""Alignment accuracy on real ground truth: OWASP ASVS 4.0.3 -> 5.0.0 against OWASP's own mapping.

The two versions are read as published (`../shared/corpora/owasp-asvs/v4.0.3` and `v5.0.0`: chapter files
renamed, requirements as table rows), compared by `regdocs diff` (in process: `diff_corpora`), and every
old -> new requirement pair regdocs reports is scored against `mapping_v4.0.3_to_v5.0.0.yml`:

- a pair is what a change pairs (moved, modified, renumbered, split, merged: each old side with each new
  side), and a requirement no change mentions is paired with the same number (regdocs reports it as
  unchanged);
- the truth is the 232 strict pairs: MOVED TO (with MODIFIED / GRAMMAR), SPLIT TO, MERGED TO;
- pairs to a requirement the mapping says "COVERED BY" are neither right nor wrong (left out of precision).

Not part of the test suite (a floor of it is: tests/test_real_alignment.py, when present).
Run: .venv/bin/python bench/asvs_accuracy.py [--corpora DIR] [--json]
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from regdocs.corpus.config import find_config  # noqa: E402
from regdocs.corpus.load import load_corpus, unique_documents  # noqa: E402
from regdocs.corpus.sources import Sources  # noqa: E402
from regdocs.findings.analysis import diff_corpora  # noqa: E402

_REQ = re.compile(r"(?<![\d.])V?(\d{1,2}\.\d{1,2}\.\d{1,2})(?![\d.])")
_ID = re.compile(r"v5\.0\.0-(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class Truth:
    """OWASP's mapping, as pairs by relation."""

    pairs: dict[tuple[str, str], str]
    """(old, new) -> relation: moved, split or merged."""
    covered: set[tuple[str, str]]
    """(old, new) pairs of "COVERED BY": neither right nor wrong."""
    old: set[str]
    """Every old requirement in the mapping."""


def load_truth(path: Path) -> Truth:
    pairs: dict[tuple[str, str], str] = {}
    covered: set[tuple[str, str]] = set()
    old: set[str] = set()
    key = ""
    joined: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("    ") and joined:  # a value continued on the next line
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    for line in joined:
        if line.startswith("v4.0.3-"):
            key = line.split("-", 1)[1].rstrip(":").strip()
            old.add(key)
            continue
        if "tag-v5.0.0:" not in line or not key:
            continue
        value = line.split("tag-v5.0.0:", 1)[1]
        targets = _ID.findall(value)
        if "COVERED BY" in value or "DEPRECATED BY" in value:
            covered.update((key, t) for t in targets)
        elif "MERGED TO" in value:
            pairs.update({(key, t): "merged" for t in targets})
        elif "SPLIT TO" in value:
            pairs.update({(key, t): "split" for t in targets})
        elif "MOVED TO" in value:
            pairs.update({(key, t): "moved" for t in targets})
    return Truth(pairs, covered, old)


def requirement(number: str, text: str) -> str | None:
    """The ASVS number of a clause side (`**1.2.3**`, `V1.2.3`), if it is a requirement."""
    m = _REQ.search(number) or (_REQ.match(text.strip("*| ")) if not number else None)
    return m.group(1) if m else None


def predicted(corpora: Path) -> tuple[set[tuple[str, str]], float, int, int]:
    """regdocs's old -> new requirement pairs, the seconds the diff took, and the requirements it saw."""
    versions = []
    for name in ("v4.0.3", "v5.0.0"):
        folder = corpora / name
        sources = Sources(find_config(str(folder), implicit=True))
        versions.append(unique_documents(load_corpus(sources, sources.resolve(str(folder)))))
    old, new = versions
    start = time.perf_counter()
    diff = diff_corpora(old, new)
    took = time.perf_counter() - start

    def numbers(corpus: object) -> set[str]:
        found = set()
        for doc in corpus.documents:  # type: ignore[attr-defined]
            for clause in doc.walk():
                r = requirement(clause.number.label if clause.number else "", clause.text)
                if r:
                    found.add(r)
        return found

    old_reqs, new_reqs = numbers(old), numbers(new)
    pairs: set[tuple[str, str]] = set()
    mentioned: set[str] = set()
    for doc in diff.documents:
        for change in doc.changes:
            olds = [r for s in change.old if (r := requirement(s.number, s.text))]
            news = [r for s in change.new if (r := requirement(s.number, s.text))]
            mentioned.update(olds)
            pairs.update((a, b) for a in olds for b in news)
    pairs.update((r, r) for r in old_reqs - mentioned if r in new_reqs)
    return pairs, took, len(old_reqs), len(new_reqs)


def score(truth: Truth, pairs: set[tuple[str, str]]) -> dict[str, dict[str, float]]:
    judged = {p for p in pairs if p not in truth.covered and p[0] in truth.old}
    right = judged & set(truth.pairs)
    out = {
        "all": {
            "precision": len(right) / len(judged) if judged else 0.0,
            "recall": len(right) / len(truth.pairs),
            "found": len(right),
            "truth": len(truth.pairs),
            "predicted": len(judged),
        }
    }
    for relation, total in sorted(Counter(truth.pairs.values()).items()):
        hits = sum(1 for p in right if truth.pairs[p] == relation)
        out[relation] = {"recall": hits / total, "found": hits, "truth": total}
    p, r = out["all"]["precision"], out["all"]["recall"]
    out["all"]["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def main() -> None:
    args = sys.argv[1:]
    corpora = ROOT.parent / "shared" / "corpora" / "owasp-asvs"
    if "--corpora" in args:
        corpora = Path(args[args.index("--corpora") + 1])
    truth = load_truth(corpora / "mapping_v4.0.3_to_v5.0.0.yml")
    pairs, took, n_old, n_new = predicted(corpora)
    result = score(truth, pairs)
    if "--json" in args:
        print(json.dumps(result, indent=2))
        return
    a = result["all"]
    print(f"ASVS 4.0.3 -> 5.0.0: {n_old} and {n_new} requirements read as clauses; diff took {took:.2f} s")
    print(
        f"pairs: precision {a['precision']:.3f}  recall {a['recall']:.3f}  F1 {a['f1']:.3f}  "
        f"({a['found']:.0f} right of {a['predicted']:.0f} reported; {a['truth']:.0f} true)"
    )
    for relation in ("moved", "split", "merged"):
        if relation in result:
            r = result[relation]
            print(f"  {relation:7} recall {r['recall']:.3f}  ({r['found']:.0f} of {r['truth']:.0f})")


if __name__ == "__main__":
    main()
