"""Hostile and odd input found in review: each gives one clear error (exit 2) or the right result."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from conftest import ROOT, git, one_error
from conftest import run_cli as run

from regdocs.cli import cli

TOML = 'title = "T"\n'
DOC = "## 1. Duty\n\n(1) The provider shall keep logs for 10 years.\n"


def corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "corpus"
    root.mkdir(exist_ok=True)
    (root / "regdocs.toml").write_text(TOML)
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_symlinked_document_is_refused(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("SECRET-TOKEN")
    root = corpus(tmp_path, {"rules.md": DOC})
    (root / "leak.md").symlink_to(tmp_path / "secret.txt")
    one_error(run(root, "outline"), "leak.md", "symbolic link")
    result = run(root, "build", "--out", str(tmp_path / "site"))
    one_error(result, "leak.md", "symbolic link")
    assert not (tmp_path / "site").exists()


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        prev = "a" if k == 1 else f"l{k - 1}"
        lines.append(f"l{k}: &l{k} [" + ", ".join([f"*{prev}"] * 10) + "]")
    root = corpus(tmp_path, {"rules.md": "---\n" + "\n".join(lines) + "\n---\n" + DOC})
    one_error(run(root, "lint"), "rules.md:", "aliases")


def test_impossible_dates_and_bad_tags_in_front_matter(tmp_path: Path) -> None:
    for value in ("2026-02-30", '!!float "abc"', "[" * 3000):
        root = corpus(tmp_path, {"rules.md": f"---\ndate: {value}\n---\n" + DOC})
        one_error(run(root, "outline"), "rules.md:", "invalid YAML front matter")


def test_tag_on_a_blob_is_not_a_round(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "T"\ntag_pattern = "*"\n', "rules.md": DOC}])
    git(repo, "tag", "blobtag", git(repo, "rev-parse", "HEAD:rules.md"))
    git(repo, "tag", "v1")
    result = run(repo, "rounds")
    assert result.exit_code == 0 and "v1" in result.output and "blobtag" not in result.output


def test_output_to_a_fifo_or_stdout_writes_through(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    result = run(ROOT / "corpus", "diff", "round-1", "round-2", "--format", "markdown", "-o", str(fifo))
    out, _ = reader.communicate(timeout=30)
    assert result.exit_code == 0 and out.startswith(b"## Frontier AI Security Rules")
    assert fifo.is_fifo()


def test_serve_on_a_busy_port_says_so(tmp_path: Path) -> None:
    root = corpus(tmp_path, {"rules.md": DOC})
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run(root, "serve", "--port", str(port), "--out", str(tmp_path / "site"))
    one_error(result, f"127.0.0.1:{port}", "--port")


def test_build_keeps_the_folders_own_gitignore_and_readme(tmp_path: Path) -> None:
    root = corpus(tmp_path, {"rules.md": DOC})
    out = tmp_path / "public"
    out.mkdir()
    (out / ".gitignore").write_text("keep me\n")
    (out / "README.md").write_text("Our own readme\n")
    assert run(root, "build", "--out", str(out)).exit_code == 0
    assert (out / ".gitignore").read_text() == "keep me\n" and (
        out / "README.md"
    ).read_text() == "Our own readme\n"
    assert run(root, "build", "--out", str(out), "--force").exit_code == 0
    assert (out / ".gitignore").read_text() == "keep me\n"


def test_same_named_files_in_two_folders_are_two_documents(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "eu/rules.md": DOC, "uk/rules.md": DOC}])
    (repo / "eu/rules.md").write_text(DOC.replace("shall keep logs for 10", "may keep logs for 1"))
    result = run(repo, "diff", "--exit-code", "--color", "never")
    assert result.exit_code == 1 and "eu/rules" in result.output and "weakened" in result.output


def test_two_documents_with_one_id_are_refused(make_repo: Callable[..., Path]) -> None:
    same = "---\nid: same\n---\n" + DOC
    repo = make_repo([{"regdocs.toml": TOML, "a.md": same, "b.md": same}])
    one_error(run(repo, "diff"), "document id 'same' is also used by a.md")
    one_error(run(repo, "review", "HEAD..HEAD"), "also used by")


def test_preamble_changes_are_diffed(make_repo: Callable[..., Path]) -> None:
    text = "The licensee shall pay 100 EUR.\n\nSecond paragraph.\n"
    repo = make_repo([{"regdocs.toml": TOML, "p.md": text}])
    (repo / "p.md").write_text(text.replace("shall pay 100", "may pay 900"))
    result = run(repo, "diff", "--exit-code", "--color", "never")
    assert result.exit_code == 1
    assert (
        "preamble" in result.output and "weakened" in result.output and "100 EUR to 900 EUR" in result.output
    )


def test_clause_filter(make_repo: Callable[..., Path]) -> None:
    one_error(run(ROOT / "corpus", "diff", "round-1", "round-2", "--clause", "nope"), "no clause 'nope'")
    result = run(ROOT / "corpus", "diff", "round-1", "round-2", "--clause", "1", "--exit-code")
    assert result.exit_code == 0  # section 1 did not change between these rounds


def test_history_of_an_ambiguous_number_says_so(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        [{"regdocs.toml": TOML + '[[rounds]]\nname = "r1"\nref = "HEAD"\n', "a.md": DOC, "c.md": DOC}]
    )
    one_error(run(repo, "history", "1"), "matches 2 clauses", "--doc")


def test_round_names_that_git_or_diff_would_misread(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": DOC}])
    before = (repo / "regdocs.toml").read_text()
    for name in ("a..b", "HEAD", "main"):
        one_error(run(repo, "round", "add", name, "--party", "P", "--label", "L", "--tag"), repr(name))
    assert (repo / "regdocs.toml").read_text() == before
    assert git(repo, "tag") == ""


def test_long_document_with_fences_parses_as_a_whole() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    from describe import describe

    import regdocs.parse.document as parse_module

    body = "".join(f"## {k}. Section {k}\n\n(1) A developer shall do thing {k}.\n\n" for k in range(1, 5001))
    text = (
        "# Part 1 — Rules\n\n" + body + "(2) An example README:\n\n~~~markdown\n```sh\nset -e\n\n"
        "# install the tool\npip install x\n```\n~~~\n\n## 5001. End\n\nDone.\n"
    )
    chunked = parse_module.parse_document(text, "x.md")
    original = parse_module._token_chunks

    def unchunked(source: str, lines: list[str], chunk: int = 10**9) -> Iterator[list[Any]]:
        return original(source, lines, 10**9)  # one chunk whatever the caller asks

    try:
        parse_module._token_chunks = unchunked
        whole = parse_module.parse_document(text, "x.md")
    finally:
        parse_module._token_chunks = original
    assert describe(chunked) == describe(whole)
    assert "install-the-tool" not in {c.id for c in chunked.walk()}


def test_split_that_drops_every_shall_is_weakened_and_merge_keeping_one_is_not(
    make_repo: Callable[..., Path],
) -> None:
    old = (
        "## 1. Duty\n\n(1) The developer shall notify the Office of every serious incident within one week "
        "and shall keep a written record of it for ten years.\n"
    )
    new = (
        "## 1. Duty\n\n(1) The developer to notify the Office of every serious incident within one week.\n\n"
        "(2) The developer to keep a written record of it for ten years.\n"
    )
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": old}, {"rules.md": new}])
    result = run(repo, "diff", "HEAD~1", "HEAD", "--color", "never")
    assert "split" in result.output and 'obligation removed: "shall"' in result.output
    merged = run(ROOT / "corpus", "diff", "round-3", "round-4", "--findings", "--color", "never")
    assert "section 19(4)" not in merged.output  # one "shall" now governs both halves of the merged clause


def test_round_add_into_an_inline_rounds_array(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": 'title = "T"\nrounds = []\n', "rules.md": DOC}])
    result = run(repo, "round", "add", "r-1", "--party", "P", "--label", "L")
    assert result.exit_code == 0, result.stderr
    assert run(repo, "rounds").exit_code == 0 and "r-1" in run(repo, "rounds").output
    assert run(repo, "round", "add", "r-2", "--party", "P", "--label", "L").exit_code == 0


def test_the_preamble_can_be_named(make_repo: Callable[..., Path]) -> None:
    text = "The licensee shall pay 100 EUR.\n\n## 1. Terms\n\nText.\n"
    repo = make_repo([{"regdocs.toml": TOML + '[[rounds]]\nname = "r1"\nref = "HEAD"\n', "p.md": text}])
    (repo / "p.md").write_text(text.replace("100", "900"))
    assert "100 EUR" in run(repo, "show", "HEAD", "_preamble").output
    history = run(repo, "history", "preamble")
    assert history.exit_code == 0 and "r1" in history.output
    diff = run(repo, "diff", "HEAD", "--clause", "_preamble", "--color", "never")
    assert diff.exit_code == 0 and "{+900+}" in diff.output


def test_review_verdict_counts_every_finding(make_repo: Callable[..., Path]) -> None:
    repo = make_repo(
        [
            {"regdocs.toml": TOML, "rules.md": DOC},
            {"rules.md": DOC + "\n(2) A developer shall also report yearly.\n"},
        ]
    )
    out = run(repo, "review", "HEAD~1..HEAD").output
    assert "no findings" not in out and "1 clause with new obligations" in out


def test_a_full_disk_is_an_error_not_a_traceback() -> None:
    result = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "outline"])
    assert result.exit_code == 0
    with open("/dev/full", "wb") as sink:
        full = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "regdocs"), "--corpus", str(ROOT / "corpus"), "outline"],
            stdout=sink,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert full.returncode == 2 and "Traceback" not in full.stderr and "No space left" in full.stderr


def test_references_after_letters_that_grow_when_lowercased() -> None:
    from regdocs.parse.document import parse_document

    doc = parse_document(
        "## 1. A\n\n(1) \u0130\u0130\u0130 See section 2 and Part 3.\n\n## 2. B\n\nText.\n", "t.md"
    )
    assert [r.target for r in doc.clauses[0].children[0].refs] == ["section 2", "part 3"]


def test_nan_in_front_matter_is_no_change(make_repo: Callable[..., Path]) -> None:
    repo = make_repo([{"regdocs.toml": TOML, "rules.md": "---\nn: .nan\n---\n" + DOC}])
    assert run(repo, "diff", "--exit-code").exit_code == 0


def test_the_console_script_flushes_everything_before_its_fast_exit(tmp_path: Path) -> None:
    """`main` ends with os._exit (no teardown of a large diff): output and exit code must survive it."""
    run = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "regdocs"),
            "--corpus",
            str(ROOT / "corpus"),
            "diff",
            "round-1",
            "round-4",
            "--format",
            "json",
            "--exit-code",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1, run.stderr
    data = json.loads(run.stdout)
    assert data["has_changes"] and data["documents"]
