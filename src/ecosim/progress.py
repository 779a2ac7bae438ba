"""A small progress bar for long jobs, on stderr, with a count and an ETA."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class ProgressBar:
    """Draws ``label [#####.....] done/total ETA`` in place; silent when disabled.

    It only draws after ``delay`` seconds, so quick jobs print nothing.
    """

    def __init__(
        self, label: str, total: int, enabled: bool = True, delay: float = 2.0, stream: TextIO | None = None
    ) -> None:
        self.label = label
        self.total = max(1, total)
        self.enabled = enabled
        self.delay = delay
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int | None = None) -> None:
        """Report ``done`` units of work finished."""
        if not self.enabled:
            return
        total = total or self.total
        now = time.monotonic()
        elapsed = now - self.started
        if elapsed < self.delay or (now - self.last_draw < 0.2 and done < total):
            return
        self.last_draw = now
        width = 30
        filled = int(width * done / total)
        eta = elapsed / done * (total - done) if done else 0.0
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total} "
            f"ETA {int(eta // 60)}:{int(eta % 60):02d} "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """End the bar's line."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
