"""Run a command and print its wall time and peak memory as JSON: ``{"wall": s, "rss": bytes}``.

Usage: python benchmarks/_measure.py COMMAND [ARGS...]  (its own output goes to stderr)

Why a separate process: on Linux a child's ``ru_maxrss`` starts from the
high-water mark of the process it was forked from, so a benchmark that has
loaded a data set would see its own memory in every command it runs. This
small process forks the command instead, so the figure is the command's own.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=sys.stderr)  # stdout carries only the figures
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    rss = usage.ru_maxrss if sys.platform == "darwin" else usage.ru_maxrss * 1024
    print(json.dumps({"wall": wall, "rss": rss, "code": code}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
