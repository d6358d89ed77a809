"""Progress of a long batch on a terminal: done/total, rate and time left, rewritten in place on stderr.
Nothing is written when stderr is not a terminal, so logs and pipes stay clean."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..report.messages import message


class Progress:
    """Call once per finished submission; ``done`` counts them whether or not anything is shown."""

    def __init__(self, total: int, lang: str = "en", stream: TextIO | None = None, enabled: bool | None = None):
        self.total, self.lang, self.done = total, lang, 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.start_done = 0

    def resumed(self, count: int) -> None:
        """``count`` submissions were already graded by an interrupted run: counted as done, not in the rate."""
        self.done += count
        self.start_done = count

    def __call__(self, _result=None) -> None:
        self.done += 1
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = (self.done - self.start_done) / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        line = message("progress.line", self.lang, done=self.done, total=self.total, rate=rate, left=left)
        self.stream.write("\r" + line + ("\n" if self.done >= self.total else ""))
        self.stream.flush()
