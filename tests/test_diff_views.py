"""What a newcomer hit: front-matter counts, `--only` and `--clause`, formatting-only changes, where a clause moved."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHARED

from regdocs.cli import cli

CORPUS = ROOT / "corpus"
FORMATS = ("terminal", "markdown", "html")


def run(*args: str, corpus: Path = CORPUS) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--corpus", str(corpus), "diff", *args])
    return result.exit_code, result.stdout, result.stderr


def render(fmt: str, *args: str, corpus: Path = CORPUS) -> str:
    code, out, err = run(*args, "--format", fmt, "--color", "never", "--no-pager", corpus=corpus)
    assert code == 0, err
    return out


# 6. front-matter changes are counted


def _front_matter_only(make_repo: Callable[..., Path]) -> Path:
    doc = "---\nid: rules\ntitle: Rules\ntopics: [Policy, Legal]\n---\n## 1. Duty\n\nA developer shall act.\n"
    return make_repo(
        [
            {"regdocs.toml": 'title = "T"\n', "rules.md": doc},
            {"rules.md": doc.replace("topics: [Policy, Legal]\n", "")},
        ]
    )


def test_a_front_matter_only_change_is_counted_everywhere(make_repo: Callable[..., Path]) -> None:
    repo = _front_matter_only(make_repo)
    code, stat, _ = run("HEAD~1", "HEAD", "--stat", corpus=repo)
    assert code == 0
    assert "rules.md | front matter: 1 key changed" in stat
    assert " 1 documents, front matter: 1 key changed, 1 findings" in stat
    assert "no changes" not in stat and "()" not in stat
    terminal = render("terminal", "HEAD~1", "HEAD", corpus=repo)
    assert "rules (rules.md): front matter: 1 key changed" in terminal
    assert "topics: [Policy, Legal] \u2192 (none)" in terminal
    markdown = render("markdown", "HEAD~1", "HEAD", corpus=repo)
    assert "Changes by class: front matter: 1 key changed." in markdown
    assert "class: ." not in markdown and "<ins></ins>" not in markdown
    html = render("html", "HEAD~1", "HEAD", corpus=repo)
    assert "Changes by class: front matter: 1 key changed." in html
    assert '<ins aria-label="inserted"></ins>' not in html
    for out in (stat, terminal, markdown, html):
        assert "()" not in out and "class: ." not in out


def test_github_terms_43_to_44_count_their_front_matter_change(tmp_path: Path) -> None:
    versions = SHARED / "github-site-policy" / "versions"
    old, new = sorted(versions.glob("43-*.md")), sorted(versions.glob("44-*.md"))
    if not old or not new:
        pytest.skip("../shared/corpora is not here")
    (tmp_path / "regdocs.toml").write_text('title = "GitHub Terms of Service"\n')
    for name, src in (("v43", old[0]), ("v44", new[0])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "tos.md").write_bytes(src.read_bytes())
    a, b = str(tmp_path / "v43"), str(tmp_path / "v44")
    _, stat, _ = run(a, b, "--stat", corpus=tmp_path)
    assert "tos.md | front matter: 1 key changed" in stat and "()" not in stat
    assert "Changes by class: front matter: 1 key changed." in render("markdown", a, b, corpus=tmp_path)


def test_clause_changes_and_front_matter_are_counted_side_by_side() -> None:
    _, stat, _ = run("round-3", "round-4", "--stat")
    assert "schedule-1-incident-report-contents.md | front matter: 1 key changed" in stat
    assert (
        "3 documents, 13 changes (12 substantive, 1 editorial), front matter: 3 keys changed, 7 findings"
        in stat
    )


# 7. --only counts follow the filter; --clause resolves the clause once


def test_only_counts_follow_the_filter_and_drop_documents_with_nothing_left() -> None:
    code, stat, _ = run("round-3", "round-4", "--stat", "--only", "editorial")
    assert code == 0
    assert stat.splitlines()[1:] == [
        " frontier-ai-security-rules.md | 1 modified",
        " 1 documents, 1 changes (1 editorial), 0 findings",
    ]
    terminal = render("terminal", "round-3", "round-4", "--only", "editorial")
    assert "frontier-ai-security-rules (frontier-ai-security-rules.md): 1 modified\n" in terminal
    assert "schedule-" not in terminal and "Findings" not in terminal
    markdown = render("markdown", "round-3", "round-4", "--only", "editorial")
    assert "| `frontier-ai-security-rules` | modified |  |  | 1 |  |  |  |  |" in markdown
    assert "`schedule-1`" not in markdown and "Changes by class: 1 editorial." in markdown
    html = render("html", "round-3", "round-4", "--only", "editorial")
    assert "schedule-1" not in html and "Changes by class: 1 editorial." in html
    assert html.count('href="#doc-') == html.count('<h2 id="doc-') == 1


def test_only_with_nothing_left_says_so() -> None:
    _, stat, _ = run("round-3", "round-4", "--stat", "--only", "move-only")
    assert stat.splitlines()[1:] == [" 0 documents, 0 changes, 0 findings"]
    assert "no move-only changes" in render("terminal", "round-3", "round-4", "--only", "move-only")
    assert "No move-only changes." in render("markdown", "round-3", "round-4", "--only", "move-only")
    assert "No move-only changes." in render("html", "round-3", "round-4", "--only", "move-only")


def test_only_substantive_keeps_front_matter_and_its_findings() -> None:
    _, stat, _ = run("round-3", "round-4", "--stat", "--only", "substantive")
    assert "schedule-1-incident-report-contents.md | front matter: 1 key changed" in stat
    assert "12 changes (12 substantive), front matter: 3 keys changed, 7 findings" in stat


def test_clause_number_and_citation_give_the_same_answer() -> None:
    by_number = render("terminal", "round-2", "round-3", "--clause", "12")
    assert by_number == render("terminal", "round-2", "round-3", "--clause", "section 12")
    assert "Notification of training runs" in by_number and "Risk assessments" not in by_number


def test_clause_is_followed_to_its_counterpart_not_to_a_namesake() -> None:
    # Section 15 of round 3 is Red-teaming (section 11 of round 2); round 2's section 15 was Mitigations.
    out = render("terminal", "round-2", "round-3", "--clause", "15")
    assert "Red-teaming" in out and "Mitigations" not in out
    assert out == render("terminal", "round-2", "round-3", "--clause", "section 15")
    # A sub-clause removed in the new version is still a change to the clause.
    out = render("terminal", "round-1", "round-2", "--clause", "capability-thresholds")
    assert "section 13(4)" in out and "removed" in out


def test_clause_only_in_the_old_version_and_unknown_clause() -> None:
    out = render("terminal", "round-1", "round-2", "--clause", "capability-thresholds.4")  # gone in round 2
    assert "- section 13(4)  [capability-thresholds.4]  removed" in out
    assert "1 removed\n" in out and "modified" not in out
    code, _, err = run("round-1", "round-2", "--clause", "section 99")
    assert code == 2 and "no clause 'section 99' in either version" in err


def test_a_clause_in_several_documents_needs_doc(make_repo: Callable[..., Path]) -> None:
    one = "---\nid: one\n---\n## 1. Duty\n\n(1) A developer shall act.\n"
    two = "---\nid: two\n---\n## 1. Duty\n\n(1) The Office shall act.\n"
    repo = make_repo(
        [
            {"regdocs.toml": 'title = "T"\n', "one.md": one, "two.md": two},
            {"one.md": one.replace("shall", "may"), "two.md": two.replace("shall", "may")},
        ]
    )
    code, _, err = run("HEAD~1", "HEAD", "--clause", "1", corpus=repo)
    assert code == 2 and "matches 2 clauses" in err and "--doc" in err
    code, out, _ = run("HEAD~1", "HEAD", "--clause", "1", "--doc", "two", "--color", "never", corpus=repo)
    assert code == 0 and "The Office" in out and "A developer" not in out


# 8. formatting-only changes read as words


def test_formatting_only_change_shows_the_words_not_the_markup() -> None:
    words = "under the Data Protection Act"
    for fmt in FORMATS:
        out = render(fmt, "round-3", "round-4")
        assert "modified (formatting only)" in out, fmt
        assert words in out.replace("\n      ", " "), fmt
        assert "*Data" not in out and "_Data" not in out and "\\*Data" not in out, fmt


def test_an_editorial_change_of_words_keeps_its_redline() -> None:
    out = render("terminal", "round-2", "round-3")  # cross-references renumbered to follow their targets
    assert "section 12(3) \u2192 section 11(3)  [risk-assessments.3]  modified (editorial)" in out
    assert "formatting only" not in out.split("[risk-assessments.3]")[1].split("\n")[0]


# 9. where a moved clause was and went


def test_move_between_parts_says_from_where_to_where() -> None:
    code, out, _ = run("round-2", "round-3", "--format", "json")
    assert code == 0
    changes = [c for d in json.loads(out)["documents"] for c in d["changes"]]
    moved = [c for c in changes if c["moved"]]
    assert [(c["key"], c["move"]) for c in moved] == [("15", "Part 2 \u2192 Part 3")]
    assert all(c["move"] == "" for c in changes if not c["moved"])
    for fmt in FORMATS:
        assert "moved Part 2 \u2192 Part 3, renumbered" in render(fmt, "round-2", "round-3"), fmt
    review = CliRunner().invoke(cli, ["--corpus", str(CORPUS), "review", "round-2..round-3"])
    assert "moved Part 2 \u2192 Part 3, renumbered" in review.stdout


SECTIONS = {
    "alpha": "Alpha apples shall be kept cool.",
    "beta": "Beta bananas shall be kept dry.",
    "gamma": "Gamma grapes shall be kept dark.",
}


def _rules(*order: str) -> str:
    return "# Rules\n\n" + "".join(
        f"## {n}. {name.title()}\n\n{SECTIONS[name]}\n\n" for n, name in enumerate(order, 1)
    )


@pytest.mark.parametrize(
    ("order", "title", "place"),
    [
        (("beta", "gamma", "alpha"), "Alpha", "after section 2"),
        (("gamma", "alpha", "beta"), "Gamma", "first in Rules"),
    ],
)
def test_move_among_siblings_names_the_new_predecessor(
    make_repo: Callable[..., Path], order: tuple[str, ...], title: str, place: str
) -> None:
    repo = make_repo(
        [
            {"regdocs.toml": 'title = "T"\n', "rules.md": _rules("alpha", "beta", "gamma")},
            {"rules.md": _rules(*order)},
        ]
    )
    _, out, _ = run("HEAD~1", "HEAD", "--format", "json", corpus=repo)
    moved = [c for d in json.loads(out)["documents"] for c in d["changes"] if c["moved"]]
    assert [(c["new"][0]["title"], c["move"]) for c in moved] == [(title, place)]
    for fmt in FORMATS:
        assert f"moved {place}, renumbered" in render(fmt, "HEAD~1", "HEAD", corpus=repo), fmt


def test_a_container_rewritten_beyond_pairing_is_told_apart_from_its_namesake() -> None:
    from regdocs.findings.analysis import diff_corpora
    from regdocs.parse.document import parse_document
    from regdocs.parse.model import Corpus

    # one section: with two, their pairing votes the retitled Part 1 into a pair (as it should)
    old = "# Part 1 \u2014 Physical security of premises\n\n" + _rules("alpha").removeprefix("# Rules\n\n")
    new = old.replace("Physical security of premises", "Transitional arrangements and commencement")
    diff = diff_corpora(
        Corpus("T", (parse_document(old.encode(), "r.md"),), "a"),
        Corpus("T", (parse_document(new.encode(), "r.md"),), "b"),
    )
    moves = {c.key: c.move for c in diff.documents[0].changes if c.moved}
    assert moves == {"1": "Part 1 (removed) \u2192 Part 1 (added)"}


def test_review_shows_the_words_of_a_formatting_only_change() -> None:
    from click.testing import CliRunner

    from regdocs.cli import cli

    out = CliRunner().invoke(cli, ["--corpus", str(ROOT / "corpus"), "review", "round-3..round-4"]).stdout
    line = next(ln for ln in out.splitlines() if "formatting only" in ln)
    body = out.splitlines()[out.splitlines().index(line) + 1]
    assert "<del>" not in body and "<ins>" not in body and body.strip().startswith("<br>")
