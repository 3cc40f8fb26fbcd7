"""The benchmark runs end to end on a tiny data set, the five implementations agree, and
the quick what-if agrees with the plain one.

Timings are not checked here: they depend on the machine (see docs/performance.md).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests import builders

pytest.importorskip("pandas", reason="the pandas baseline needs the 'bench' extra")


def test_tiny_benchmark_completes_and_agrees() -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(builders.ROOT / "benchmarks" / "run.py"),
            "--size",
            "tiny",
            "--runs",
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=builders.ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = {
        line.split("|")[1].strip(): line
        for line in out.stdout.splitlines()
        if line.startswith("| ")
    }
    assert "evaluate vs pandas" in lines and "evaluate vs polars" in lines
    # issue 22's rows: the lazy script (both engines), memory against it, growth to 5×
    for figure in (
        "polars lazy script, in-memory engine",
        "polars lazy script, streaming engine",
        "evaluate vs polars lazy, time",
        "evaluate vs polars lazy, peak memory",
        "dxe-eval generate",
        "growth tiny → 5×, time",
        "growth tiny → 5×, peak memory",
    ):
        assert figure in lines, figure
    # the five implementations agree on every candidate's facts
    agree = lines["facts agree (dxe-eval, pandas, polars, polars lazy, polars streaming)"]
    assert "| yes | yes |" in agree and "pass" in agree
    # the quick what-if gives what compare(a, run(b)) gives, for each weight changed
    same = lines["what-if agrees with compare(a, run(b))"]
    assert "| yes | yes |" in same and "pass" in same
