"""A progress line on stderr for long runs: stage, a bar over the stages, elapsed time.

:class:`Progress` is the engine's ``progress`` callback (``evaluate(...,
progress=p)`` calls ``p("read")``, ``p("index")``, …). It draws nothing until
the run has taken :attr:`delay` seconds, and nothing at all when its stream is
not a terminal (pipes, CI logs) or when it is disabled, so short runs and
machine-read output stay clean. Use it as a context manager so that the line
is cleared when the run ends or fails::

    with Progress() as progress:
        ev = evaluate(data, progress=progress)

The drawing is rich's (:class:`rich.progress.Progress`, transient): rich knows the
terminal's width, truncates rather than wraps, and clears the line with the
terminal's own control codes, so this module writes no escape sequence itself.
rich is imported only once there is something to draw, so ``dxe-eval --version``
and machine-read runs never load it.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from rich.console import Console

#: the engine's stages in order, with what the line says for each
STAGES: Final = {
    "read": "读取数据 reading",
    "index": "整理证据 indexing",
    "score": "评分 scoring",
    "assess": "预警判定 assessing",
    "commend": "表彰排名 ranking",
    "write": "写出报告 writing",
}
BAR_WIDTH: Final = 20
#: terminals that take no control codes (rich's own list): treated as not a terminal
DUMB_TERMINALS: Final = frozenset({"dumb", "unknown"})


class Progress:
    """A stage line with a spinner, a bar over :data:`STAGES` and the elapsed time,
    redrawn in place on a terminal by rich and cleared when the run ends.

    ``stream`` is where it draws (standard error by default); ``console`` a rich
    console to draw on instead (its file is then the stream). ``enabled`` left as
    ``None`` means "when the stream is a terminal". ``delay`` seconds pass before
    anything is drawn; ``interval`` is the time between redraws; ``clock`` gives the
    time in seconds (tests pass their own)."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        *,
        console: Console | None = None,
        enabled: bool | None = None,
        delay: float = 1.0,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream: IO[str] = (
            stream if stream is not None else console.file if console is not None else sys.stderr
        )
        if enabled is None:
            enabled = console.is_interactive if console is not None else _is_terminal(self.stream)
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.stage: str | None = None
        #: whether the line is on the screen now
        self.shown = False
        self._console = console
        self._rich: Any = None  # the rich.progress.Progress, once drawn
        self._task: Any = None
        self._closed = False
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # the engine's callback -------------------------------------------------

    def __call__(self, stage: str) -> None:
        """Move the line to ``stage`` (one of :data:`STAGES`); the first call starts the
        thread that redraws it every :attr:`interval` seconds."""
        with self._lock:
            self.stage = stage
            if self.enabled and not self._closed and self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="dxe-eval-progress", daemon=True
                )
                self._thread.start()

    # drawing ----------------------------------------------------------------

    def fields(self) -> dict[str, Any]:
        """What the line shows as it stands now: ``label``, ``step`` ("3/6" while the
        third stage runs), ``completed`` (stages done, the bar's fill) and ``elapsed``
        ("2.5s", counted from when the Progress was made)."""
        with self._lock:
            stage = self.stage
        names = list(STAGES)
        done = names.index(stage) if stage in names else 0
        elapsed = self.clock() - self.started
        return {
            "label": STAGES.get(stage or "", stage or ""),
            "step": f"{done + 1}/{len(names)}",
            "completed": done,
            "elapsed": f"{elapsed:.1f}s",
        }

    def draw(self) -> None:
        """Redraw the line now, if enabled and the run has taken long enough."""
        with self._lock:
            if not self.enabled or self._closed or self.clock() - self.started < self.delay:
                return
            first = self._rich is None
            if first and not self._make():
                return
            now = self.fields()
            self._rich.update(
                self._task,
                description=now["label"],
                completed=now["completed"],
                step=now["step"],
                elapsed=now["elapsed"],
            )
            if first:
                self._rich.start()  # draws it
            else:
                self._rich.refresh()
            self.shown = True

    def _make(self) -> bool:
        """Make rich's progress display, not yet on the screen; False (and disabled from
        then on) when rich finds the console cannot take a live display."""
        from rich.console import Console  # lazy: start-up
        from rich.progress import BarColumn, SpinnerColumn, TextColumn  # lazy: start-up
        from rich.progress import Progress as RichProgress  # lazy: start-up

        console = self._console
        if console is None:
            console = self._console = Console(file=self.stream, highlight=False)
        if not console.is_interactive:
            self.enabled = False
            return False
        self._rich = RichProgress(
            SpinnerColumn(),
            BarColumn(bar_width=BAR_WIDTH),
            TextColumn("{task.fields[step]}"),
            TextColumn("{task.description}", markup=False),
            TextColumn("{task.fields[elapsed]}"),
            console=console,
            auto_refresh=False,  # redrawn by this class's thread, on its clock
            transient=True,  # stop() erases the line
            get_time=self.clock,
            # machine-read standard output is never routed through the display;
            # stray writes to stderr are printed above the line when it is stderr
            redirect_stdout=False,
            redirect_stderr=self.stream is sys.stderr,
        )
        self._task = self._rich.add_task("", total=len(STAGES), step="", elapsed="")
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.draw()

    def close(self, *, ok: bool = True) -> None:
        """Stop drawing and clear the line; say how long it took when the line was shown
        and the run went well. Safe to call more than once."""
        with self._lock:
            self._closed = True  # from here on draw() and __call__ do nothing
            thread, self._thread = self._thread, None
        self._stop.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        with self._lock:
            if self._rich is None:
                return
            self._rich.stop()  # transient: rich erases the line it drew
            self._rich = None
            if self.shown and ok:
                elapsed = self.clock() - self.started
                assert self._console is not None
                self._console.print(
                    f"完成 done in {elapsed:.1f}s", markup=False, highlight=False, emoji=False
                )
            self.shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(ok=exc_type is None)


def _is_terminal(stream: IO[str]) -> bool:
    """Whether ``stream`` is a terminal that takes control codes (not a pipe, a file, a
    CI log or ``TERM=dumb``), decided without importing rich."""
    isatty = getattr(stream, "isatty", None)
    try:
        tty = bool(isatty and isatty())
    except (OSError, ValueError):  # a closed or detached stream
        return False
    return tty and os.environ.get("TERM", "").lower() not in DUMB_TERMINALS
