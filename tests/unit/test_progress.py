"""The progress line: only on a terminal, only after the delay, cleared at the end."""

from __future__ import annotations

import io

from dxe_eval.progress import STAGES, Progress


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(stream, delay=0) as p:
        assert not p.enabled
        for stage in STAGES:
            p(stage)
        p.draw()
    assert stream.getvalue() == ""


def test_nothing_before_the_delay() -> None:
    stream, clock = _Tty(), _Clock()
    with Progress(stream, delay=1.0, interval=60, clock=clock) as p:
        p("read")
        clock.now += 0.5
        p.draw()
    assert stream.getvalue() == ""


def test_stage_bar_and_elapsed_time_after_the_delay() -> None:
    stream, clock = _Tty(), _Clock()
    p = Progress(stream, delay=1.0, interval=60, clock=clock)
    assert p.enabled
    p("score")
    clock.now += 2.5
    p.draw()
    line = stream.getvalue()
    assert line.startswith("\r\x1b[K")
    assert "3/6 评分 scoring 2.5s" in line  # read, index done: score is the third stage
    assert "█" in line and "░" in line
    p.close()
    assert stream.getvalue().endswith("\r\x1b[K完成 done in 2.5s\n")


def test_failure_clears_the_line_without_done() -> None:
    stream, clock = _Tty(), _Clock()
    try:
        with Progress(stream, delay=0, interval=60, clock=clock) as p:
            p("read")
            p.draw()
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert stream.getvalue().endswith("\r\x1b[K")
    assert "完成" not in stream.getvalue()


def test_disabled_explicitly_on_a_terminal() -> None:
    stream = _Tty()
    with Progress(stream, enabled=False, delay=0) as p:
        p("read")
        p.draw()
    assert stream.getvalue() == ""


def test_the_line_is_cleared_before_the_report_is_written() -> None:
    from dxe_eval.commands.evaluate import _write
    from dxe_eval.report.reporter import Reporter, ReportOptions

    # one terminal for both streams, as a user sees them: the progress line is drawn,
    # then the report; the report must start on a line of its own, after the clearing
    screen, clock = _Tty(), _Clock()
    reporter = Reporter(name="t", title="t", render=lambda ev, options: "报告\n")
    with Progress(screen, delay=0, interval=60, clock=clock) as p:
        p("write")
        p.draw()
        assert screen.getvalue().startswith("\r\x1b[K")  # the line is on the screen
        _write(reporter, None, ReportOptions(), None, screen, clear=p.close)
    out = screen.getvalue()
    cleared = out.rindex("\r\x1b[K")
    assert out[cleared:] == "\r\x1b[K完成 done in 0.0s\n报告\n"
