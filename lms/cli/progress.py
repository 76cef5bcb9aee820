"""The command line's progress bar for long one-off work reported through ``lms.maintenance.progress``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # drawn only when long work runs; every command starts without it
    from rich.console import Console
    from rich.progress import Progress, TaskID


class BarReporter:
    """Shows one bar on standard error (standard output may be a CSV or JSON someone pipes on)."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True)
        return self._console

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self.console.print(what)  # a line of its own: read in a log or a pipe too, where no bar is drawn
            self.bar = Progress(
                SpinnerColumn(), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                console=self.console, transient=True,
            )  # fmt: skip
            self.task = self.bar.add_task(what, total=total)
            self.bar.start()
        assert self.task is not None
        self.bar.update(self.task, completed=done, total=total)
        if done >= total:
            self.bar.stop()
            self.bar = self.task = None
