"""The profile of one ``dxe-eval evaluate --format json --output FILE`` by stage.

Usage::

    python benchmarks/stages.py DATA_DIR [--output FILE] [--evidence all|first:N|none]

One process, the cycle collector off as in the command (``dxe_eval.cli``). The stages
are the engine's own (its ``progress`` calls: read, index, score, assess, commend),
then the JSON written as ``--output`` writes it. Inside scoring and assessing, the
time spent getting facts (``engine.facts_for``: the rules' and thresholds' queries and
their rows as Python values) and, where the engine has it, computing the fused facts
ahead (``engine.fuse_facts``) are shown apart. Run it against older code with
``PYTHONPATH=OLD/src`` to compare (a missing ``fuse_facts`` is shown as ``—``).
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def main(argv: list[str] | None = None) -> int:
    started = time.perf_counter()
    gc.disable()
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data", type=Path)
    p.add_argument("--output", type=Path, default=None)
    p.add_argument("--evidence", default="all")
    args = p.parse_args(argv)

    from dxe_eval import engine
    from dxe_eval.report import json as report_json

    imported = time.perf_counter()
    spent: dict[str, float] = {"facts_for": 0.0, "fuse_facts": 0.0, "queries": 0}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*a: Any, **k: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                spent[name] += time.perf_counter() - t

        return wrapper

    engine.facts_for = timed("facts_for", engine.facts_for)  # type: ignore[assignment]
    fused = hasattr(engine, "fuse_facts")
    if fused:
        engine.fuse_facts = timed("fuse_facts", engine.fuse_facts)  # type: ignore[attr-defined]

    marks: list[tuple[str, float]] = []

    high: list[float] = []  # the process's high-water mark (MB) at the start of each stage

    def progress(stage: str) -> None:
        marks.append((stage, time.perf_counter()))
        high.append(_high_mb())

    ev = engine.evaluate(args.data, progress=progress)
    ran = time.perf_counter()
    high.append(_high_mb())
    with tempfile.TemporaryDirectory() as tmp:
        out = args.output or Path(tmp) / "out.json"
        if args.evidence == "all":
            report_json.write_json(ev, out)
        else:
            report_json.write_json(ev, out, evidence=args.evidence)  # type: ignore[call-arg]
        size = out.stat().st_size
    written = time.perf_counter()
    high.append(_high_mb())

    rows = [("start-up (imports)", imported - started, None)]
    ends = [*marks[1:], ("end", ran)]
    for i, ((stage, t), (_, t_next)) in enumerate(zip(marks, ends, strict=True)):
        rows.append((stage, t_next - t, high[i + 1]))
    rows.append((f"JSON ({size / 1e6:.0f} MB)", written - ran, high[-1]))
    rows.append(("total", written - started, high[-1]))
    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'time':>8}  high-water mark at its end")
    for name, s, mb in rows:
        print(f"{name:<{width}}  {s:6.2f} s" + (f"  {mb:,.0f} MB" if mb is not None else ""))
    print(f"{'  of which facts_for':<{width}}  {spent['facts_for']:6.2f} s")
    fuse = f"{spent['fuse_facts']:6.2f} s" if fused else "     —"
    print(f"{'  of which fuse_facts':<{width}}  {fuse}")
    return 0


def _high_mb() -> float:
    """This process's peak resident memory so far, in MB (``ru_maxrss``: KiB on Linux)."""
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e6


if __name__ == "__main__":
    sys.exit(main())
