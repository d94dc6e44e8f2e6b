"""Build the static site: render every page, index it for search, and swap it in atomically."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from regdocs import __version__
from regdocs.errors import RegdocsError
from regdocs.sources import Sources

MARKER = ".regdocs-build.json"
"""File in every built site: what it was built from (the fingerprint) and with which regdocs."""
README = "Build output of `regdocs build` goes here; everything else in this folder is git-ignored.\n"
"""Written into every site so that a committed `site/README.md` stays as it is."""

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build did."""

    out: Path
    """The site folder."""
    pages: int
    """Pages written (0 when the site was already up to date)."""
    skipped: bool
    """True when nothing had changed since the last build."""
    seconds: float
    """Wall time of the build."""
    search: bool
    """Whether the Pagefind search index was built."""


def check_output(out: Path, corpus_root: Path) -> Path:
    """Refuse output folders whose replacement would destroy something that is not a regdocs site."""
    target = out.expanduser().resolve()
    root = corpus_root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), root, *root.parents}
    if target in forbidden:
        raise RegdocsError(
            f"refusing to build into {target}: it holds the corpus or is a top-level folder",
            hint="use --out with a folder of its own, e.g. site/",
        )
    if root in target.parents:
        raise RegdocsError(
            f"refusing to build into {target}: it is inside the corpus folder",
            hint="build outside the corpus, e.g. --out site",
        )
    if (target / ".git").exists():
        raise RegdocsError(
            f"refusing to build into {target}: it is a git repository",
            hint="use --out with a folder of its own, e.g. site/",
        )
    if target.exists() and not target.is_dir():
        raise RegdocsError(f"{target} exists and is not a folder", hint="choose another --out")
    if target.is_dir() and not (target / MARKER).exists():
        foreign = [p.name for p in target.iterdir() if p.name not in ("README.md", ".gitignore")]
        if foreign:
            raise RegdocsError(
                f"{target} already holds files that regdocs did not build ({', '.join(sorted(foreign)[:3])})",
                hint="choose another --out or empty the folder",
            )
    return target


def source_date(default: str) -> str:
    """The build date: from SOURCE_DATE_EPOCH when set (reproducible builds), else `default`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), tz=datetime.UTC).date().isoformat()
    return default


def build_site(
    sources: Sources,
    out: Path,
    base_url: str = "",
    *,
    force: bool = False,
    progress: Progress | None = None,
    search: bool = True,
) -> BuildResult:
    """Build (or confirm up to date) the site for every round of the corpus in `out`."""
    from regdocs.publish.versions import fingerprint

    started = time.perf_counter()
    target = check_output(out, sources.config.root)
    stamp = fingerprint(
        sources, f"{__version__}|{base_url}|{_assets_digest()}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"
    )
    marker = target / MARKER
    if not force and marker.is_file():
        try:
            if json.loads(marker.read_text(encoding="utf-8")).get("fingerprint") == stamp:
                return BuildResult(
                    target, 0, True, time.perf_counter() - started, (target / "pagefind").is_dir()
                )
        except (OSError, ValueError):
            pass
    from regdocs.publish.pages import Site
    from regdocs.publish.versions import load_versions

    versions = load_versions(sources, {})  # a document unchanged between rounds (same blob id) is parsed once
    if not versions or not versions[-1].corpus.documents:
        raise RegdocsError(
            "the corpus has no documents to publish",
            path=str(sources.config.root),
            hint="add markdown files or check documents.include in regdocs.toml",
        )
    latest = versions[-1]
    footer = (
        f"{sources.config.title} \u2014 {latest.name}"
        + (f" ({latest.commit[:10]})" if latest.commit else "")
        + f", published {source_date(latest.date or versions[-1].date or '')} with regdocs {__version__}."
    )
    site = Site(sources.config.title, versions, base_url, footer)
    pages = site.pages()
    tmp = target.parent / f".{target.name}.building-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        from regdocs.render.htmlpage import jinja_env

        env = jinja_env("templates/site")
        for n, page in enumerate(pages, 1):
            html = env.get_template(page.template).render(**page.context)
            _write(tmp, page.path, html)
            if progress is not None:
                progress(n, len(pages))
        _copy_assets(tmp)
        _write(tmp, "README.md", README)
        for keep in ("README.md", ".gitignore"):  # a folder's own README and .gitignore survive the swap
            if (target / keep).is_file() and not (target / keep).is_symlink():
                shutil.copyfile(target / keep, tmp / keep)
        indexed = _pagefind(tmp) if search else False
        _write(
            tmp,
            MARKER,
            json.dumps(
                {
                    "fingerprint": stamp,
                    "regdocs": __version__,
                    "pages": len(pages),
                    "versions": [v.name for v in versions],
                },
                indent=2,
                sort_keys=True,
            )
            + "\n",
        )
        _swap(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildResult(target, len(pages), False, time.perf_counter() - started, indexed)


def _write(root: Path, rel: str, text: str) -> None:
    """Write a file strictly inside `root` (page paths come from document and clause ids)."""
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise RegdocsError(f"refusing to write {rel!r} outside the site folder", hint="report this as a bug")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _assets() -> list[tuple[str, bytes]]:
    folder = resources.files("regdocs") / "assets"
    return sorted((entry.name, entry.read_bytes()) for entry in folder.iterdir() if entry.is_file())


def _assets_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    for name, data in _assets():
        h.update(name.encode() + data)
    for entry in sorted((resources.files("regdocs") / "templates" / "site").iterdir(), key=lambda e: e.name):
        h.update(entry.name.encode() + entry.read_bytes())
    package = Path(__file__).resolve().parent.parent  # the code itself: a new regdocs means a new site
    for path in sorted(package.rglob("*.py")):
        h.update(str(path.relative_to(package)).encode() + path.read_bytes())
    return h.hexdigest()[:16]


def _copy_assets(root: Path) -> None:
    for name, data in _assets():
        target = root / "assets" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _pagefind(root: Path) -> bool:
    """Index the site with Pagefind (the binary ships in the pagefind[bin] wheel)."""
    try:
        import pagefind  # noqa: F401
    except ImportError:
        return False
    cmd = [sys.executable, "-m", "pagefind", "--site", str(root), "--silent"]
    result = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RegdocsError(
            f"search indexing failed: {result.stderr.strip()[:300]}",
            hint="check that the pagefind[bin] package is installed",
        )
    return True


def _swap(tmp: Path, target: Path) -> None:
    """Put the new site in place with two renames; the old site is only deleted once the new one is there."""
    if target.exists():
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(old, target)
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
