"""regdocs.toml: where the corpus is, which files are documents, and the negotiation rounds."""

from __future__ import annotations

import datetime
import fnmatch
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from regdocs.errors import ConfigError

CONFIG_NAME = "regdocs.toml"


@dataclass(frozen=True, slots=True)
class Round:
    """One negotiation round: a named version of the corpus."""

    name: str
    """Short name used on the command line, e.g. `round-2`."""
    ref: str
    """Git ref or commit that holds the round's text."""
    date: str = ""
    """ISO date of the round."""
    party: str = ""
    """Who tabled the text."""
    label: str = ""
    """One-line description, e.g. `Counter-proposal`."""
    from_tag: bool = False
    """Discovered from a tag matching `tag_pattern` rather than listed in regdocs.toml."""


FINAL_LABELS = ("agreed", "final")
"""Words of a round's label that make it an agreed text, unless regdocs.toml names others."""


@dataclass(frozen=True, slots=True)
class Negotiation:
    """The `[negotiation]` settings: how a text marks what is still open, and which rounds close it."""

    brackets: bool = False
    """Square-bracketed text (`[shall][should]`, `[within 72 hours]`) marks alternatives still open."""
    final_labels: tuple[str, ...] = FINAL_LABELS
    """A round whose label contains one of these (in any case) is an agreed text: no brackets may be left."""

    def is_final(self, label: str) -> bool:
        """Whether a round with this label closes the negotiation (an agreed or final text)."""
        folded = label.casefold()
        return any(word.casefold() in folded for word in self.final_labels)

    def settled(self, rnd: Round | None) -> str:
        """`rnd`'s name when it is an agreed round (and brackets are on): lint flags its open points."""
        return rnd.name if self.brackets and rnd is not None and self.is_final(rnd.label) else ""


@dataclass(frozen=True, slots=True)
class CorpusConfig:
    """A corpus: its root folder and its regdocs.toml settings."""

    root: Path
    """Folder holding regdocs.toml and the documents."""
    title: str
    """Corpus title."""
    include: tuple[str, ...] = ("*.md", "**/*.md")
    """Glob patterns (relative to root) of document files."""
    exclude: tuple[str, ...] = ()
    """Glob patterns of files that are not documents (e.g. README.md)."""
    rounds: tuple[Round, ...] = ()
    """Rounds listed in regdocs.toml, in order."""
    tag_pattern: str = ""
    """fnmatch pattern of git tags that are rounds too, e.g. `round-*`."""
    implicit: bool = False
    """No regdocs.toml was found: the current folder stands in, every .md file in it a document."""
    negotiation: Negotiation = Negotiation()
    """The `[negotiation]` table: bracketed alternatives and the labels of agreed rounds."""

    def is_document(self, relpath: str) -> bool:
        """Return whether a path relative to the root is a document of the corpus."""
        if not relpath.endswith(".md"):
            return False
        if any(fnmatch.fnmatchcase(relpath, pat) for pat in self.exclude):
            return False
        return any(_glob_match(relpath, pat) for pat in self.include)

    def round(self, name: str) -> Round | None:
        """Find a configured round by name."""
        return next((r for r in self.rounds if r.name == name), None)


def _glob_match(path: str, pattern: str) -> bool:
    if "/" not in pattern:
        return "/" not in path and fnmatch.fnmatchcase(path, pattern)
    return fnmatch.fnmatchcase(path, pattern)


def find_corpus(explicit: str | None = None, cwd: Path | None = None) -> Path:
    """Find the corpus root: --corpus, else $REGDOCS_CORPUS, else the nearest regdocs.toml upwards."""
    given = explicit or os.environ.get("REGDOCS_CORPUS")
    if given:
        root = Path(given).expanduser()
        if not root.is_dir():
            raise ConfigError(
                f"corpus folder {given} does not exist",
                hint="pass --corpus DIR with a folder that holds regdocs.toml",
            )
        return _follow(root.resolve())
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return _follow(folder)
    raise ConfigError(
        f"no {CONFIG_NAME} found in {here} or any folder above it",
        hint="run 'regdocs init' to start a corpus, run inside one, pass --corpus DIR, or set REGDOCS_CORPUS",
    )


def find_config(
    explicit: str | None = None, *, implicit: bool = False, cwd: Path | None = None
) -> CorpusConfig:
    """Load the corpus that find_corpus finds; with `implicit`, none found means the current folder.

    The current folder then stands in as a corpus of every .md file in it, like `git diff --no-index`:
    diff, outline, show and lint need no regdocs.toml.
    """
    try:
        return load_config(find_corpus(explicit, cwd))
    except ConfigError:
        if not implicit or explicit or os.environ.get("REGDOCS_CORPUS"):
            raise
        here = (cwd or Path.cwd()).resolve()
        if any((folder / CONFIG_NAME).is_file() for folder in (here, *here.parents)):
            raise  # a regdocs.toml that is there but broken is never passed over
        return CorpusConfig(here, here.name or str(here), implicit=True)


def site_folder(root: Path) -> Path:
    """Where `build` writes by default: beside the corpus folder, never inside it, whatever the current folder.

    A corpus in a sub-folder of a git repository or of a folder whose regdocs.toml points to it
    (`corpus = "corpus"`, as here and as `regdocs init` makes it) builds into `site/` beside it; a corpus
    at the top of a repository, or in no repository, into `NAME-site/` beside it.
    """
    root = root.resolve()
    in_repo = not (root / ".git").exists() and any((f / ".git").exists() for f in root.parents)
    project = in_repo or (root.parent / CONFIG_NAME).is_file()
    name = (
        "site" if project and root.name != "site" and root.parent != root else f"{root.name or 'corpus'}-site"
    )
    return root.parent / name


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """A path as a user would type it from the current folder: relative when that is short."""
    try:
        rel = os.path.relpath(path, cwd or Path.cwd())
    except OSError:  # the current folder is gone
        return str(path)
    return rel if not rel.startswith(os.pardir + os.sep + os.pardir) else str(path)


def _follow(root: Path) -> Path:
    """A regdocs.toml may only point elsewhere (`corpus = "corpus"`): follow it once."""
    config = root / CONFIG_NAME
    if not config.is_file():
        return root
    data = _read_toml(config)
    target = data.get("corpus")
    if isinstance(target, str):
        inner = (root / target).resolve()
        if not (inner / CONFIG_NAME).is_file():
            raise ConfigError(
                f"corpus = {target!r} names a folder without {CONFIG_NAME}",
                path=str(config),
                hint=f"create {inner / CONFIG_NAME} or fix the path",
            )
        return inner
    return root


def _read_toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise ConfigError(
            f"invalid TOML: {exc.args[0] if exc.args else exc}",
            path=str(path),
            line=line,
            hint="fix the syntax of regdocs.toml",
        ) from None
    except RecursionError:
        raise ConfigError(
            "values nested too deeply to read",
            path=str(path),
            hint="flatten the nested arrays or tables in regdocs.toml",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read: {exc}", path=str(path)) from None


def load_config(root: Path) -> CorpusConfig:
    """Read and validate regdocs.toml; collect every problem and fail once."""
    path = root / CONFIG_NAME
    data = _read_toml(path) if path.is_file() else {}
    problems: list[str] = []
    title = data.get("title", root.name)
    if not isinstance(title, str):
        problems.append("'title' must be a string")
        title = root.name
    docs = data.get("documents", {})
    include: tuple[str, ...] = ("*.md", "**/*.md")
    exclude: tuple[str, ...] = ()
    if isinstance(docs, dict):
        include = _strings(docs.get("include", list(include)), "documents.include", problems)
        exclude = _strings(docs.get("exclude", []), "documents.exclude", problems)
    else:
        problems.append("'documents' must be a table with 'include' and 'exclude' lists")
    rounds: list[Round] = []
    raw_rounds = data.get("rounds", [])
    if not isinstance(raw_rounds, list):
        problems.append("'rounds' must be an array of tables ([[rounds]])")
        raw_rounds = []
    seen: set[str] = set()
    for k, item in enumerate(raw_rounds, 1):
        if not isinstance(item, dict):
            problems.append(f"round {k} must be a table")
            continue
        name, ref = item.get("name"), item.get("ref")
        if not isinstance(name, str) or not name:
            problems.append(f"round {k} needs a 'name'")
            continue
        if name in seen:
            problems.append(f"round name {name!r} is used twice")
        seen.add(name)
        if not isinstance(ref, str) or not ref:
            problems.append(f"round {name!r} needs a 'ref' (a commit, tag or branch)")
            continue
        date = item.get("date", "")
        if isinstance(date, datetime.date):
            date = date.isoformat()
        rounds.append(Round(name, ref, str(date), str(item.get("party", "")), str(item.get("label", ""))))
    pattern = data.get("tag_pattern", "")
    if not isinstance(pattern, str):
        problems.append("'tag_pattern' must be a string such as 'round-*'")
        pattern = ""
    negotiation = _negotiation(data.get("negotiation", {}), problems)
    if problems:
        raise ConfigError("; ".join(problems), path=str(path), hint="see the corpus format in the README")
    return CorpusConfig(root, title, include, exclude, tuple(rounds), pattern, negotiation=negotiation)


def _negotiation(table: object, problems: list[str]) -> Negotiation:
    """Read `[negotiation]`: `brackets = true|false`, `final_labels = ["agreed", "final"]`."""
    if not isinstance(table, dict):
        problems.append("'negotiation' must be a table ([negotiation]) with 'brackets' and 'final_labels'")
        return Negotiation()
    unknown = sorted(set(table) - {"brackets", "final_labels"})
    if unknown:
        problems.append(
            f"unknown key(s) in [negotiation]: {', '.join(unknown)} (known: brackets, final_labels)"
        )
    brackets = table.get("brackets", False)
    if not isinstance(brackets, bool):
        problems.append(f"'negotiation.brackets' must be true or false, not {brackets!r}")
        brackets = False
    labels = table.get("final_labels", list(FINAL_LABELS))
    if not (isinstance(labels, list) and all(isinstance(v, str) and v.strip() for v in labels)):
        problems.append(
            "'negotiation.final_labels' must be a list of non-empty words found in the labels of agreed "
            'rounds, e.g. ["agreed", "final"]'
        )
        labels = list(FINAL_LABELS)
    return Negotiation(brackets, tuple(v.strip() for v in labels))


def _strings(value: object, key: str, problems: list[str]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    problems.append(f"'{key}' must be a list of glob patterns")
    return ()
