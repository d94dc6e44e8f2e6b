"""The output formats of each view, by the name `--format` takes; a renderer's module loads when it is used.

One registry (a dict, first entry the default) per view. A new format is a renderer module in `render/`
and one entry here: the command line offers every key of the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from regdocs.compare.model import CorpusDiff
    from regdocs.corpus.sources import RoundInfo
    from regdocs.findings.lint import Problem
    from regdocs.gitflow.blame import Blame
    from regdocs.gitflow.history import HistoryStep
    from regdocs.gitflow.review import Review
    from regdocs.gitflow.roundstat import RoundStat
    from regdocs.gitflow.table import NegotiationTable
    from regdocs.parse.model import Document


class DiffRenderer(Protocol):
    """Render a diff; a format ignores the options it has no use for."""

    def __call__(
        self, diff: CorpusDiff, /, *, only: set[str] | None, findings_only: bool, stat: bool, color: bool
    ) -> str | Iterable[str]: ...


class HistoryRenderer(Protocol):
    """Render a clause's history; `color` and `width` are for text."""

    def __call__(self, steps: list[HistoryStep], /, *, color: bool, width: int) -> str: ...


class TableRenderer(Protocol):
    """Render the negotiation table; `color` is for the terminal; a binary format returns bytes."""

    def __call__(self, table: NegotiationTable, /, *, color: bool) -> str | bytes: ...


class BlameRenderer(Protocol):
    """Render a blame by clause; `color` is for the terminal."""

    def __call__(self, blame: Blame, /, *, color: bool) -> str: ...


class ReviewRenderer(Protocol):
    """Render a review; `limit` and `full_hint` are for the markdown comment."""

    def __call__(self, review: Review, /, *, limit: int, full_hint: str) -> str: ...


# -- diff -------------------------------------------------------------------------------------------


def _diff_terminal(
    diff: CorpusDiff, /, *, only: set[str] | None, findings_only: bool, stat: bool, color: bool
) -> str:
    from regdocs.render.terminal import render_stat, render_terminal

    if stat:
        return render_stat(diff, only=only)
    return render_terminal(diff, color=color, only=only, findings_only=findings_only)


def _diff_markdown(
    diff: CorpusDiff, /, *, only: set[str] | None, findings_only: bool, stat: bool, color: bool
) -> str:
    from regdocs.render.markdown import render_markdown

    return render_markdown(diff, only=only, findings_only=findings_only)


def _diff_html(
    diff: CorpusDiff, /, *, only: set[str] | None, findings_only: bool, stat: bool, color: bool
) -> str:
    from regdocs.render.htmlpage import render_html

    return render_html(diff, only=only, findings_only=findings_only)


def _diff_json(
    diff: CorpusDiff, /, *, only: set[str] | None, findings_only: bool, stat: bool, color: bool
) -> Iterable[str]:
    from regdocs.render.jsonout import render_json_chunks

    return render_json_chunks(diff)  # the whole diff, in pieces: the view options do not apply


DIFF_FORMATS: dict[str, DiffRenderer] = {
    "terminal": _diff_terminal,
    "markdown": _diff_markdown,
    "html": _diff_html,
    "json": _diff_json,
}
"""`regdocs diff --format`: the terminal report (or `--stat` counts), markdown, an HTML page, JSON schema 1."""


# -- review -----------------------------------------------------------------------------------------


def _review_markdown(review: Review, /, *, limit: int, full_hint: str) -> str:
    from regdocs.render.review import render_review

    return render_review(review, limit=limit, full_hint=full_hint)


def _review_json(review: Review, /, *, limit: int, full_hint: str) -> str:
    from regdocs.render.review import render_review_json

    return render_review_json(review)


def _review_github(review: Review, /, *, limit: int, full_hint: str) -> str:
    from regdocs.render.review import render_review_github

    return render_review_github(review)


REVIEW_FORMATS: dict[str, ReviewRenderer] = {
    "markdown": _review_markdown,
    "json": _review_json,
    "github": _review_github,
}
"""`regdocs review --format`: a pull-request comment, JSON, or GitHub Actions annotations."""


# -- history ----------------------------------------------------------------------------------------


def _history_text(steps: list[HistoryStep], /, *, color: bool, width: int) -> str:
    from regdocs.render.history import history_text

    return history_text(steps, color=color, width=width)


def _history_json(steps: list[HistoryStep], /, *, color: bool, width: int) -> str:
    from regdocs.render.history import history_json

    return history_json(steps)


HISTORY_FORMATS: dict[str, HistoryRenderer] = {"text": _history_text, "json": _history_json}
"""`regdocs history --format`."""


# -- listings: rounds, outline, lint ----------------------------------------------------------------


def _rounds_text(infos: Sequence[RoundInfo]) -> str:
    from regdocs.render.listing import rounds_text

    return rounds_text(infos)


def _rounds_json(infos: Sequence[RoundInfo]) -> str:
    from regdocs.render.listing import rounds_json

    return rounds_json(infos)


ROUNDS_FORMATS: dict[str, Callable[[Sequence[RoundInfo]], str]] = {"text": _rounds_text, "json": _rounds_json}
"""`regdocs rounds --format`."""


def _outline_text(docs: Sequence[Document], version: str) -> str:
    from regdocs.render.listing import outline_text

    return outline_text(docs, version)


def _outline_json(docs: Sequence[Document], version: str) -> str:
    from regdocs.render.listing import outline_json

    return outline_json(docs, version)


OUTLINE_FORMATS: dict[str, Callable[[Sequence[Document], str], str]] = {
    "text": _outline_text,
    "json": _outline_json,
}
"""`regdocs outline --format`: the documents' clause trees, labelled with their version."""


def _lint_text(problems: Sequence[Problem], files: int, shown: Mapping[str, str]) -> str:
    from regdocs.render.listing import lint_text

    return lint_text(problems, files, shown)


def _lint_json(problems: Sequence[Problem], files: int, shown: Mapping[str, str]) -> str:
    from regdocs.render.listing import lint_json

    return lint_json(problems, files, shown)


LINT_FORMATS: dict[str, Callable[[Sequence[Problem], int, Mapping[str, str]], str]] = {
    "text": _lint_text,
    "json": _lint_json,
}
"""`regdocs lint --format`: the problems, how many files were checked, and each file as it is shown."""


# -- negotiation: table, blame, rounds --stat ---------------------------------------------------------


def _table_terminal(table: NegotiationTable, /, *, color: bool) -> str:
    from regdocs.render.table import table_terminal

    return table_terminal(table, color=color)


def _table_markdown(table: NegotiationTable, /, *, color: bool) -> str:
    from regdocs.render.table import table_markdown

    return table_markdown(table)


def _table_html(table: NegotiationTable, /, *, color: bool) -> str:
    from regdocs.render.tablehtml import table_html

    return table_html(table)


def _table_json(table: NegotiationTable, /, *, color: bool) -> str:
    from regdocs.render.table import table_json

    return table_json(table)


def _table_csv(table: NegotiationTable, /, *, color: bool) -> str:
    from regdocs.render.table import table_csv

    return table_csv(table)


def _table_docx(table: NegotiationTable, /, *, color: bool) -> bytes:
    from regdocs.render.tabledocx import table_docx

    return table_docx(table)


TABLE_FORMATS: dict[str, TableRenderer] = {
    "terminal": _table_terminal,
    "markdown": _table_markdown,
    "html": _table_html,
    "json": _table_json,
    "csv": _table_csv,
    "docx": _table_docx,
}
"""`regdocs table --format`: a line per clause with its marks, markdown tables, an HTML page, JSON, CSV, and
a Word document (bytes)."""

BINARY_FORMATS = frozenset({"docx"})
"""Formats whose renderer returns bytes: written only to `-o FILE`, never to standard output."""


def _blame_terminal(blame: Blame, /, *, color: bool) -> str:
    from regdocs.render.blame import blame_terminal

    return blame_terminal(blame, color=color)


def _blame_json(blame: Blame, /, *, color: bool) -> str:
    from regdocs.render.blame import blame_json

    return blame_json(blame)


def _blame_markdown(blame: Blame, /, *, color: bool) -> str:
    from regdocs.render.blame import blame_markdown

    return blame_markdown(blame)


BLAME_FORMATS: dict[str, BlameRenderer] = {
    "terminal": _blame_terminal,
    "json": _blame_json,
    "markdown": _blame_markdown,
}
"""`regdocs blame --format`."""


def _round_stats_text(stats: Sequence[RoundStat]) -> str:
    from regdocs.render.roundstat import round_stats_text

    return round_stats_text(stats)


def _round_stats_json(stats: Sequence[RoundStat]) -> str:
    from regdocs.render.roundstat import round_stats_json

    return round_stats_json(stats)


ROUND_STAT_FORMATS: dict[str, Callable[[Sequence[RoundStat]], str]] = {
    "text": _round_stats_text,
    "json": _round_stats_json,
}
"""`regdocs rounds --stat --format`: the same names as `ROUNDS_FORMATS`."""
