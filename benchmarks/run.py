#!/usr/bin/env python3
"""Province-scale benchmark: dxe-eval against plain pandas and polars scripts, in one run.

Usage::

    python benchmarks/run.py [--size tiny|small|full] [--runs N] [--markdown FILE]

It generates the data set with ``dxe_eval.generate`` (cached under
``benchmarks/.cache/``, keyed by sizes and seed), then, ``--runs`` times and
interleaved so that all three see the same machine load, runs as separate
processes ``dxe-eval evaluate --format json --output FILE``, ``baseline_pandas.py``
and ``baseline_polars.py`` (and, in the same rounds, the evaluation of the data set
with twice the requests and surveys, for the growth figure). Each process's wall
time and peak memory (its own ``ru_maxrss``, read with ``os.wait4``) are recorded;
the medians are reported.
It checks that the three agree on the per-candidate facts (``_common.FACTS``), then
times what the issue sets targets for: ``compare`` with one weight changed on
an already prepared data set (``whatif.compare_to``, beside the plain run under B
and comparison, which must give the same), growth
from the data set to one with twice the requests and surveys, ``dxe-eval --version``
cold, and evaluating the bundled example. The table shows figure, measured, target,
ratio and pass/fail.

The exit status is 0 when the three implementations agree and the quick what-if
gives what the plain one gives (whatever the timings: they depend on the
machine), 1 when they do not.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CACHE = HERE / ".cache"

SIZES: dict[str, dict[str, int]] = {
    "tiny": {"units": 50, "people": 500, "projects": 120, "requests": 2_000, "surveys": 400},
    "small": {
        "units": 500, "people": 5_000, "projects": 1_250, "requests": 100_000, "surveys": 20_000,
    },
    "full": {
        "units": 2_000, "people": 20_000, "projects": 5_000, "requests": 1_000_000,
        "surveys": 200_000,
    },
}
SEED = 1

# the targets
T_PANDAS = 1.0  # evaluate ≤ 1.0 × the pandas script
T_POLARS = 2.0  # evaluate ≤ 2.0 × the polars script
T_MEMORY = 1.5  # peak memory ≤ 1.5 × the CSV files
T_GROWTH = 2.2  # twice the requests and surveys ≤ 2.2 × the time
T_WHATIF = 0.2  # seconds: one weight changed, facts already built
T_VERSION = 0.3  # seconds: dxe-eval --version, cold
T_EXAMPLE = 1.0  # seconds: evaluate the bundled example


# ---------------------------------------------------------------------------
# measuring
# ---------------------------------------------------------------------------


def measure(cmd: Sequence[str]) -> tuple[float, int]:
    """Run ``cmd`` as its own process; its wall time (s) and peak resident memory (bytes).

    The command runs under ``_measure.py``, a small process that forks it and
    reads its ``ru_maxrss`` (see there for why not from this process).
    """
    out = subprocess.run(
        [sys.executable, str(HERE / "_measure.py"), *cmd],
        capture_output=True, text=True,
    )
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines else {"code": out.returncode}
    if out.returncode != 0 or result.get("code") != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {result.get('code')}: {out.stderr[-2000:]}")
    return float(result["wall"]), int(result["rss"])


def dxe_exe() -> str:
    return shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")


def median(xs: Sequence[float]) -> float:
    return statistics.median(xs)


def dataset(size: str, *, scale: int = 1, log: Callable[[str], None] = print) -> Path:
    """The generated data set of ``size`` (requests and surveys × ``scale``), cached."""
    from dxe_eval.generate import Sizes, generate

    base = dict(SIZES[size])
    base["requests"] *= scale
    base["surveys"] *= scale
    sizes = Sizes(**base)
    folder = CACHE / sizes.key(SEED, 2022)
    done = folder / ".complete"
    if done.exists():
        return folder
    if folder.exists():
        shutil.rmtree(folder)
    start = time.perf_counter()
    counts = generate(folder, sizes, seed=SEED)
    done.write_text(json.dumps(counts), encoding="utf-8")
    log(f"generated {folder.name}: {sum(counts.values()):,} rows in "
        f"{time.perf_counter() - start:.1f} s")
    return folder


def csv_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.csv"))


# ---------------------------------------------------------------------------
# facts
# ---------------------------------------------------------------------------


def _nonzero(frame: Any) -> Any:
    import polars as pl

    return frame.filter(pl.any_horizontal(pl.exclude("kind", "id") != 0)).sort("kind", "id")


def agree(data: Path, pandas_csv: Path, polars_csv: Path) -> list[str]:
    """Differences between the three implementations' per-candidate facts (empty: they
    agree)."""
    import polars as pl

    sys.path.insert(0, str(HERE))
    from facts import FACTS, dxe_facts

    schema = {c: (pl.String if c in ("kind", "id") else pl.Int64) for c in FACTS}
    ours = _nonzero(dxe_facts(data))
    problems = []
    for name, path in (("pandas", pandas_csv), ("polars", polars_csv)):
        theirs = _nonzero(pl.read_csv(path, schema=schema))
        if ours.equals(theirs):
            continue
        diff = ours.join(theirs, on=["kind", "id"], how="full", suffix=f"_{name}", coalesce=True)
        bad = diff.filter(
            pl.any_horizontal(
                [
                    pl.col(c).ne_missing(pl.col(f"{c}_{name}"))
                    for c in FACTS
                    if c not in ("kind", "id")
                ]
            )
        )
        problems.append(
            f"dxe-eval and {name} differ on {bad.height} candidate(s):\n{bad.head(5)}"
        )
    return problems


# ---------------------------------------------------------------------------
# what-if
# ---------------------------------------------------------------------------


def whatif_seconds(data: Path, runs: int) -> dict[str, Any]:
    """What ``dxe-eval compare`` does with one weight changed, once the data are read and
    the facts built (the run under ruleset A is made first, as the command makes it):
    ``whatif.compare_to(prepared, a, b)``, which re-scores only the changed rule.

    Each round changes the weight of the next weighted rule (a new rule each time for up
    to nine rounds, so its facts are grouped for the first time inside the timing), then
    times the plain way, ``compare(a, run(prepared, b))``, on the same change, and checks
    the two agree. The first comparison against A, which also takes A apart into columns
    (once per evaluation), is timed on its own. Printing the comparison is not counted.
    """
    from dxe_eval.engine import prepare, run
    from dxe_eval.manager import get_registry
    from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset
    from dxe_eval.whatif import compare, compare_to

    reg = get_registry()
    rs = load_ruleset(DEFAULT_RULESET, reg)
    prepared = prepare(str(data), rs, reg)
    base = run(prepared, rs, reg)  # builds and caches the facts, as compare's first run does
    weighted = [r for r in rs.rules if not reg.rules[r].bonus]

    def changed(i: int) -> tuple[str, Any]:
        rule = weighted[i % len(weighted)]
        return rule, rs.with_params(f"rules.{rule}", points=rs.rules[rule].points + 1)

    quick: list[float] = []
    plain: list[float] = []
    differ: list[str] = []
    # as in the command, whose process runs with the cycle collector off (dxe_eval.cli.main);
    # with it on, a library caller pays a collection of the data set's objects now and then
    gc.disable()
    try:
        start = time.perf_counter()
        compare_to(prepared, base, rs.with_params("rules.satisfaction", points=0.5), reg)
        first = time.perf_counter() - start
        for i in range(runs):
            rule, b = changed(i)
            start = time.perf_counter()
            got = compare_to(prepared, base, b, reg)
            quick.append(time.perf_counter() - start)
            start = time.perf_counter()
            want = compare(base, run(prepared, b, reg))
            plain.append(time.perf_counter() - start)
            if got != want:
                differ.append(rule)
    finally:
        gc.enable()
    return {
        "quick_s": quick,
        "plain_s": plain,
        "first_s": first,
        "rules": [changed(i)[0] for i in range(runs)],
        "differ": differ,
    }


def row(
    figure: str, measured: str, target: str = "", ratio: float | None = None,
    ok: bool | None = None,
) -> dict[str, Any]:
    """A line of the table; ``ratio`` is measured ÷ target, so ≤ 1 passes."""
    if ok is None and ratio is not None:
        ok = ratio <= 1.0
    return {
        "figure": figure,
        "measured": measured,
        "target": target,
        "ratio": "" if ratio is None else f"{ratio:.2f}",  # measured ÷ target
        "result": "" if ok is None else ("pass" if ok else "FAIL"),
    }


def table(rows: Sequence[dict[str, Any]]) -> str:
    heads = ["figure", "measured", "target", "ratio", "result"]  # ratio: measured ÷ target
    lines = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(r[h]) for h in heads) + " |")
    return "\n".join(lines)


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB" if n >= 1e7 else f"{n / 1e6:.2f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=tuple(SIZES), default="full")
    p.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    p.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    p.add_argument("--json", metavar="FILE", help="also write the raw figures to FILE")
    p.add_argument("--no-growth", action="store_true", help="skip the doubled data set")
    args = p.parse_args(argv)
    runs = max(1, args.runs)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    data = dataset(args.size, log=log)
    size_csv = csv_bytes(data)
    exe = dxe_exe()
    py = sys.executable
    raw: dict[str, Any] = {"size": args.size, "runs": runs, "csv_bytes": size_csv}
    with tempfile.TemporaryDirectory(prefix="dxe-bench-") as tmp:
        out = Path(tmp)
        cmds = {
            "dxe-eval": [exe, "evaluate", "--data", str(data), "--format", "json",
                         "--output", str(out / "dxe.json")],
            "pandas": [py, str(HERE / "baseline_pandas.py"), str(data), str(out / "pandas.csv")],
            "polars": [py, str(HERE / "baseline_polars.py"), str(data), str(out / "polars.csv")],
        }
        if not args.no_growth:
            # the doubled data set runs in the same rounds, so that both see the same load
            double = dataset(args.size, scale=2, log=log)
            cmds["dxe-eval 2×"] = [exe, "evaluate", "--data", str(double), "--format", "json",
                                   "--output", str(out / "dxe2.json")]
        times: dict[str, list[float]] = {k: [] for k in cmds}
        peaks: dict[str, list[int]] = {k: [] for k in cmds}
        for i in range(runs):
            for name, cmd in cmds.items():  # interleaved: the same load for all of them
                wall, rss = measure(cmd)
                times[name].append(wall)
                peaks[name].append(rss)
                log(f"run {i + 1}/{runs} {name}: {wall:.2f} s, {mb(rss)}")
        # each round's evaluate and pandas runs are back to back: their ratio, round by round,
        # shows how much of the spread is the machine's load (the table uses the medians)
        paired = [d / p for d, p in zip(times["dxe-eval"], times["pandas"], strict=True)]
        log("evaluate ÷ pandas, round by round: " + " ".join(f"{r:.2f}" for r in paired)
            + f" (median {median(paired):.2f})")
        problems = agree(data, out / "pandas.csv", out / "polars.csv")
        for problem in problems:
            log(problem)

        growth = None
        if not args.no_growth:
            t2 = times.pop("dxe-eval 2×")
            peaks.pop("dxe-eval 2×")
            raw["evaluate_2x_s"] = t2
            growth = median(t2) / median(times["dxe-eval"])
            log(f"twice the requests and surveys: {median(t2):.2f} s")

        version = [measure([exe, "--version"])[0] for _ in range(max(runs, 5))]
        example = [
            measure([exe, "evaluate", "--format", "json", "--output", str(out / "ex.json")])[0]
            for _ in range(runs)
        ]
    w = whatif_seconds(data, runs)
    whatif = median(w["quick_s"])
    for rule in w["differ"]:
        log(f"what-if: compare_to differs from compare(a, run(b)) with {rule}'s weight changed")

    t = {k: median(v) for k, v in times.items()}
    m = {k: max(v) for k, v in peaks.items()}
    raw.update(times=times, peaks=peaks, version_s=version, example_s=example, whatif=w)
    dxe = t["dxe-eval"]
    rows = [
        row("data set", f"{args.size}: {mb(size_csv)} of CSV"),
        row("pandas script", f"{t['pandas']:.2f} s, {mb(m['pandas'])}"),
        row("polars script", f"{t['polars']:.2f} s, {mb(m['polars'])}"),
        row("evaluate vs pandas", f"{dxe:.2f} s = {dxe / t['pandas']:.2f} × pandas",
            f"≤ {T_PANDAS:g} × pandas", dxe / (T_PANDAS * t["pandas"])),
        row("evaluate vs polars", f"{dxe:.2f} s = {dxe / t['polars']:.2f} × polars",
            f"≤ {T_POLARS:g} × polars", dxe / (T_POLARS * t["polars"])),
        row("evaluate peak memory",
            f"{mb(m['dxe-eval'])} = {m['dxe-eval'] / size_csv:.2f} × CSV",
            f"≤ {T_MEMORY:g} × CSV", m["dxe-eval"] / (T_MEMORY * size_csv)),
    ]
    if growth is not None:
        rows.append(row("growth, 2× requests and surveys", f"{growth:.2f} ×",
                        f"≤ {T_GROWTH:g} ×", growth / T_GROWTH))
    rows += [
        row("what-if compare, one weight changed",
            f"{whatif:.2f} s (through run: {median(w['plain_s']):.2f} s)", f"≤ {T_WHATIF:g} s",
            whatif / T_WHATIF),
        row("what-if, first comparison against A", f"{w['first_s']:.2f} s (takes A apart)"),
        row("dxe-eval --version, cold", f"{median(version):.3f} s", f"≤ {T_VERSION:g} s",
            median(version) / T_VERSION),
        row("evaluate the bundled example", f"{median(example):.2f} s", f"≤ {T_EXAMPLE:g} s",
            median(example) / T_EXAMPLE),
        row("facts agree (dxe-eval, pandas, polars)", "yes" if not problems else "NO",
            "yes", ok=not problems),
        row("what-if agrees with compare(a, run(b))", "yes" if not w["differ"] else "NO",
            "yes", ok=not w["differ"]),
    ]
    text = table(rows)
    print(text)
    print(f"\nmedian of {runs} run(s); {os.cpu_count()} CPU(s); python "
          f"{sys.version.split()[0]}")
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 1 if problems or w["differ"] else 0


if __name__ == "__main__":
    sys.exit(main())
