"""Build the static site: render every page, index it for search, and swap it in atomically."""

from __future__ import annotations

import datetime
import json
import logging
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from regdocs import __version__
from regdocs.corpus.config import shown_path, site_folder
from regdocs.corpus.sources import Sources
from regdocs.errors import RegdocsError
from regdocs.publish.progress import Progress, Stage, report
from regdocs.safefile import read_text_no_follow, refuse_symlink

MARKER = ".regdocs-build.json"
"""File in every built site: what it was built from (the fingerprint) and with which regdocs."""
README = (
    "Build output of `regdocs build` goes here; everything else in this folder is git-ignored"
    " (by the `.gitignore` beside this file).\n\n"
    "Each build replaces every file in this folder except this README.md and .gitignore, which are kept as they"
    " are (regdocs writes them only when missing). No page of the site links to this file, but a web server"
    " publishing the folder as it is serves it too, at /README.md: write nothing here that should not be public.\n"
)
"""Written into a site folder that has no README.md of its own (a committed `site/README.md` stays as it is)."""
GITIGNORE = (
    "# Written by `regdocs build` (a .gitignore of your own here is kept instead): the site is build output.\n"
    "*\n"
    "!README.md\n"
)
"""Written into a site folder that has no .gitignore of its own: git ignores all but the README."""

KEPT = ("README.md", ".gitignore")
"""Files of the output folder's own that survive every build (copied, never followed through a link)."""
DEFAULTS = {"README.md": README, ".gitignore": GITIGNORE}
"""What a build writes for each kept file the folder does not have."""
_STALE_RE = re.compile(r"(?P<what>building|old)-(?P<pid>[0-9]{1,10})(?P<random>-[A-Za-z0-9_]+)?")
"""After `.<site name>.`: what a build leaves beside the site while it runs (`building-PID-xxxx`, `old-PID-xxxx`)."""
_log = logging.getLogger(__name__)


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
    given = out.expanduser()
    if given.is_symlink():
        raise RegdocsError(
            "refusing to build into a symbolic link",
            path=str(out),
            hint="give the folder the link points to, or remove the link",
        )
    target = given.resolve()
    root = corpus_root.resolve()
    forbidden = {Path("/"), Path.home().resolve(), root, *root.parents}
    if target in forbidden:
        raise RegdocsError(
            f"refusing to build into {target}: it holds the corpus or is a top-level folder",
            hint=f"use --out with a folder of its own, e.g. --out {shown_path(site_folder(root))}",
        )
    if root in target.parents:
        raise RegdocsError(
            f"refusing to build into {target}: it is inside the corpus folder",
            hint=f"build outside the corpus, e.g. --out {shown_path(site_folder(root))} (the default)",
        )
    if (target / ".git").exists():
        raise RegdocsError(
            f"refusing to build into {target}: it is a git repository",
            hint="use --out with a folder of its own, e.g. site/",
        )
    if target.exists() and not target.is_dir():
        raise RegdocsError(f"{target} exists and is not a folder", hint="choose another --out")
    marker = target / MARKER
    if target.is_dir() and (marker.is_symlink() or not marker.is_file()):
        foreign = [p.name for p in target.iterdir() if p.name not in KEPT]
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
    clean_stale(target)
    stamp = fingerprint(
        sources, f"{__version__}|{base_url}|{_assets_digest()}|{os.environ.get('SOURCE_DATE_EPOCH', '')}"
    )
    if not force and (target / MARKER).is_file():
        try:
            recorded = json.loads(read_text_no_follow(target / MARKER) or "{}")
            if isinstance(recorded, dict) and recorded.get("fingerprint") == stamp:
                return BuildResult(
                    target, 0, True, time.perf_counter() - started, (target / "pagefind").is_dir()
                )
        except (OSError, ValueError):
            pass
    kept = {name: _read_kept(target / name) for name in KEPT}  # a symlink fails here, before any work
    from regdocs.publish.pages import Site
    from regdocs.publish.versions import load_versions
    from regdocs.render.htmlpage import jinja_env

    tmp = _make_temp(target, "building")
    try:
        # a document unchanged between rounds (same blob id) is parsed once
        versions = load_versions(sources, {}, progress)
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
            + f", published {source_date(latest.date or '')} with regdocs {__version__}."
        )
        plan = Site(sources.config.title, versions, base_url, footer, progress).plan()
        env = jinja_env("templates/site")
        searchable = 0
        report(progress, Stage.PAGES, 0, len(plan))
        for n, make in enumerate(plan, 1):
            page = make()
            html = env.get_template(page.template).render(**page.context)
            searchable += "<article data-pagefind-body>" in html  # document text cannot hold a `<`
            _write(tmp, page.path, html)
            report(progress, Stage.PAGES, n, len(plan))
        _copy_assets(tmp)
        for name, data in kept.items():  # a folder's own README and .gitignore survive the swap
            _write(tmp, name, DEFAULTS[name] if data is None else data)
        indexed = False
        if search:
            report(progress, Stage.SEARCH, 0, searchable)
            indexed = _pagefind(tmp)
            report(progress, Stage.SEARCH, searchable, searchable)
        _write(
            tmp,
            MARKER,
            json.dumps(
                {
                    "fingerprint": stamp,
                    "regdocs": __version__,
                    "pages": len(plan),
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
    return BuildResult(target, len(plan), False, time.perf_counter() - started, indexed)


def clean_stale(target: Path) -> list[str]:
    """Remove what killed builds left beside `target`; put the previous site back if the kill came mid-swap.

    Only folders named as regdocs names them for this very site (`.NAME.building-PID...`,
    `.NAME.old-PID...`) whose process is gone count; symbolic links are never followed or removed.
    Returns the names removed.
    """
    prefix = f".{target.name}."
    try:
        entries = sorted(os.scandir(target.parent), key=lambda e: e.name)
    except OSError:
        return []
    removed = []
    for entry in entries:
        match = _STALE_RE.fullmatch(entry.name[len(prefix) :]) if entry.name.startswith(prefix) else None
        if match is None or _alive(int(match["pid"])) or not entry.is_dir(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if match["what"] == "old" and not os.path.lexists(target):
            # killed between the two renames of a swap: the previous site is in here (the old naming
            # renamed the site itself, the new one moves it into a folder of its own)
            previous = path / target.name if match["random"] else path
            if _is_site(previous):
                os.replace(previous, target)
                _log.warning("%s: restored the site a killed build had moved aside", target)
                if previous == path:
                    continue
        try:
            shutil.rmtree(path)
        except OSError as exc:
            _log.warning("%s: cannot remove what a killed build left: %s", path, exc.strerror or exc)
            continue
        removed.append(entry.name)
    return removed


def _alive(pid: int) -> bool:
    """Whether process `pid` may still be running (when in doubt: yes, so nothing of it is removed)."""
    if os.name != "posix" or pid == os.getpid():
        return True
    if pid <= 0:
        return False  # never a build's process id; os.kill(0, ...) would mean the whole process group
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, it is someone else's
        return True
    return True


def _is_site(path: Path) -> bool:
    """A real folder (not a link) holding a regular build marker."""
    marker = path / MARKER
    return path.is_dir() and not path.is_symlink() and marker.is_file() and not marker.is_symlink()


def _make_temp(target: Path, what: str) -> Path:
    """A new folder only this process owns, beside `target`, named after the site and this process."""
    target.parent.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{what}-{os.getpid()}-"))
    os.chmod(path, 0o777 & ~_umask())  # mkdtemp makes it 0700; a site is as readable as any new folder
    return path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _read_kept(path: Path) -> bytes | None:
    """The bytes of a file the site folder keeps (README.md, .gitignore); None when absent; never via a link."""
    refuse_symlink(path, "keep the site folder's own file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise RegdocsError("is not a regular file", path=str(path), hint="remove it or make it a file")
        return fh.read()


def _write(root: Path, rel: str, data: str | bytes) -> None:
    """Create a new file strictly inside `root` (page paths come from document and clause ids).

    Exclusive creation: two pages mapped to one file, or a link planted in the folder, fail the build.
    """
    path = (root / rel).resolve()
    if not path.is_relative_to(root.resolve()):
        raise RegdocsError(f"refusing to write {rel!r} outside the site folder", hint="report this as a bug")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if isinstance(data, bytes):
            with path.open("xb") as fh:
                fh.write(data)
        else:
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                fh.write(data)
    except FileExistsError:
        raise RegdocsError(
            f"two pages of the site would be written to the same file {rel!r}", hint="report this as a bug"
        ) from None


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
        _write(root, f"assets/{name}", data)


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
    """Put the new site in place with two renames; the old site is only deleted once the new one is there.

    The old site is first moved into a new folder of this process's own (`.NAME.old-PID-xxxx/NAME`), so
    no name that already exists is ever replaced, and a kill between the renames can be repaired.
    """
    refuse_symlink(target, "replace the site")  # checked again: the link could have appeared while we built
    if not os.path.lexists(target):
        os.replace(tmp, target)
        return
    holder = _make_temp(target, "old")
    try:
        os.replace(target, holder / target.name)
    except BaseException:
        holder.rmdir()
        raise
    try:
        os.replace(tmp, target)
    except BaseException:
        os.replace(holder / target.name, target)
        holder.rmdir()
        raise
    shutil.rmtree(holder, ignore_errors=True)
