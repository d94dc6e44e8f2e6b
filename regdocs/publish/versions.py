"""The versions a site shows: every round in order, then the working tree when it differs from the last round."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from regdocs.corpus.config import CONFIG_NAME
from regdocs.corpus.sources import Sources
from regdocs.corpus.versions import load_versions as corpus_versions
from regdocs.parse.model import Corpus, Document
from regdocs.publish.progress import Progress, Stage, report

_SLUG_RE = re.compile(r"[^A-Za-z0-9._-]+")
NAME_LIMIT = 100
"""Longest id kept as it is in a file name; longer ones are cut and hashed (a name has at most 255 bytes,
and `changes/A--B-substantive.html` holds two round names)."""


def safe_name(text: str) -> str:
    """A file-name-safe slug; text that is not already safe gets a short hash so names never collide.

    Safe text longer than NAME_LIMIT becomes its first NAME_LIMIT characters plus a 16-digit hash: longer
    than any name kept whole, so it cannot collide with one, and the same on every build.
    """
    slug = _SLUG_RE.sub("-", text).strip(".-") or "x"
    if slug != text or slug != slug.lower():  # `SAME` and `same` must not collide on case-blind file systems
        slug = f"{slug[:60]}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    elif len(slug) > NAME_LIMIT:
        slug = f"{slug[:NAME_LIMIT]}-{hashlib.sha1(text.encode()).hexdigest()[:16]}"
    return slug


@dataclass(frozen=True, slots=True)
class SiteVersion:
    """One version of the corpus as the site shows it."""

    key: str
    """File-name-safe key used in URLs."""
    name: str
    """Round name, or `current` for the working tree."""
    label: str
    """Round label, e.g. `Counter-proposal`."""
    date: str
    """Round date (ISO)."""
    party: str
    """Who tabled it."""
    commit: str
    """Commit id, empty for the working tree."""
    author: str
    """Commit author."""
    message: str
    """Commit message: the rationale."""
    corpus: Corpus
    """The parsed documents."""


def fingerprint(sources: Sources, extra: str) -> str:
    """A hash of everything a build depends on, cheap to compute: round commits and working-tree bytes."""
    h = hashlib.sha256(extra.encode())
    root = sources.config.root
    h.update((root / CONFIG_NAME).read_bytes() if (root / CONFIG_NAME).is_file() else b"")
    if sources.all_rounds():
        for info in sources.round_infos():
            h.update(f"{info.round}|{info.commit}\n".encode())  # a commit id pins every blob id under it
    from regdocs.corpus.sources import Version, VersionKind

    for f in sources.read(Version("", VersionKind.WORKTREE)):
        h.update(f"{f.path}\0{f.blob}\n".encode())  # git blob ids of the working-tree files
    return h.hexdigest()


def load_versions(
    sources: Sources, cache: dict[str, Document] | None = None, progress: Progress | None = None
) -> list[SiteVersion]:
    """Every round (oldest first), then the working tree if it is not the same as the last round.

    `progress` hears of each version parsed (the working tree counts as one even when it is then left out).
    """
    out: list[SiteVersion] = []
    used: set[str] = set()
    for version in corpus_versions(sources, cache, lambda n, total: report(progress, Stage.PARSE, n, total)):
        info = version.round
        if info is None:
            # the working tree must never take a round's place: rounds may be called `current`, `current-draft`...
            key = _unused(["current", "current-draft"], "current-draft-", used)
            name = _unused(["current", "working tree"], "working tree ", {v.name for v in out})
            out.append(
                SiteVersion(
                    key, name, "Working draft", "", "", "", "", "Not yet recorded as a round.", version.corpus
                )
            )
            continue
        r = info.round
        key = safe_name(r.name)
        used.add(key)
        out.append(
            SiteVersion(
                key,
                r.name,
                r.label,
                r.date or info.authored[:10],
                r.party,
                info.commit,
                info.author,
                info.message,
                version.corpus,
            )
        )
    return out


def _unused(preferred: list[str], stem: str, used: set[str]) -> str:
    """The first of `preferred` not in `used`, else `stem` + the first free number from 2."""
    n = 2
    for candidate in preferred:
        if candidate not in used:
            return candidate
    while f"{stem}{n}" in used:
        n += 1
    return f"{stem}{n}"
