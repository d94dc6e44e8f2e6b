"""Open points: square-bracketed alternatives found, markdown's own brackets passed over, linear scanning,
the `[negotiation]` settings, and the lint warning for brackets left in an agreed round."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import one_error, run_cli
from negotiated import ROUND_3, negotiation_repo

from regdocs.corpus.config import Negotiation, Round, load_config
from regdocs.corpus.load import load_corpus
from regdocs.corpus.sources import Sources
from regdocs.findings.brackets import open_points, reference_labels
from regdocs.findings.lint import lint_corpus
from regdocs.parse.document import parse_document
from regdocs.parse.model import Corpus


def alternatives(text: str) -> list[tuple[str, ...]]:
    return [p.alternatives for p in open_points(text, reference_labels([text]))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The developer [shall][should] notify", [("shall", "should")]),
        ("notify the Office [within 72 hours].", [("within 72 hours",)]),
        ("[shall][should] notify [within 72 hours]", [("shall", "should"), ("within 72 hours",)]),
        (
            "[the developer [shall][should] notify]",
            [("the developer [shall][should] notify",), ("shall", "should")],
        ),
        ("one [alpha]\nand [beta] on the next line", [("alpha",), ("beta",)]),
        ("an [unclosed bracket and a stray ] one", [("unclosed bracket and a stray ",)]),
    ],
)
def test_brackets_are_open_points(text: str, expected: list[tuple[str, ...]]) -> None:
    assert alternatives(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "See [the guidance](https://example.org/guide) first.",
        "See [section 2](#duties) and [Schedule 1](schedule.md#sch1).",
        "An image ![a diagram](diagram.png) here.",
        "As noted[^1] and again[^note].\n\n[^1]: A footnote.",
        "- [ ] to do\n- [x] done\n* [X] also done\n1. [ ] numbered task",
        "Escaped \\[not a point\\] at all.",
        "Code `x[0] = [1]` and ``a [b] `c` d``.",
        "```\nitems[1] = [2]\n```\n",
        "~~~\n[in a tilde fence]\n~~~\n",
        "See [the act][act], [act][] and [act].\n\n[act]: https://example.org/act",
        "[ACT]\n\n[Act]: https://example.org",
        "Nothing here [] at all.",
    ],
)
def test_markdown_brackets_are_never_open_points(text: str) -> None:
    assert alternatives(text) == [], text


def test_undefined_reference_labels_are_open_points() -> None:
    assert alternatives("[shall][should] and [x][ref]\n\n[other]: https://example.org") == [
        ("shall", "should"),
        ("x", "ref"),
    ]


def test_a_point_after_code_and_escapes_is_still_found() -> None:
    text = "`[code]` \\[x\\] [within 7 days] ``` [y] ``` [or 14]"
    assert alternatives(text) == [("within 7 days",), ("or 14",)]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 50_000,
        "]" * 50_000,
        "[]" * 25_000,
        "[a]" * 16_000,
        "[a](" * 12_000,
        "`[" * 25_000,
        "`" * 50_000,
        "\\[" * 25_000,
        "[x][" * 12_000,
        "- [ ] " * 8_000,
        "~~~\n[" * 10_000,
        "[" * 25_000 + "]" * 25_000,
    ],
)
def test_scanning_is_linear(text: str) -> None:
    start = time.perf_counter()
    open_points(text, frozenset({"a", "x"}))
    reference_labels([text])
    assert time.perf_counter() - start < 2.0


def test_lint_names_the_file_and_line_of_brackets_left_in_an_agreed_text() -> None:
    doc = parse_document(ROUND_3, "rules.md")
    found = [p for p in lint_corpus(Corpus("t", (doc,)), settled="round-3") if p.rule == "open-brackets"]
    line = ROUND_3.split("\n").index("(1) The Office shall review these Rules [every 2 years].") + 1
    assert [(p.path, p.line, p.col, p.severity.value) for p in found] == [("rules.md", line, 41, "warning")]
    assert "[every 2 years]" in found[0].message and "round-3" in found[0].message
    assert not [p for p in lint_corpus(Corpus("t", (doc,))) if p.rule == "open-brackets"]


def test_lint_finds_brackets_in_headings_preambles_and_later_lines() -> None:
    text = "Preamble [draft].\n\n# 1. Title [A][B]\n\nBody line one.\n\nBody [two].\n\n(1) First\n    and [third].\n"
    doc = parse_document(text, "r.md")
    found = [(p.line, p.message.split(" is left")[0]) for p in lint_corpus(Corpus("t", (doc,)), settled="r")]
    assert found == [
        (1, "open point [draft]"),
        (3, "open point [A][B]"),
        (7, "open point [two]"),
        (10, "open point [third]"),
    ]


def test_agreed_rounds_are_known_by_their_label() -> None:
    default = Negotiation()
    assert default.is_final("Agreed text") and default.is_final("FINAL draft")
    assert not default.is_final("Counter-proposal")
    assert Negotiation(True, ("signed",)).is_final("Text as signed")


def test_negotiation_settings_are_read_and_checked(tmp_path: Path) -> None:
    (tmp_path / "regdocs.toml").write_text(
        'title = "t"\n[negotiation]\nbrackets = true\nfinal_labels = ["signed", "closed"]\n'
    )
    config = load_config(tmp_path)
    assert config.negotiation == Negotiation(True, ("signed", "closed"))
    (tmp_path / "regdocs.toml").write_text('title = "t"\n')
    assert load_config(tmp_path).negotiation == Negotiation(False, ("agreed", "final"))


@pytest.mark.parametrize(
    ("settings", "needle"),
    [
        ('[negotiation]\nbrackets = "yes"\n', "'negotiation.brackets' must be true or false"),
        ('[negotiation]\nfinal_labels = "agreed"\n', "'negotiation.final_labels' must be a list"),
        ('[negotiation]\nfinal_labels = ["agreed", ""]\n', "'negotiation.final_labels' must be a list"),
        ("[negotiation]\nbracket = true\n", "unknown key(s) in [negotiation]: bracket"),
        ('negotiation = "on"\n', "'negotiation' must be a table"),
    ],
)
def test_bad_negotiation_settings_are_one_error(
    make_repo: Callable[..., Path], settings: str, needle: str
) -> None:
    repo = negotiation_repo(make_repo, settings)
    one_error(run_cli(repo, "table"), "regdocs.toml", needle)


def test_open_points_make_a_clause_open_only_when_brackets_are_on(make_repo: Callable[..., Path]) -> None:
    repo = negotiation_repo(make_repo)
    rows = {r["key"]: r for r in json.loads(run_cli(repo, "table", "--format", "json").output)["rows"]}
    assert rows["5.1"]["status"] == "open"
    assert rows["5.1"]["cells"][-1]["open"] == [["every 2 years"]]
    assert rows["notify.1"]["cells"][0]["open"] == [["shall", "should"], ["within 72 hours"]]
    assert rows["notify.1"]["status"] == "changed"  # round-3 settled its brackets
    early = json.loads(run_cli(repo, "table", "round-1", "round-2", "--format", "json").output)
    assert {r["key"]: r["status"] for r in early["rows"]}["notify.1"] == "open"
    assert run_cli(repo, "table", "--status", "open").output.count("open (") == 1


def test_brackets_are_plain_text_when_off(make_repo: Callable[..., Path]) -> None:
    repo = negotiation_repo(make_repo, "")
    data = json.loads(run_cli(repo, "table", "--format", "json").output)
    rows = {r["key"]: r for r in data["rows"]}
    assert data["brackets"] is False
    assert rows["5.1"]["status"] == "new" and rows["5.1"]["cells"][-1]["open"] == []


def test_the_agreed_round_of_a_repository_has_its_brackets_linted(make_repo: Callable[..., Path]) -> None:
    repo = negotiation_repo(make_repo)
    with Sources(load_config(repo)) as sources:
        version = sources.resolve("round-3")
        assert version.round is not None
        assert sources.config.negotiation.is_final(version.round.label)
        corpus = load_corpus(sources, version)
    found = [p for p in lint_corpus(corpus, settled="round-3") if p.rule == "open-brackets"]
    assert [(p.path, p.line) for p in found] == [("rules.md", ROUND_3.count("\n"))]


def test_only_an_agreed_round_with_brackets_on_is_settled() -> None:
    agreed, draft = Round("round-3", "main", label="Agreed text"), Round("round-2", "main", label="Counter")
    assert Negotiation(True).settled(agreed) == "round-3"
    assert Negotiation(True).settled(draft) == Negotiation(False).settled(agreed) == ""
    assert Negotiation(True).settled(None) == ""


def _lint_is_wired() -> bool:
    """`lint` passes the round's settledness to `lint_corpus` (a change to corpus/targets.py, issue 13)."""
    import inspect

    from regdocs.corpus.targets import lint_targets

    return "negotiation" in inspect.getsource(lint_targets)


@pytest.mark.skipif(not _lint_is_wired(), reason="lint --at does not pass the round to lint_corpus yet")
def test_lint_at_an_agreed_round_warns_about_brackets_left(make_repo: Callable[..., Path]) -> None:
    repo = negotiation_repo(make_repo)
    out = run_cli(repo, "lint", "--at", "round-3").output
    assert "rules.md:29:41: warning: open point [every 2 years] is left in round-3" in out
    assert "open-brackets" not in run_cli(repo, "lint", "--at", "round-2").output  # not an agreed round
    assert "open-brackets" not in run_cli(repo, "lint").output  # the working tree is no round
