"""Progress of long actions: what domain code reports, and how a management command shows it.

Domain functions (the glossary import and export, the bank build) take a `Progress` and call
`stage()` when a step starts and `step()` as items get done; they never print. The default is
silent, so the admin and the tests pay nothing. Commands pass a `CommandProgress`, which
writes to their stderr (stdout keeps the summary lines, and the export's data).
"""

from __future__ import annotations

import time


class Progress:
    """Receives progress and shows none of it (the default for every domain function)."""

    def stage(self, text: str, total: int | None = None) -> None:
        """A step starts; `total` items follow when it is counted (then `step()` reaches it)."""

    def step(self, done: int, item: str = "") -> None:
        """`done` of the stage's items are finished, the last being `item`."""


SILENT = Progress()


class CommandProgress(Progress):
    """Progress on a command's stderr, by verbosity.

    0 shows nothing; 1 shows each stage on its own line, and on a terminal the counted ones
    as a single line that updates in place (at most every `redraw` seconds); 2 also lists
    every item. Output that is piped never gets carriage returns: a counted stage there adds
    a line only when it runs for more than `heartbeat` seconds, so a log shows it is alive.
    """

    def __init__(self, stream, verbosity: int, *, redraw: float = 0.1, heartbeat: float = 5.0):
        self.stream = stream  # a BaseCommand OutputWrapper (or any text stream)
        self.verbosity = verbosity
        self.live = verbosity == 1 and stream.isatty()
        self.redraw = redraw
        self.heartbeat = heartbeat
        self.text = ""
        self.total: int | None = None
        self.open = False  # a terminal line waiting for more counts
        self.last = 0.0

    def stage(self, text: str, total: int | None = None) -> None:
        self.end()
        self.text, self.total = text, total or None
        self.last = time.monotonic()
        if self.verbosity < 1:
            return
        if self.live and self.total:
            self._write(f"{text} 0/{total}", ending="")
            self.open = True
        else:
            self._write(text)

    def step(self, done: int, item: str = "") -> None:
        if self.verbosity < 1 or not self.total:
            return
        counts = f"{done}/{self.total}"
        if self.verbosity >= 2:
            self._write(f"  {counts} {item}".rstrip())
            return
        now = time.monotonic()
        finished = done >= self.total
        if self.live:
            if finished or now - self.last >= self.redraw:
                # \r and erase-to-end-of-line redraw the stage's line in place.
                self._write(f"\r{self.text} {counts}\x1b[K", ending="\n" if finished else "")
                self.open = not finished
                self.last = now
        elif not finished and now - self.last >= self.heartbeat:
            self._write(f"{self.text} {counts}")
            self.last = now

    def end(self) -> None:
        """Finish a terminal line left open (a stage that stopped short, before other output)."""
        if self.open:
            self._write("")
            self.open = False

    def _write(self, text: str, ending: str = "\n") -> None:
        # Plain text: a command's stderr styles everything as an error on a terminal.
        self.stream.write(text, style_func=_plain, ending=ending)
        self.stream.flush()


def _plain(text: str) -> str:
    return text
