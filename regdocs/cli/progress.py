"""A site build's progress on a terminal: one line per stage, redrawn in place."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from regdocs.publish.progress import Stage

STAGE_UNITS = {"parse": "versions", "compare": "comparisons", "pages": "pages", "search index": "pages"}
"""What each stage of a build counts, as the progress display names it."""


class BuildStatus:
    """A build's progress on a terminal: one line per stage, redrawn in place, kept with its time when done.

    Called as the build's `progress(stage, done, total)`; `close` ends a line left half drawn.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.stage: Stage | None = None
        self.started = self.drawn = 0.0
        self.finished = False
        self.open = False  # a line is on screen without its newline

    def __call__(self, stage: Stage, done: int, total: int) -> None:
        now = time.monotonic()
        if stage is not self.stage:
            self.close()
            if self.stage is None:
                self.stream.write("Building site\n")
            self.stage, self.started, self.drawn, self.finished = stage, now, 0.0, False
        elif self.finished or (done < total and now - self.drawn < 0.1):
            return  # at most ten redraws a second
        self.drawn, self.finished = now, done >= total
        line = f"  {stage.value:<13}{f'{done}/{total}':>13} {STAGE_UNITS.get(stage.value, '')}"
        took = f"  {now - self.started:.1f} s" if self.finished else ""
        self.stream.write(f"\r{line}{took}\x1b[K")
        self.open = True
        if self.finished:
            self.close()
        self.stream.flush()

    def close(self) -> None:
        """End the line being drawn."""
        if self.open:
            self.stream.write("\n")
            self.stream.flush()
            self.open = False
