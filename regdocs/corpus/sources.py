"""Read a corpus's files at a version: the working tree, a git ref (round, tag, commit) or a folder."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from regdocs.corpus.config import CorpusConfig, Round
from regdocs.errors import InputError, VersionError

if TYPE_CHECKING:
    from git import Repo

    from regdocs.corpus.cache import DocumentStore

_SHA_RE = re.compile(r"[0-9a-f]{40}")
_BAD_REF_CHARS = re.compile(r"[\x00-\x1f\x7f]")


class VersionKind(Enum):
    """Where a version's files come from."""

    WORKTREE = "worktree"
    COMMIT = "commit"
    FOLDER = "folder"
    FILE = "file"


@dataclass(frozen=True, slots=True)
class Version:
    """A resolved version spec."""

    spec: str
    """What the user typed (empty for the working tree)."""
    kind: VersionKind
    """Working tree, git commit or folder."""
    commit: str = ""
    """40-hex commit id for git versions."""
    folder: str = ""
    """Folder path for folder versions (and the folder holding the file, for file versions)."""
    file: str = ""
    """For a file version: the file's name in `folder`."""
    round: Round | None = None
    """The round this version is, when it was named by a round."""

    @property
    def label(self) -> str:
        """Return a short human label: `round-2 (1a2b3c4)`, `working tree`, a folder path."""
        if self.kind is VersionKind.WORKTREE:
            return "working tree"
        if self.kind is VersionKind.FILE:
            return str(Path(self.folder) / self.file)
        if self.kind is VersionKind.FOLDER:
            return self.folder
        name = self.round.name if self.round else self.spec
        return f"{name} ({self.commit[:7]})" if name != self.commit else self.commit[:7]


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One document file's bytes at a version."""

    path: str
    """Path relative to the corpus root, posix separators."""
    data: bytes
    """Raw bytes."""
    blob: str = ""
    """Git blob id when read from git."""


@dataclass(frozen=True, slots=True)
class RoundInfo:
    """A round with the commit that holds it."""

    round: Round
    """The round as configured or discovered."""
    commit: str
    """40-hex commit id."""
    author: str
    """Commit author name and email."""
    authored: str
    """Author date, ISO 8601."""
    subject: str
    """First line of the commit message."""
    message: str
    """Full commit message: the rationale of the round."""


def blob_id(data: bytes) -> str:
    """The git blob id of some bytes (what `git hash-object` prints), so files off git are keyed alike."""
    import hashlib

    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def split_range(spec: str) -> tuple[str, str] | None:
    """Split `A..B` into (A, B); return None when spec is not a two-dot range."""
    if "..." in spec or ".." not in spec:
        return None
    left, right = spec.split("..", 1)
    if not left or not right or left.endswith("/") or right.startswith("/"):
        return None
    return left, right


def split_three_dot(spec: str) -> tuple[str, str] | None:
    """Split `A...B` (git's merge-base form) into (A, B); None when spec is not such a range."""
    if "..." not in spec:
        return None
    left, right = spec.split("...", 1)
    return (left, right) if left and right else None


def _path_version(spec: str, files: bool) -> Version | None:
    """A folder (or, with `files`, a file) given as a version; None when `spec` names neither."""
    try:
        path = Path(spec).expanduser()
    except RuntimeError:  # `~nobody`: no such user, so no such folder
        return None
    if path.is_dir():
        return Version(spec, VersionKind.FOLDER, folder=str(path.resolve()))
    if files and path.is_file():
        full = path.resolve()
        return Version(spec, VersionKind.FILE, folder=str(full.parent), file=full.name)
    return None


def check_ref(spec: str) -> None:
    """Refuse a ref that git could read as an option or that holds control characters."""
    if spec.startswith("-"):
        raise VersionError(
            f"version {spec!r} starts with '-'",
            ref=spec,
            hint="name a round, a git ref or a folder; refs that look like options are refused",
        )
    if not spec or _BAD_REF_CHARS.search(spec):
        raise VersionError(f"version {spec!r} is not a valid ref", ref=spec, hint="run 'regdocs rounds'")


class Sources:
    """Reads a corpus at any version; holds one git repository (and its cat-file process)."""

    def __init__(self, config: CorpusConfig) -> None:
        self.config = config
        self._repo: Repo | None = None
        self._repo_error: str | None = None
        self._prefix = ""
        self._tag_rounds: tuple[Round, ...] | None = None
        self.store: DocumentStore | None = None
        """Parsed documents kept on disk between runs (the command line sets it; `--no-cache` leaves it None)."""

    def __enter__(self) -> Sources:
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Stop git's helper processes."""
        if self._repo is not None:
            self._repo.close()
            self._repo = None

    # -- git -----------------------------------------------------------------

    def _git(self, spec: str = "") -> Repo:
        if self._repo is not None:
            return self._repo
        from git import InvalidGitRepositoryError, NoSuchPathError, Repo

        try:
            repo = Repo(self.config.root, search_parent_directories=True)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise VersionError(
                f"{self.config.root} is not inside a git repository, so version {spec!r} cannot be read",
                ref=spec or None,
                hint="run 'git init' and commit the corpus, or give a folder as the version"
                + (" (or two .md files: regdocs diff OLD.md NEW.md)" if self.config.implicit else ""),
            ) from None
        work = repo.working_tree_dir
        if work is None:
            raise VersionError("bare repositories are not supported", hint="use a clone with a working tree")
        rel = os.path.relpath(self.config.root.resolve(), Path(work).resolve())
        self._prefix = "" if rel == "." else Path(rel).as_posix()
        self._repo = repo
        return repo

    def has_git(self) -> bool:
        """Return whether the corpus lives in a git repository."""
        try:
            self._git()
        except VersionError:
            return False
        return True

    def _rev_parse(self, spec: str) -> str | None:
        from git import GitCommandError

        check_ref(spec)
        repo = self._git(spec)
        try:
            out = repo.git.rev_parse("--verify", "--quiet", "--end-of-options", spec + "^{commit}")
        except GitCommandError:
            return None
        sha = str(out).strip()
        return sha if _SHA_RE.fullmatch(sha) else None

    def _shallow(self) -> bool:
        try:
            return str(self._git().git.rev_parse("--is-shallow-repository")).strip() == "true"
        except Exception:
            return False

    def commit_of(self, rnd: Round) -> str:
        """Resolve a round's ref to a commit id, or fail with what to do."""
        sha = self._rev_parse(rnd.ref)
        if sha is None:
            if self._shallow():
                raise VersionError(
                    f"round {rnd.name!r}: commit {rnd.ref} is not in this clone because it is shallow",
                    ref=rnd.ref,
                    hint="run 'git fetch --unshallow' (or clone without --depth)",
                )
            raise VersionError(
                f"round {rnd.name!r}: ref {rnd.ref!r} is not a commit in this repository",
                ref=rnd.ref,
                hint="fix its 'ref' in regdocs.toml, or fetch the commit or tag",
            )
        return sha

    def all_rounds(self) -> tuple[Round, ...]:
        """Return configured rounds, then rounds discovered from tags (by tag date)."""
        return self.config.rounds + self._discovered()

    def _discovered(self) -> tuple[Round, ...]:
        if self._tag_rounds is not None:
            return self._tag_rounds
        found: list[tuple[float, Round]] = []
        if self.config.tag_pattern and self.has_git():
            import fnmatch

            names = {r.name for r in self.config.rounds}
            for tag in self._git().tags:
                if not fnmatch.fnmatchcase(tag.name, self.config.tag_pattern) or tag.name in names:
                    continue
                try:
                    commit = tag.commit
                except ValueError:
                    continue  # a tag on a blob or tree is no round
                label, party = "", ""
                if tag.tag is not None:
                    label = tag.tag.message.strip().split("\n", 1)[0]
                    party = tag.tag.tagger.name or ""
                date = commit.authored_datetime.date().isoformat()
                found.append((commit.committed_date, Round(tag.name, tag.name, date, party, label, True)))
        found.sort(key=lambda pair: (pair[0], pair[1].name))
        self._tag_rounds = tuple(r for _, r in found)
        return self._tag_rounds

    def round_infos(self) -> list[RoundInfo]:
        """Resolve every round to its commit, author and message; fail once listing all bad rounds."""
        from regdocs.errors import ProblemsError, RegdocsError

        infos: list[RoundInfo] = []
        problems: list[RegdocsError] = []
        rounds = self.all_rounds()
        if rounds:
            self._git(rounds[0].ref)
        for rnd in rounds:
            try:
                sha = self.commit_of(rnd)
            except VersionError as exc:
                problems.append(exc)
                continue
            c = self._git().commit(sha)
            author = f"{c.author.name} <{c.author.email}>"
            message = str(c.message).strip()
            infos.append(
                RoundInfo(
                    rnd, sha, author, c.authored_datetime.isoformat(), message.split("\n", 1)[0], message
                )
            )
        if problems:
            raise problems[0] if len(problems) == 1 else ProblemsError(problems)
        return infos

    def merge_base(self, a: Version, b: Version) -> Version:
        """The best common ancestor of two commit versions (for `A...B`)."""
        from git import GitCommandError

        if a.kind is not VersionKind.COMMIT or b.kind is not VersionKind.COMMIT:
            raise VersionError(
                "A...B needs two git commits", hint="use A..B to compare folders or the working tree"
            )
        try:
            sha = str(self._git().git.merge_base(a.commit, b.commit)).strip()  # both are verified 40-hex ids
        except GitCommandError:
            raise VersionError(
                f"{a.label} and {b.label} have no common ancestor", hint="use A..B instead"
            ) from None
        return Version(sha, VersionKind.COMMIT, commit=sha)

    def corpus_prefix(self) -> str:
        """The corpus folder relative to the top of its repository, posix (`""` at the top)."""
        self._git()
        return self._prefix

    def ref_names(self) -> set[str]:
        """Names of the repository's branches, remote branches and tags (for shell completion)."""
        return {str(r.name) for r in self._git().refs}

    def tag_names(self) -> set[str]:
        """Names of the repository's tags."""
        return {t.name for t in self._git().tags}

    def create_tag(self, name: str, sha: str, message: str) -> None:
        """Create an annotated tag at a verified commit id."""
        from git import GitCommandError

        try:
            self._git().create_tag(name, ref=sha, message=message)
        except GitCommandError as exc:
            raise VersionError(
                f"git refused the tag {name!r}: {str(exc.stderr).strip()[:200]}",
                hint="pick another round name",
            ) from None

    def delete_tag(self, name: str) -> None:
        """Remove a tag (undo of create_tag)."""
        repo = self._git()
        repo.delete_tag(repo.tags[name])

    def is_ref(self, name: str) -> bool:
        """Whether `name` already names something in git (branch, tag, HEAD...)."""
        try:
            return self._rev_parse(name) is not None
        except VersionError:
            return False

    def commit_info(self, sha: str) -> dict[str, Any]:
        """Return author, date and message of a commit."""
        c = self._git().commit(sha)
        return {
            "author": f"{c.author.name} <{c.author.email}>",
            "date": c.authored_datetime.isoformat(),
            "message": str(c.message).strip(),
        }

    # -- versions ------------------------------------------------------------

    def resolve(self, spec: str | None, *, files: bool = False) -> Version:
        """Resolve a version spec: round name, then git ref, then folder; None = working tree.

        With `files` (always when no regdocs.toml was found), a file is a version too: one document.
        """
        if spec is None or spec == "":
            return Version("", VersionKind.WORKTREE)
        if spec.startswith("-"):
            check_ref(spec)
        files = files or self.config.implicit
        if spec.startswith(("/", "./", "../", "~")) and (path := _path_version(spec, files)):
            return path  # git refs never start like this, so no need to ask git (or even import it)
        rnd = self.config.round(spec) or next((r for r in self._discovered() if r.name == spec), None)
        if rnd is not None:
            return Version(spec, VersionKind.COMMIT, commit=self.commit_of(rnd), round=rnd)
        sha: str | None = None
        git_error: VersionError | None = None
        try:
            sha = self._rev_parse(spec)
        except VersionError as exc:
            git_error = exc
        if sha is not None:
            return Version(spec, VersionKind.COMMIT, commit=sha)
        if path := _path_version(spec, files):
            return path
        if git_error is not None and not (self.config.implicit and ("/" in spec or spec.endswith(".md"))):
            raise git_error
        names = ", ".join(r.name for r in self.all_rounds())
        hint = f"known rounds: {names}" if names else "no rounds are configured in regdocs.toml"
        if self.config.implicit:
            hint = "no regdocs.toml here, so give a .md file, a folder or a git ref (or run 'regdocs init')"
        if self._repo is not None and _SHA_RE.fullmatch(spec.lower()) and self._shallow():
            hint = "this clone is shallow; run 'git fetch --unshallow'"
        raise VersionError(
            f"unknown version {spec!r}: not a round, a git ref or a folder", ref=spec, hint=hint
        )

    def read(self, version: Version) -> list[SourceFile]:
        """Return the corpus's document files at a version, sorted by path."""
        if version.kind is VersionKind.COMMIT:
            return self._read_commit(version)
        if version.kind is VersionKind.FILE:  # named by the user: read as it is, whatever its name
            data = (Path(version.folder) / version.file).read_bytes()
            return [SourceFile(version.file, data, blob_id(data))]
        root = self.config.root if version.kind is VersionKind.WORKTREE else Path(version.folder)
        return self._read_folder(root)

    def _read_folder(self, root: Path) -> list[SourceFile]:
        files: list[SourceFile] = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and d not in ("node_modules", "__pycache__")
            )
            for name in names:
                full = Path(folder) / name
                rel = full.relative_to(root).as_posix()
                if not self.config.is_document(rel):
                    continue
                if full.is_symlink():
                    raise InputError(
                        "is a symbolic link; regdocs reads only regular files inside the corpus",
                        path=rel,
                        hint="replace the link with the document itself, or exclude it",
                    )
                if full.is_file():
                    data = full.read_bytes()
                    files.append(SourceFile(rel, data, blob_id(data)))
        files.sort(key=lambda f: f.path)
        return files

    def _read_commit(self, version: Version) -> list[SourceFile]:
        repo = self._git(version.spec)
        tree = repo.commit(version.commit).tree
        if self._prefix:
            try:
                tree = tree / self._prefix
            except KeyError:
                raise VersionError(
                    f"the corpus folder {self._prefix}/ does not exist at {version.label}",
                    ref=version.spec,
                    hint="pick a later round or commit",
                ) from None
        cut = len(self._prefix) + 1 if self._prefix else 0
        files: list[SourceFile] = []
        for item in tree.traverse():
            if getattr(item, "type", "") != "blob":
                continue
            blob: Any = item
            rel = str(blob.path)[cut:]
            if self.config.is_document(rel):
                if blob.mode == 0o120000:
                    raise InputError(
                        "is a symbolic link; regdocs reads only regular files inside the corpus",
                        path=rel,
                        ref=version.spec or None,
                        hint="replace the link with the document itself, or exclude it",
                    )
                files.append(SourceFile(rel, blob.data_stream.read(), blob.hexsha))
        files.sort(key=lambda f: f.path)
        return files
