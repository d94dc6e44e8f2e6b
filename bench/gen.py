"""Generate rule documents and edited versions of them with a ground truth of what changed.

Shared by align_bench.py (accuracy) and diff_bench.py (speed). Clauses carry hidden identities
(uids); the generator knows each uid's derived id in each version, so a diff's output can be
scored against the edits that were really made.
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from pathlib import Path


def _vocabulary() -> list[str]:
    """Distinct words of the bundled corpus: a realistic legal vocabulary (about a thousand words)."""
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "corpus" / "frontier-ai-security-rules.md").read_text(
        "utf-8"
    )
    words = sorted(
        {w.lower() for w in re.findall(r"[A-Za-z][a-z-]{3,}", text)}
        - {"shall", "must", "should", "may", "within", "need", "required", "recommended", "optional"}
    )
    return words


VOCAB = _vocabulary()
FILLER = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "or",
    "in",
    "for",
    "with",
    "by",
    "under",
    "any",
    "each",
    "such",
    "that",
    "its",
]


@dataclass
class Para:
    """A numbered paragraph with a hidden identity."""

    uid: str
    text: str


@dataclass
class Section:
    """A numbered section with a title and paragraphs."""

    uid: str
    title: str
    paras: list[Para] = field(default_factory=list)


@dataclass
class Part:
    """A part holding sections (sections are numbered across parts)."""

    uid: str
    title: str
    sections: list[Section] = field(default_factory=list)


def sentence(rnd: random.Random, words: int) -> str:
    """A plausible regulatory sentence with a modal verb and sometimes a quantity."""
    out = ["A", rnd.choice(VOCAB), rnd.choice(("shall", "shall", "must", "should", "may"))]
    for _ in range(words):
        out.append(rnd.choice(VOCAB) if rnd.random() < 0.6 else rnd.choice(FILLER))
    if rnd.random() < 0.3:
        out += ["within", str(rnd.choice((24, 48, 72, 30, 90))), rnd.choice(("hours", "days"))]
    return " ".join(out) + "."


def make_document(rnd: random.Random, clauses: int, words: int = 55) -> list[Part]:
    """About `clauses` clauses: parts of 10 sections of 4 paragraphs."""
    parts: list[Part] = []
    uid = 0
    made = 0
    while made < clauses:
        part = Part(f"p{len(parts)}", f"Provisions group {len(parts) + 1}")
        parts.append(part)
        made += 1
        for _ in range(10):
            uid += 1
            sec = Section(f"s{uid}", " ".join(rnd.choice(VOCAB) for _ in range(3)).capitalize())
            made += 1
            for _ in range(4):
                uid += 1
                sec.paras.append(Para(f"q{uid}", sentence(rnd, words) + " " + sentence(rnd, words // 3)))
                made += 1
            part.sections.append(sec)
            if made >= clauses:
                break
    return parts


def render(parts: list[Part]) -> tuple[str, dict[str, str]]:
    """Markdown text and the map uid -> derived clause id."""
    lines = ["---", "id: bench", "title: Benchmark rules", "---", ""]
    ids: dict[str, str] = {}
    number = 0
    for p, part in enumerate(parts, 1):
        lines += [f"# Part {p} \u2014 {part.title}", ""]
        ids[part.uid] = f"part-{p}"
        for sec in part.sections:
            number += 1
            lines += [f"## {number}. {sec.title}", ""]
            ids[sec.uid] = str(number)
            for m, para in enumerate(sec.paras, 1):
                lines += [f"({m}) {para.text}", ""]
                ids[para.uid] = f"{number}.{m}"
    return "\n".join(lines), ids


@dataclass
class Truth:
    """What the edits did, by uid."""

    modified: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    moved: set[str] = field(default_factory=set)
    split: set[tuple[str, tuple[str, ...]]] = field(default_factory=set)
    merged: set[tuple[tuple[str, ...], str]] = field(default_factory=set)
    weakened: set[str] = field(default_factory=set)
    number: set[str] = field(default_factory=set)
    formatting: set[str] = field(default_factory=set)


def edit(parts: list[Part], rnd: random.Random, share: dict[str, float]) -> tuple[list[Part], Truth]:
    """Apply edits to a copy; `share` gives the fraction of paragraphs per edit kind."""
    new = copy.deepcopy(parts)
    truth = Truth()
    paras = [(sec, para) for part in new for sec in part.sections for para in sec.paras]
    rnd.shuffle(paras)
    counter = [0]
    taken: set[str] = set()

    def pick(kind: str) -> list[tuple[Section, Para]]:
        n = int(len(paras) * share.get(kind, 0))
        chosen = [(s, p) for s, p in paras if p.uid not in taken][:n]
        taken.update(p.uid for _, p in chosen)
        return chosen

    def fresh() -> str:
        counter[0] += 1
        return f"n{counter[0]}"

    for _sec, para in pick("reword"):
        words = para.text.split(" ")
        for k in rnd.sample(range(len(words)), max(1, len(words) // 6)):
            if words[k] not in ("shall", "must", "should", "may") and not words[k][:1].isdigit():
                words[k] = rnd.choice(VOCAB)
        para.text = " ".join(words)
        truth.modified.add(para.uid)
    for _sec, para in pick("modal"):
        if " shall " in para.text or " must " in para.text:
            para.text = para.text.replace(" shall ", " should ", 1).replace(" must ", " may ", 1)
            truth.modified.add(para.uid)
            truth.weakened.add(para.uid)
    for _sec, para in pick("number"):
        import re

        m = re.search(r"within (\d+) ", para.text)
        if m:
            para.text = para.text[: m.start(1)] + str(int(m.group(1)) * 2) + para.text[m.end(1) :]
            truth.modified.add(para.uid)
            truth.number.add(para.uid)
    for _sec, para in pick("format"):
        words = para.text.split(" ")
        k = rnd.randrange(3, len(words) - 1)
        words[k] = f"*{words[k]}*" if not words[k].endswith(".") else words[k]
        para.text = " ".join(words[:k]) + "\n" + " ".join(words[k:])
        truth.formatting.add(para.uid)
    for sec, para in pick("split"):
        if para.text.count(". ") >= 1:
            first, _, second = para.text.partition(". ")
            para.text = first + "."
            piece = Para(fresh(), second)
            sec.paras.insert(sec.paras.index(para) + 1, piece)
            truth.split.add((para.uid, (para.uid, piece.uid)))
    for sec, para in pick("merge"):
        at = sec.paras.index(para)
        if at + 1 < len(sec.paras) and sec.paras[at + 1].uid not in taken:
            other = sec.paras[at + 1]
            taken.add(other.uid)
            para.text = para.text.rstrip(".") + "; and " + other.text[0].lower() + other.text[1:]
            sec.paras.remove(other)
            truth.merged.add(((para.uid, other.uid), para.uid))
    for sec, para in pick("delete"):
        sec.paras.remove(para)
        truth.removed.add(para.uid)
    for sec, para in pick("insert"):
        piece = Para(fresh(), sentence(rnd, 50))
        sec.paras.insert(sec.paras.index(para) + 1, piece)
        truth.added.add(piece.uid)
    # moves: whole sections to another part
    sections = [(part, sec) for part in new for sec in part.sections]
    rnd.shuffle(sections)
    for part, sec in sections[: int(len(sections) * share.get("move", 0))]:
        if sec.uid in taken or len(new) < 2:
            continue
        target = rnd.choice([p for p in new if p is not part])
        part.sections.remove(sec)
        target.sections.insert(rnd.randrange(len(target.sections) + 1), sec)
        truth.moved.add(sec.uid)
        taken.add(sec.uid)
    # an inserted section early on renumbers every later one
    if share.get("insert_section"):
        sec = Section(fresh(), "Newly inserted provisions", [Para(fresh(), sentence(rnd, 50))])
        new[0].sections.insert(1, sec)
        truth.added.update({sec.uid, sec.paras[0].uid})
    return new, truth


def git_word_diff(old: Path, new: Path) -> list[str]:
    """The baseline every benchmark measures against: `git diff --no-index --word-diff OLD NEW`."""
    return ["git", "diff", "--no-index", "--word-diff", str(old), str(new)]
