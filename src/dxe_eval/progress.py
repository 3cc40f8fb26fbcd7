"""A progress line on stderr for long runs: stage, a bar over the stages, elapsed time.

:class:`Progress` is the engine's ``progress`` callback (``evaluate(...,
progress=p)`` calls ``p("read")``, ``p("index")``, …). It draws nothing until
the run has taken :attr:`delay` seconds, and nothing at all when its stream is
not a terminal (pipes, CI logs) or when it is disabled, so short runs and
machine-read output stay clean. Use it as a context manager so that the line
is cleared when the run ends or fails::

    with Progress() as progress:
        ev = evaluate(data, progress=progress)
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import Any, Final, TextIO

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
SPINNER: Final = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"


class Progress:
    """A stage line with elapsed time, redrawn in place on a terminal."""

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        enabled: bool | None = None,
        delay: float = 1.0,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty and isatty())
        self.enabled = enabled
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.stage: str | None = None
        self.shown = False
        self._tick = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # the engine's callback -------------------------------------------------

    def __call__(self, stage: str) -> None:
        with self._lock:
            self.stage = stage
        if self.enabled and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="dxe-eval-progress", daemon=True)
            self._thread.start()

    # drawing ----------------------------------------------------------------

    def line(self) -> str:
        """The text of the progress line as it stands now."""
        with self._lock:
            stage = self.stage
        names = list(STAGES)
        done = names.index(stage) if stage in names else 0
        filled = round(BAR_WIDTH * done / len(names))
        bar = "█" * filled + "░" * (BAR_WIDTH - filled)
        label = STAGES.get(stage or "", stage or "")
        spin = SPINNER[self._tick % len(SPINNER)]
        elapsed = self.clock() - self.started
        return f"{spin} [{bar}] {done + 1}/{len(names)} {label} {elapsed:.1f}s"

    def draw(self) -> None:
        """Redraw the line now, if enabled and the run has taken long enough."""
        if not self.enabled or self.clock() - self.started < self.delay:
            return
        self._tick += 1
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()
        self.shown = True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.draw()

    def close(self, *, ok: bool = True) -> None:
        """Stop drawing and clear the line; say how long it took when the line was shown."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self.shown:
            elapsed = self.clock() - self.started
            end = f"完成 done in {elapsed:.1f}s\n" if ok else ""
            self.stream.write("\r\x1b[K" + end)
            self.stream.flush()
            self.shown = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        self.close(ok=exc_type is None)
