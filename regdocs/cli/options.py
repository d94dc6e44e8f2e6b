"""Options several commands share: --format (from a renderer registry), --doc, --color, -o, --out."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import click

from regdocs.cli.completion import COMPLETE_DOC

F = TypeVar("F", bound=Callable[..., Any])


def format_option(formats: Mapping[str, object], help_text: str = "Output format.") -> Callable[[F], F]:
    """--format FMT: one of the registry's formats, the first by default."""
    names = list(formats)
    return click.option(
        "--format", "fmt", type=click.Choice(names), default=names[0], show_default=True, help=help_text
    )


DOC_KEY = click.option(
    "--doc",
    "doc_key",
    metavar="DOC",
    shell_complete=COMPLETE_DOC,
    help="Look only in this document (id or path).",
)

COLOR = click.option(
    "--color",
    "color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the output (auto: when writing to a terminal and NO_COLOR is unset).",
)

OUTPUT = click.option(
    "-o", "--output", "output", metavar="FILE", help="Write to FILE instead of standard output."
)

OUT = click.option(
    "--out",
    "out",
    default=None,
    metavar="DIR",
    help="Folder to write the site into (default: site/ beside the corpus folder, outside it).",
)
