"""The benchmark runs end to end on a tiny data set, the three implementations agree, and
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
        [sys.executable, str(builders.ROOT / "benchmarks" / "run.py"), "--size", "tiny",
         "--runs", "1"],
        capture_output=True, text=True, timeout=600, cwd=builders.ROOT,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    lines = {line.split("|")[1].strip(): line for line in out.stdout.splitlines()
             if line.startswith("| ")}
    assert "evaluate vs pandas" in lines and "evaluate vs polars" in lines
    agree = lines["facts agree (dxe-eval, pandas, polars)"]
    assert "| yes | yes |" in agree and "pass" in agree
    # the quick what-if gives what compare(a, run(b)) gives, for each weight changed
    same = lines["what-if agrees with compare(a, run(b))"]
    assert "| yes | yes |" in same and "pass" in same
