"""Progress of a site build: the stages it goes through and the callback that hears about them."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum


class Stage(Enum):
    """A stage of `regdocs build`, in the order they run; the value is what a progress display calls it."""

    PARSE = "parse"
    """Reading and parsing every version (counted in versions)."""
    COMPARE = "compare"
    """Aligning consecutive versions of each document and diffing rounds (counted in comparisons)."""
    PAGES = "pages"
    """Laying out and writing every page (counted in pages)."""
    SEARCH = "search index"
    """Indexing the searchable pages with Pagefind (counted in pages; one step)."""


Progress = Callable[[Stage, int, int], None]
"""Called as `progress(stage, done, total)`: `done` of `total` units of `stage` are finished.

Each stage starts with `done == 0` and ends with `done == total`; a stage with nothing to do is not
reported. The library only calls it; what to draw (and whether to draw at all) is the caller's business.
"""


def report(progress: Progress | None, stage: Stage, done: int, total: int) -> None:
    """Call `progress` if there is one and the stage has work to count."""
    if progress is not None and total > 0:
        progress(stage, done, total)
