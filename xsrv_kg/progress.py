"""Progress of long work, reported through a callback so that the library never prints.

Long operations (reading files, writing graphs into a store, checking shapes) take
``progress: Progress | None`` and call it as they go: ``progress(stage, done, total)``, with
``done`` and ``total`` in the stage's own unit (bytes read, quads written, checks run) and
``done == total`` when the stage ends. The command line draws it on a terminal (click's
progress bar, see ``cli/``); everything else passes None.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import click

#: ``progress(stage, done, total)``: see the module docstring.
Progress = Callable[[str, int, int], None]

#: Stage names, as the command line labels its bars.
READING = "reading files (bytes)"
WRITING = "writing graphs (quads)"
CHECKING = "checking shapes (checks)"


class _Bars:
    """One click progress bar per stage, finished when the next stage starts; the rate
    counts from the end of the previous stage (or the start)."""

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: click._termui_impl.ProgressBar[str] | None = None
        self.started = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage or self.bar is None:
            self.finish()
            self.stage = stage
            self.bar = click.progressbar(length=max(total, 1), label=stage, file=sys.stderr,
                                         show_pos=True, show_eta=True,
                                         item_show_func=lambda rate: rate)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.bar.update(done - self.bar.pos, f"{rate:,.0f}/s")

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.render_finish()
            self.bar = None
            self.started = time.monotonic()


@contextmanager
def terminal_progress(*, quiet: bool = False) -> Iterator[Progress | None]:
    """Progress bars on stderr (click's: position, percentage, rate, ETA), one per stage,
    when stderr is a terminal and not ``--quiet``; otherwise no callback at all."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    bars = _Bars()
    try:
        yield bars
    finally:
        bars.finish()
