"""The progress line: only on a terminal, only after the delay, cleared at the end.

rich draws it, so the tests do not compare escape sequences: they play what was
written through a small terminal (:func:`screen`) and compare what a user would see."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

import dxe_eval.progress
from dxe_eval.progress import STAGES, Progress

CSI = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])")


def screen(written: str) -> list[str]:
    """The rows a terminal shows after ``written``, trailing blanks dropped: text
    overwrites from the cursor, ``\\r`` goes to the start of the row, ``\\n`` to the
    next row, ``ESC[nA`` up n rows, ``ESC[2K`` blanks the row; colours and the cursor's
    visibility change nothing that is read."""
    rows: list[list[str]] = [[]]
    row = col = 0
    pos = 0
    while pos < len(written):
        found = CSI.match(written, pos)
        if found:
            params, final = found.groups()
            if final == "A":
                row = max(0, row - int(params or "1"))
            elif final == "K":
                assert params == "2", f"unexpected erase {found.group()!r}"
                rows[row] = []
            else:
                # styles (m) and showing/hiding the cursor (?25l, ?25h) move nothing
                assert final in "mlh", f"unexpected control sequence {found.group()!r}"
            pos = found.end()
            continue
        char = written[pos]
        pos += 1
        if char == "\r":
            col = 0
        elif char == "\n":
            row, col = row + 1, 0
            if row == len(rows):
                rows.append([])
        else:
            line = rows[row]
            line.extend(" " * (col + 1 - len(line)))
            line[col] = char
            col += 1
    shown = ["".join(r).rstrip() for r in rows]
    while shown and not shown[-1]:
        shown.pop()
    return shown


def terminal(width: int = 80) -> tuple[io.StringIO, Console]:
    """A StringIO that rich takes for a colourless terminal ``width`` columns wide."""
    out = io.StringIO()
    return out, Console(file=out, force_terminal=True, color_system=None, width=width)


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_screen_helper_reads_erase_and_cursor_up() -> None:
    # "ab", next row "cd"; up one row, erase it, write "x": rows "x", "cd"
    assert screen("ab\ncd\x1b[1A\r\x1b[2Kx") == ["x", "cd"]


def test_nothing_when_not_a_terminal() -> None:
    stream = io.StringIO()
    with Progress(stream, delay=0) as p:
        assert not p.enabled
        for stage in STAGES:
            p(stage)
        p.draw()
    assert stream.getvalue() == ""
    # nor on a rich console that is not a terminal
    with Progress(console=Console(file=stream), delay=0) as p:
        assert not p.enabled
        p("read")
        p.draw()
    assert stream.getvalue() == ""


def test_nothing_on_a_dumb_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    stream = _Tty()
    with Progress(stream, delay=0) as p:
        assert not p.enabled
        p("read")
        p.draw()
    assert stream.getvalue() == ""


def test_nothing_before_the_delay() -> None:
    out, console = terminal()
    clock = _Clock()
    with Progress(console=console, delay=1.0, interval=60, clock=clock) as p:
        assert p.enabled
        p("read")
        clock.now += 0.5
        p.draw()
        assert not p.shown
    assert out.getvalue() == ""


def test_stage_bar_and_elapsed_time_after_the_delay() -> None:
    out, console = terminal()
    clock = _Clock()
    p = Progress(console=console, delay=1.0, interval=60, clock=clock)
    p("score")
    clock.now += 2.5
    p.draw()
    assert p.shown
    [line] = screen(out.getvalue())
    # read and index done: 2 of 6 stages fill 20 * 2/6 = 6.67 cells of the bar, which
    # rich draws as 6 whole cells and a half (╸); score is the third stage: 3/6
    assert "━━━━━━╸" in line and "━━━━━━━" not in line
    assert line.endswith("3/6 评分 scoring 2.5s")
    clock.now += 1.0
    p("commend")
    p.draw()
    [line] = screen(out.getvalue())  # redrawn in place: still one row
    assert line.endswith("5/6 表彰排名 ranking 3.5s")
    p.close()
    # the line is erased, the total time stands in its place
    assert screen(out.getvalue()) == ["完成 done in 3.5s"]


def test_failure_clears_the_line_without_done() -> None:
    out, console = terminal()
    clock = _Clock()
    with pytest.raises(RuntimeError), Progress(console=console, delay=0, clock=clock) as p:
        p.interval = 60
        p("read")
        p.draw()
        assert screen(out.getvalue()) != []
        raise RuntimeError("boom")
    assert screen(out.getvalue()) == []
    assert "完成" not in out.getvalue()


def test_disabled_explicitly_on_a_terminal() -> None:
    out, console = terminal()
    with Progress(console=console, enabled=False, delay=0) as p:
        p("read")
        p.draw()
    assert out.getvalue() == ""


def test_close_twice_says_done_once() -> None:
    out, console = terminal()
    clock = _Clock()
    p = Progress(console=console, delay=0, interval=60, clock=clock)
    p("read")
    p.draw()
    p.close()
    p.close()
    p("index")  # after close: nothing more is drawn
    p.draw()
    assert screen(out.getvalue()) == ["完成 done in 0.0s"]


def test_a_terminal_stream_without_a_console_draws_through_rich() -> None:
    stream = _Tty()
    clock = _Clock()
    with Progress(stream, delay=0, interval=60, clock=clock) as p:
        assert p.enabled
        p("index")
        p.draw()
        [line] = screen(stream.getvalue())
        assert line.endswith("2/6 整理证据 indexing 0.0s")
    assert screen(stream.getvalue()) == ["完成 done in 0.0s"]


def test_the_thread_draws_on_its_own() -> None:
    out, console = terminal()
    with Progress(console=console, delay=0, interval=0.01) as p:
        p("assess")
        deadline = time.monotonic() + 10
        while not p.shown and time.monotonic() < deadline:
            time.sleep(0.01)
        assert p.shown
        assert "4/6 预警判定 assessing" in screen(out.getvalue())[0]
    [done] = screen(out.getvalue())
    assert re.fullmatch(r"完成 done in \d+\.\ds", done)


def test_the_line_is_cleared_before_the_report_is_written() -> None:
    from dxe_eval.commands.evaluate import _write
    from dxe_eval.report.reporter import Reporter, ReportOptions

    # one terminal for both streams, as a user sees them: the progress line is drawn,
    # then the report; the report must start on a line of its own, after the clearing
    out, console = terminal()
    clock = _Clock()
    reporter = Reporter(name="t", title="t", render=lambda ev, options: "报告\n")
    with Progress(console=console, delay=0, interval=60, clock=clock) as p:
        p("write")
        p.draw()
        [line] = screen(out.getvalue())  # the line is on the screen
        assert line.endswith("6/6 写出报告 writing 0.0s")
        _write(reporter, None, ReportOptions(), None, out, clear=p.close)
    assert screen(out.getvalue()) == ["完成 done in 0.0s", "报告"]


def test_no_hand_written_escape_codes() -> None:
    source = Path(dxe_eval.progress.__file__).read_text(encoding="utf-8")
    for escape in ("\x1b", "\\x1b", "\\033", "\\u001b", "\\e["):
        assert escape not in source


def test_a_run_without_a_terminal_never_imports_rich() -> None:
    code = (
        "import io, sys\n"
        "from dxe_eval.progress import Progress, STAGES\n"
        "with Progress(io.StringIO(), delay=0) as p:\n"
        "    for s in STAGES: p(s)\n"
        "    p.draw()\n"
        "assert 'rich' not in sys.modules, sorted(m for m in sys.modules if 'rich' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
