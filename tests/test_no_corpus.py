"""Without a regdocs.toml: files and folders compared and read directly; `init`; where `build` writes."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import git

from regdocs.cli import cli

OLD = "# 1. Notification\n\nThe operator shall notify the Authority within 72 hours.\n"
NEW = "# 1. Notification\n\nThe operator should notify the Authority within 24 hours.\n"
DOC = (
    "---\nid: rules\n---\n# Part 1 — General\n\n## 1. Purpose\n\n(1) Text.\n\n"
    "## 2. Scope\n\n(1) See section 1.\n"
)


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder with no regdocs.toml above it, as the current folder."""
    folder = tmp_path / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.delenv("REGDOCS_CORPUS", raising=False)
    return folder


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_ok(result: Result) -> None:
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)


def assert_one_line_error(result: Result, *needles: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


def test_two_files_with_different_names_are_one_document(here: Path) -> None:
    (here / "draft-v1.md").write_text(OLD)
    (here / "draft-v2.md").write_text(NEW)
    result = invoke("diff", "draft-v1.md", "draft-v2.md", "--no-pager")
    assert_ok(result)
    assert "[-72-]{+24+}" in result.output and "weakened" in result.output
    data = json.loads(invoke("diff", "draft-v1.md", "draft-v2.md", "--format", "json").output)
    (doc,) = data["documents"]
    assert (doc["old_path"], doc["new_path"], doc["status"]) == ("draft-v1.md", "draft-v2.md", "renamed")
    assert [c["kind"] for c in doc["changes"]] == ["modified"]


def test_two_files_with_different_front_matter_ids_are_paired_too(here: Path) -> None:
    (here / "a.md").write_text("---\nid: first\n---\n" + OLD)
    sub = here / "elsewhere"
    sub.mkdir()
    (sub / "b.md").write_text("---\nid: second\n---\n" + NEW)
    data = json.loads(invoke("diff", "a.md", "elsewhere/b.md", "--format", "json").output)
    assert [d["status"] for d in data["documents"]] == ["renamed"]
    assert any(f["kind"] == "number-changed" for f in data["findings"])


def test_two_folders(here: Path) -> None:
    for name, text in (("old", OLD), ("new", NEW)):
        (here / name).mkdir()
        (here / name / "rules.md").write_text(text)
    (here / "new" / "added.md").write_text(DOC.replace("id: rules", "id: added"))
    result = invoke("diff", "old", "new/", "--stat")
    assert_ok(result)
    assert "rules.md" in result.output and "added.md" in result.output


def test_two_files_inside_a_corpus_are_compared_as_files(
    make_repo: Callable[..., Path], tmp_path: Path
) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "rules.md": DOC}])
    (tmp_path / "x.md").write_text(OLD)
    (tmp_path / "y.md").write_text(NEW)
    result = CliRunner().invoke(
        cli, ["--corpus", str(repo), "diff", str(tmp_path / "x.md"), str(tmp_path / "y.md")]
    )
    assert_ok(result)
    assert "[-72-]{+24+}" in result.output


def test_a_file_is_compared_only_with_a_file(here: Path) -> None:
    (here / "a.md").write_text(OLD)
    (here / "folder").mkdir()
    assert_one_line_error(invoke("diff", "a.md", "folder"), "a file is compared only with a file")
    assert_one_line_error(invoke("diff", "a.md"), "a file is compared only with a file")


def test_outline_show_and_lint_of_a_folder_of_markdown(here: Path) -> None:
    (here / "rules.md").write_text(DOC)
    (here / "notes").mkdir()
    (here / "notes" / "other.md").write_text(OLD)
    result = invoke("outline")
    assert_ok(result)
    assert "rules.md" in result.output and "notes/other.md" in result.output
    outline = invoke("outline", "notes")
    assert_ok(outline)
    assert "other.md" in outline.output and "rules.md" not in outline.output
    shown = invoke("show", "rules.md", "2.1")
    assert_ok(shown)
    assert "See section 1." in shown.output
    assert_ok(invoke("show", "2.1", "--doc", "rules"))
    assert_ok(invoke("lint"))
    assert_ok(invoke("lint", "rules.md"))
    assert "1 file checked" in invoke("lint", "notes").output


def test_outline_of_a_file_outside_the_current_folder(here: Path, tmp_path: Path) -> None:
    (tmp_path / "draft.md").write_text(DOC)
    result = invoke("outline", str(tmp_path / "draft.md"))
    assert_ok(result)
    assert "Purpose" in result.output and str(tmp_path / "draft.md") in result.output


def test_lint_of_a_file_reports_its_problems(here: Path) -> None:
    (here / "bad.md").write_text("# 1. A\n\nSee [there](#nowhere).\n")
    result = invoke("lint", "bad.md")
    assert result.exit_code == 1, (result.output, result.stderr)
    assert "bad.md:3" in result.output and "dangling-xref" in result.output


def test_lint_of_files_and_folders_outside_the_current_folder(here: Path, tmp_path: Path) -> None:
    (here / "unrelated.md").write_text("---\ntitle: [unclosed\n---\n")  # never read: not named
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "bad.md").write_text("# 1. A\n\nSee [there](#nowhere).\n")
    (tmp_path / "good.md").write_text(DOC)
    result = invoke("lint", str(elsewhere), str(tmp_path / "good.md"))
    assert result.exit_code == 1, (result.output, result.stderr)
    assert f"{elsewhere / 'bad.md'}:3" in result.output and "2 files checked" in result.output


def test_a_plain_git_repository_of_markdown_diffs_like_git(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo([{"rules.md": OLD}])
    (repo / "rules.md").write_text(NEW)
    monkeypatch.chdir(repo)
    monkeypatch.delenv("REGDOCS_CORPUS", raising=False)
    result = invoke("diff", "--no-pager")
    assert_ok(result)
    assert "[-72-]{+24+}" in result.output


def test_no_markdown_and_no_regdocs_toml_is_one_error(here: Path) -> None:
    assert_one_line_error(invoke("outline"), "no regdocs.toml found", "regdocs init")
    assert_one_line_error(invoke("lint"), "no regdocs.toml found", "--corpus")
    assert_one_line_error(invoke("diff", "x.md", "y.md"), "'x.md'", "regdocs init")
    assert_one_line_error(invoke("diff"), "not inside a git repository", "regdocs diff OLD.md NEW.md")


def test_commands_that_need_a_corpus_say_how_to_start_one(here: Path) -> None:
    (here / "rules.md").write_text(DOC)
    for args in (
        ["rounds"],
        ["build"],
        ["history", "1"],
        ["round", "add", "r1", "--party", "p", "--label", "l"],
    ):
        assert_one_line_error(invoke(*args), "no regdocs.toml found", "regdocs init")
    assert not (here / "regdocs.toml").exists()


def test_a_broken_regdocs_toml_is_never_passed_over(here: Path) -> None:
    (here / "rules.md").write_text(DOC)
    (here / "regdocs.toml").write_text("title = [\n")
    assert_one_line_error(invoke("outline"), "regdocs.toml", "invalid TOML")


# -- regdocs init -----------------------------------------------------------------------------------


def test_init_writes_a_corpus_that_lints_clean(here: Path) -> None:
    result = invoke("init", "--title", 'Rules "quoted" \\ here')
    assert_ok(result)
    for rel in ("regdocs.toml", "corpus/regdocs.toml", "corpus/sample-rules.md", ".gitignore"):
        assert (here / rel).is_file(), rel
        assert f"created      {rel}" in result.output
    assert "git init" in result.output  # not a git repository: says what comes first
    assert "/site/" in (here / ".gitignore").read_text()
    lint = invoke("lint", "--strict")
    assert_ok(lint)
    assert "1 file checked: 0 errors, 0 warnings" in lint.output
    toml = (here / "corpus" / "regdocs.toml").read_text()
    assert 'title = "Rules \\"quoted\\" \\\\ here"' in toml


def test_init_sample_has_a_part_sections_a_definition_and_a_cross_reference(here: Path) -> None:
    assert_ok(invoke("init"))
    data = json.loads(invoke("outline", "--format", "json").output)
    text = json.dumps(data)
    assert "part-1" in text and "notification-contents" in text
    sample = (here / "corpus" / "sample-rules.md").read_text()
    assert '"incident" means' in sample and "(#notification-contents)" in sample


def test_init_overwrites_nothing(here: Path) -> None:
    (here / "regdocs.toml").write_text("mine\n")
    (here / "corpus").mkdir()
    (here / "corpus" / "sample-rules.md").write_text("mine too\n")
    result = invoke("init")
    assert result.exit_code == 2, result.output
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and all("already exists" in e for e in errors), errors
    assert (here / "regdocs.toml").read_text() == "mine\n"
    assert not (here / "corpus" / "regdocs.toml").exists() and not (here / ".gitignore").exists()


def test_init_keeps_an_existing_gitignore_and_says_what_to_add(here: Path) -> None:
    (here / ".gitignore").write_text("*.pyc\n")
    result = invoke("init")
    assert_ok(result)
    assert (here / ".gitignore").read_text() == "*.pyc\n"
    assert "kept         .gitignore (add the line /site/" in result.output


def test_init_refuses_symbolic_links_in_its_way(here: Path, tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.write_text("keep\n")
    (here / "regdocs.toml").symlink_to(target)
    assert_one_line_error(invoke("init"), "regdocs.toml", "in the way")
    os.remove(here / "regdocs.toml")
    (here / ".gitignore").symlink_to(target)
    result = invoke("init")
    assert result.exit_code == 2 and "symbolic link" in result.stderr
    assert target.read_text() == "keep\n"


def test_init_refuses_global_corpus_option(here: Path) -> None:
    result = invoke("--corpus", str(here), "init")
    assert result.exit_code == 2 and "current folder" in result.output + result.stderr


def test_init_git_setup_flag(here: Path) -> None:
    assert_one_line_error(invoke("init", "--git-setup"), "--git-setup needs a git repository", "git init")
    assert not (here / "regdocs.toml").exists()  # refused before writing anything
    git(here, "init", "-q")
    result = invoke("init", "--git-setup")
    assert_ok(result)
    assert "corpus/**/*.md diff=regdocs" in (here / ".gitattributes").read_text()
    assert "regdocs textconv" in git(here, "config", "--local", "--get", "diff.regdocs.textconv")


def test_init_without_a_terminal_does_not_ask(here: Path) -> None:
    git(here, "init", "-q")
    result = CliRunner().invoke(cli, ["init"], input="")
    assert_ok(result)
    assert "git-setup" not in result.output and not (here / ".gitattributes").exists()


# -- where build writes -----------------------------------------------------------------------------


def pointer_repo(make_repo: Callable[..., Path]) -> Path:
    """The layout of this repository (and of `regdocs init`): ./regdocs.toml -> corpus/."""
    return make_repo(
        [
            {
                "regdocs.toml": 'corpus = "corpus"\n',
                "corpus/regdocs.toml": 'title = "T"\n[documents]\nexclude = ["README.md"]\n',
                "corpus/rules.md": DOC,
                ".gitignore": "/site/\n",
            }
        ]
    )


def build_in(folder: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(folder)
    monkeypatch.delenv("REGDOCS_CORPUS", raising=False)
    return CliRunner().invoke(cli, ["build", *args])


def test_build_from_the_corpus_folder_and_from_the_root_writes_one_site(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = pointer_repo(make_repo)
    first = build_in(repo / "corpus", monkeypatch)
    assert_ok(first)
    assert (repo / "site" / "index.html").is_file() and not (repo / "corpus" / "site").exists()
    again = build_in(repo, monkeypatch)
    assert_ok(again)
    assert f"{repo / 'site'}: up to date" in again.output
    assert git(repo, "status", "--porcelain") == ""  # the site is git-ignored


def test_a_corpus_at_the_top_of_its_repository_builds_beside_it(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "T"\n', "rules.md": DOC}], name="rules")
    assert_ok(build_in(repo, monkeypatch))
    assert (repo.parent / "rules-site" / "index.html").is_file()


def test_the_hint_for_a_site_inside_the_corpus_works(
    make_repo: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = pointer_repo(make_repo)
    refused = build_in(repo / "corpus", monkeypatch, "--out", "public")
    assert_one_line_error(refused, "inside the corpus folder", "--out ../site (the default)")
    assert_ok(build_in(repo / "corpus", monkeypatch, "--out", "../site"))
    assert (repo / "site" / "index.html").is_file()


def test_without_a_corpus_a_report_can_be_written_here(here: Path) -> None:
    (here / "a.md").write_text(OLD)
    (here / "b.md").write_text(NEW)
    assert_ok(invoke("diff", "a.md", "b.md", "--format", "markdown", "-o", "report.md"))
    assert "24" in (here / "report.md").read_text()
