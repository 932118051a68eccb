"""Progress on standard error: a bar with rate and ETA (rich) on a terminal, plain lines for logs.

* On a terminal, long work shows a rich progress bar (done/total, items per second, time left)
  or, where there is no count, a spinner with the stage and the time spent; the per-item lines
  scroll above it.
* Elsewhere (a log file, a pipe, CI) there is no bar: only the per-item lines, and a line for
  each stage done, with its time (``checking 15466 triples against the SHACL shapes (5.0 s)``);
  a stage that an exception stops is not reported as done.
* ``quiet`` silences both; errors are printed all the same.
"""
from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """``with Progress("building", total) as progress: progress.advance("[1/9] a.txt: 2058 quads")``."""

    def __init__(self, label: str, total: int | None = None, *, quiet: bool = False, stream: TextIO | None = None,
                 unit: str = "articles") -> None:
        self.label, self.total, self.quiet, self.unit = label, total, quiet, unit
        self.stream = stream or sys.stderr
        self._rich = None
        self._task = None
        self.done = 0
        self.started = time.perf_counter()
        self._stage: tuple[str, float] | None = None  # in a log: the stage under way and when it began

    @property
    def interactive(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(not self.quiet and isatty is not None and isatty())

    @property
    def seconds(self) -> float:
        """Seconds since the progress display was made (or entered)."""
        return time.perf_counter() - self.started

    def __enter__(self) -> Progress:
        self.started = time.perf_counter()
        if self.interactive:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )
            from rich.progress import Progress as RichProgress

            console = Console(file=self.stream, highlight=False)
            if self.total is None:
                columns = [SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn()]
            else:
                columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                           TextColumn("{task.fields[rate]}"), TimeElapsedColumn(), TextColumn("ETA"),
                           TimeRemainingColumn()]
            self._rich = RichProgress(*columns, console=console, transient=True)
            self._rich.start()
            self._task = self._rich.add_task(self.label, total=self.total, rate="")
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self._stage_done()
        self._stage = None
        if self._rich is not None:
            self._rich.stop()
            self._rich = None

    def log(self, line: str, *, always: bool = False) -> None:
        """A line for the log (above the bar on a terminal); ``always`` prints it even when quiet."""
        if self.quiet and not always:
            return
        if self._rich is not None:
            self._rich.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self.stream, flush=True)

    def stage(self, description: str) -> None:
        """What is being done now: shown beside the spinner or the bar on a terminal; in a log (unless
        quiet), a line when it is done, with its time."""
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, description=description)
        else:
            self._stage_done()
            self._stage = (description, time.perf_counter())

    def _stage_done(self) -> None:
        if self._stage is not None:
            description, began = self._stage
            self._stage = None
            self.log(f"{description} ({time.perf_counter() - began:.1f} s)")

    def advance(self, line: str | None = None) -> None:
        """One item done; ``line`` is its log line."""
        self.done += 1
        if line is not None:
            self.log(line)
        if self._rich is not None and self._task is not None:
            elapsed = self._rich.tasks[0].elapsed or 0.0
            rate = f"{self.done / elapsed:.1f} {self.unit}/s" if elapsed > 0 else ""
            self._rich.update(self._task, advance=1, rate=rate)


__all__ = ["Progress"]
