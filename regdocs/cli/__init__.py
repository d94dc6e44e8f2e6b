"""Command line: options, one library call per command, a renderer from `render.formats`, an exit code.

`app` holds the `regdocs` group and `main`; the commands live by what they do with the corpus: `reading`
(rounds, outline, show, lint), `comparing` (diff, history, review), `negotiating` (table, blame),
`publishing` (build, serve) and `recording` (init, round add, git-setup, textconv). Importing each registers its commands.
"""

from regdocs.cli import comparing, negotiating, publishing, reading, recording  # noqa: F401 (they register)
from regdocs.cli.app import cli, main

__all__ = ["cli", "main"]
