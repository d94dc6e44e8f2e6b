"""Versions and rounds on real temporary git repositories."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import git

from regdocs.corpus.config import load_config
from regdocs.corpus.load import load_corpus
from regdocs.corpus.sources import Sources, VersionKind, split_range
from regdocs.errors import VersionError

TOML = 'title = "Test rules"\n[documents]\nexclude = ["README.md"]\n'
V1 = "---\nid: rules\n---\n# Part 1 — General\n\n## 1. Purpose\n\n(1) Old text.\n"
V2 = "---\nid: rules\n---\n# Part 1 — General\n\n## 1. Purpose\n\n(1) New text.\n\n(2) Added.\n"


def _sources(root: Path) -> Sources:
    return Sources(load_config(root))


def test_versions_resolve_round_ref_folder_and_worktree(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": V1, "README.md": "# not a doc\n"}, {"rules.md": V2}])
    first = git(repo, "rev-parse", "HEAD~1")
    (repo / "regdocs.toml").write_text(
        TOML + f'[[rounds]]\nname = "round-1"\nref = "{first}"\nparty = "Gov"\n'
    )
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "rules.md").write_text(V1)
    with _sources(repo) as src:
        r1 = src.resolve("round-1")
        assert (r1.kind, r1.commit, r1.round and r1.round.party) == (VersionKind.COMMIT, first, "Gov")
        assert src.resolve("HEAD~1").commit == first
        assert src.resolve("main").kind is VersionKind.COMMIT
        assert src.resolve(None).kind is VersionKind.WORKTREE
        assert src.resolve(str(folder)).kind is VersionKind.FOLDER
        old = load_corpus(src, r1)
        new = load_corpus(src, src.resolve(None))
        assert [d.path for d in old.documents] == ["rules.md"]  # README.md excluded
        assert len(list(old.documents[0].walk())) == 3 and len(list(new.documents[0].walk())) == 4
        assert old.documents[0].blob == git(repo, "rev-parse", f"{first}:rules.md")
        assert load_corpus(src, src.resolve(str(folder))).documents[0].clauses[0].id == "part-1"


def test_corpus_in_a_subfolder_reads_paths_relative_to_it(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": V1}], subdir="corpus")
    with _sources(repo / "corpus") as src:
        corpus = load_corpus(src, src.resolve("HEAD"))
    assert [d.path for d in corpus.documents] == ["rules.md"]


def test_rounds_come_from_config_and_tags(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": V1}, {"rules.md": V2}])
    git(repo, "tag", "-a", "round-9", "-m", "Tabled by the lab", "HEAD~1")
    (repo / "regdocs.toml").write_text(
        TOML.replace('title = "Test rules"', 'title = "T"\ntag_pattern = "round-*"')
        + '[[rounds]]\nname = "agreed"\nref = "main"\ndate = 2026-05-01\n'
    )
    with _sources(repo) as src:
        infos = src.round_infos()
    assert [(i.round.name, i.round.from_tag) for i in infos] == [("agreed", False), ("round-9", True)]
    assert infos[0].round.date == "2026-05-01"
    assert infos[1].round.label == "Tabled by the lab"
    assert infos[0].subject == "snapshot 2" and infos[0].author.startswith("Test Author")


def test_refs_that_look_like_options_never_reach_git(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": V1}])
    with _sources(repo) as src:
        for bad in ("--upload-pack=touch x", "--output=pwned", "-n", "HEAD\n--all"):
            with pytest.raises(VersionError):
                src.resolve(bad)
    assert not (repo / "x").exists() and not (repo / "pwned").exists()


def test_unknown_version_lists_rounds(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        [{"regdocs.toml": TOML + '[[rounds]]\nname = "round-1"\nref = "main"\n', "rules.md": V1}]
    )
    with _sources(repo) as src, pytest.raises(VersionError, match="round-1"):
        src.resolve("round-7")


def test_missing_commit_in_shallow_clone_says_unshallow(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": V1}, {"rules.md": V2}])
    first = git(repo, "rev-parse", "HEAD~1")
    (repo / "regdocs.toml").write_text(TOML + f'[[rounds]]\nname = "round-1"\nref = "{first}"\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "rounds")
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo}", str(clone)], check=True)
    with _sources(clone) as src, pytest.raises(VersionError, match="shallow") as err:
        src.resolve("round-1")
    assert "git fetch --unshallow" in str(err.value)


def test_folder_outside_git_reads_worktree_but_not_refs(tmp_path: Path) -> None:
    (tmp_path / "regdocs.toml").write_text(TOML)
    (tmp_path / "rules.md").write_text(V1)
    with _sources(tmp_path) as src:
        assert load_corpus(src, src.resolve(None)).documents[0].id == "rules"
        with pytest.raises(VersionError, match="not inside a git repository"):
            src.resolve("HEAD")


def test_split_range() -> None:
    assert split_range("round-1..round-2") == ("round-1", "round-2")
    assert split_range("../folder") is None
    assert split_range("a...b") is None
