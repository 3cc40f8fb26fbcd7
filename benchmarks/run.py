#!/usr/bin/env python3
"""Province- and national-scale benchmark: dxe-eval against plain pandas and polars scripts.

Usage::

    python benchmarks/run.py [--size tiny|small|full|national] [--runs N] [--markdown FILE]

It generates the data set with ``dxe-eval generate`` (cached under
``benchmarks/.cache/``, keyed by sizes and seed; the generator's own time and peak
memory are measured then and kept beside the data), then, ``--runs`` times and
interleaved so that all see the same machine load, runs as separate processes
``dxe-eval evaluate --format json --output FILE``, ``baseline_pandas.py``,
``baseline_polars.py`` (eager: reads its files, then computes),
``baseline_polars_lazy.py`` (one lazy query, polars' in-memory engine) and the same
with ``--streaming`` (polars' streaming engine); in the same rounds, the evaluation
of the growth data sets. Each process's wall time and peak memory (its own
``ru_maxrss``, read with ``os.wait4``) are recorded; the medians of the times and the
largest peaks are reported.

It checks that the implementations agree on the per-candidate facts
(``_common.FACTS``: dxe-eval's own through its rules' ``collect``, ``facts.py``),
then times what the issues set targets for: ``compare`` with one weight changed on
an already prepared data set (``whatif.compare_to``, beside the plain run under B
and comparison, which must give the same), growth (twice the requests and surveys;
and 1M → 5M requests), ``dxe-eval --version`` cold, and evaluating the bundled
example. The table shows figure, measured, target, ratio (measured ÷ target) and
pass/fail.

``--size national`` (30M requests, 60,000 units, 600,000 people, 6M surveys,
150,000 projects; about 6 GB of CSV, generated once) runs each implementation once
by default and leaves out what cannot run at that size in this process or beside
the others: the pandas script (it holds every string as a Python object), the
what-if (it prepares the data set inside the benchmark's own process) and
dxe-eval's facts through the Python API (a second full preparation; ``--dxe-facts``
runs it as its own process): the polars scripts' facts are checked against each
other there, and against dxe-eval's at ``--size full``. Its growth rows run the
1M and 5M data sets of ``--size full``.

The exit status is 0 when the implementations agree and the quick what-if gives
what the plain one gives (whatever the timings: they depend on the machine), 1 when
they do not.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
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
        "units": 500,
        "people": 5_000,
        "projects": 1_250,
        "requests": 100_000,
        "surveys": 20_000,
    },
    "full": {
        "units": 2_000,
        "people": 20_000,
        "projects": 5_000,
        "requests": 1_000_000,
        "surveys": 200_000,
    },
    "national": {
        "units": 60_000,
        "people": 600_000,
        "projects": 150_000,
        "requests": 30_000_000,
        "surveys": 6_000_000,
    },
}
SEED = 1
YEAR = 2022

# the targets of issue 17 (a province) ...
T_PANDAS = 1.0  # evaluate ≤ 1.0 × the pandas script
T_POLARS = 2.0  # evaluate ≤ 2.0 × the polars script
T_MEMORY = 1.5  # peak memory ≤ 1.5 × the CSV files
T_GROWTH = 2.2  # twice the requests and surveys ≤ 2.2 × the time
T_WHATIF = 0.2  # seconds: one weight changed, facts already built
T_VERSION = 0.3  # seconds: dxe-eval --version, cold
T_EXAMPLE = 1.0  # seconds: evaluate the bundled example
# ... and of issue 22 (a national year as lean as a plain script)
T_LAZY = 2.0  # evaluate ≤ 2.0 × the lazy polars script (in-memory engine), at 1M and 30M
T_LAZY_MEMORY = 1.0  # evaluate's peak ≤ the lazy polars script's (in-memory engine)
T_JSON = 1e9  # bytes: the national JSON with --evidence first:20
T_GENERATE = 4e9  # bytes: dxe-eval generate's peak at the national size
T_GROWTH5_TIME = 5.5  # 1M → 5M requests: ≤ 5.5 × the time
T_GROWTH5_MEMORY = 5.0  # ... and ≤ 5 × the peak memory
GROWTH5 = 5
EVIDENCE = "first:20"  # the --evidence of the national JSON figure

IMPLEMENTATIONS = ("dxe-eval", "pandas", "polars", "polars lazy", "polars streaming")


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
        capture_output=True,
        text=True,
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


def load() -> str:
    """The machine's load averages (1, 5, 15 minutes), as ``uptime`` shows them."""
    return "load " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def dataset(
    size: str, *, scale: int = 1, regenerate: bool = False, log: Callable[[str], None] = print
) -> tuple[Path, dict[str, Any]]:
    """The generated data set of ``size`` (requests and surveys × ``scale``), cached, and
    what generating it took (``wall`` s, ``rss`` bytes, ``when``, ``load``; empty for a
    data set cached before the figures were kept)."""
    base = dict(SIZES[size])
    base["requests"] *= scale
    base["surveys"] *= scale
    key = (
        f"u{base['units']}-p{base['people']}-j{base['projects']}-r{base['requests']}"
        f"-s{base['surveys']}-seed{SEED}-y{YEAR}"
    )  # dxe_eval.generate.Sizes.key, without importing polars here
    folder = CACHE / key
    done = folder / ".complete"
    if done.exists() and not regenerate:
        figures = json.loads(done.read_text(encoding="utf-8"))
        return folder, figures if "wall" in figures else {}
    if folder.exists():
        shutil.rmtree(folder)
    CACHE.mkdir(parents=True, exist_ok=True)
    before = f"load {os.getloadavg()[0]:.2f}"
    args = [f"--{k}={v}" for k, v in base.items()]
    wall, rss = measure(
        [dxe_exe(), "generate", *args, f"--seed={SEED}", f"--year={YEAR}", "--out", str(folder)]
    )
    figures = {
        "wall": wall,
        "rss": rss,
        "when": dt.datetime.now().isoformat(timespec="minutes"),
        "load": f"{before} before, {os.getloadavg()[0]:.2f} after",
    }
    done.write_text(json.dumps(figures), encoding="utf-8")
    log(f"generated {folder.name}: {wall:.1f} s, {mb(rss)}")
    return folder, figures


def csv_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.csv"))


def evidence_flag(exe: str) -> bool:
    """Does ``dxe-eval evaluate`` take ``--evidence`` (issue 22's engine side)?"""
    out = subprocess.run([exe, "evaluate", "--help"], capture_output=True, text=True)
    return "--evidence" in out.stdout


def light_flags(exe: str) -> list[str]:
    """The flags of the lighter JSON a caller may ask for: ``--evidence first:20``, and
    ``--compact`` where ``dxe-eval`` has it."""
    out = subprocess.run([exe, "evaluate", "--help"], capture_output=True, text=True)
    return ["--evidence", EVIDENCE] + (["--compact"] if "--compact" in out.stdout else [])


# ---------------------------------------------------------------------------
# facts
# ---------------------------------------------------------------------------


def _nonzero(frame: Any) -> Any:
    import polars as pl

    return frame.filter(pl.any_horizontal(pl.exclude("kind", "id") != 0)).sort("kind", "id")


def agree(outputs: dict[str, Path], dxe: Any | None) -> list[str]:
    """Differences between the implementations' per-candidate facts (empty: they agree).

    ``outputs`` are the scripts' CSV files by name; ``dxe`` is dxe-eval's own facts
    (``facts.dxe_facts``), the reference when given; otherwise the first script's."""
    import polars as pl

    sys.path.insert(0, str(HERE))
    from _common import FACTS

    schema = {c: (pl.String if c in ("kind", "id") else pl.Int64) for c in FACTS}
    frames = {name: _nonzero(pl.read_csv(path, schema=schema)) for name, path in outputs.items()}
    if dxe is not None:
        ref_name, ref = "dxe-eval", _nonzero(dxe)
    else:
        ref_name = next(iter(frames))
        ref = frames.pop(ref_name)
    problems = []
    for name, theirs in frames.items():
        if ref.equals(theirs):
            continue
        diff = ref.join(theirs, on=["kind", "id"], how="full", suffix="_other", coalesce=True)
        bad = diff.filter(
            pl.any_horizontal(
                [
                    pl.col(c).ne_missing(pl.col(f"{c}_other"))
                    for c in FACTS
                    if c not in ("kind", "id")
                ]
            )
        )
        problems.append(
            f"{ref_name} and {name} differ on {bad.height} candidate(s):\n{bad.head(5)}"
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
    figure: str,
    measured: str,
    target: str = "",
    ratio: float | None = None,
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
    if n >= 1e10:
        return f"{n / 1e9:,.1f} GB"
    return f"{n / 1e6:,.0f} MB" if n >= 1e7 else f"{n / 1e6:.2f} MB"


def machine() -> str:
    """CPUs, memory, Python and polars, for the line under the table."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not Linux
        memory = ""
    try:
        import polars as pl

        polars = f", polars {pl.__version__}"
    except ImportError:  # pragma: no cover - polars comes with dxe-eval
        polars = ""
    return (
        f"{os.cpu_count()} CPU(s){memory}, {platform.machine()}, Python "
        f"{sys.version.split()[0]}{polars}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", choices=tuple(SIZES), default="full")
    p.add_argument(
        "--runs",
        type=int,
        default=None,
        help="runs per measurement (median; default 3, national 1)",
    )
    p.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    p.add_argument("--json", metavar="FILE", help="also write the raw figures to FILE")
    p.add_argument("--no-growth", action="store_true", help="skip the growth data sets")
    p.add_argument(
        "--regenerate",
        action="store_true",
        help="generate the data set again (and measure the generator)",
    )
    p.add_argument(
        "--dxe-facts",
        action="store_true",
        help="national: compute dxe-eval's facts too (a second full preparation "
        "of the data set, in a process of its own)",
    )
    p.add_argument(
        "--no-evaluate",
        action="store_true",
        help="leave dxe-eval evaluate out (the scripts and the generator only)",
    )
    args = p.parse_args(argv)
    national = args.size == "national"
    runs = max(1, args.runs if args.runs is not None else (1 if national else 3))

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    start_load = load()
    log(f"{args.size}: {start_load}")
    data, gen = dataset(args.size, regenerate=args.regenerate, log=log)
    size_csv = csv_bytes(data)
    exe = dxe_exe()
    py = sys.executable
    with_evidence = evidence_flag(exe)
    light = light_flags(exe) if with_evidence else []
    raw: dict[str, Any] = {
        "size": args.size,
        "runs": runs,
        "csv_bytes": size_csv,
        "generate": gen,
        "load_before": start_load,
    }
    growth_base = "full" if national else args.size
    with tempfile.TemporaryDirectory(prefix="dxe-bench-") as tmp:
        out = Path(tmp)
        evaluate = [exe, "evaluate", "--format", "json"]
        if national and with_evidence:
            evaluate += light
        cmds: dict[str, list[str]] = {}
        if not args.no_evaluate:
            cmds["dxe-eval"] = [*evaluate, "--data", str(data), "--output", str(out / "dxe.json")]
        if not national:
            cmds["pandas"] = [
                py,
                str(HERE / "baseline_pandas.py"),
                str(data),
                str(out / "pandas.csv"),
            ]
        cmds["polars"] = [py, str(HERE / "baseline_polars.py"), str(data), str(out / "polars.csv")]
        cmds["polars lazy"] = [
            py,
            str(HERE / "baseline_polars_lazy.py"),
            str(data),
            str(out / "polars lazy.csv"),
        ]
        cmds["polars streaming"] = [
            py,
            str(HERE / "baseline_polars_lazy.py"),
            "--streaming",
            str(data),
            str(out / "polars streaming.csv"),
        ]
        growth_sets: dict[str, Path] = {}
        if not args.no_growth and not args.no_evaluate:
            # the growth data sets run in the same rounds, so that all see the same load
            if not national:
                growth_sets["dxe-eval 2×"] = dataset(args.size, scale=2, log=log)[0]
            else:
                growth_sets["dxe-eval 1×"] = dataset(growth_base, log=log)[0]
            growth_sets[f"dxe-eval {GROWTH5}×"] = dataset(growth_base, scale=GROWTH5, log=log)[0]
            for name, folder in growth_sets.items():
                cmds[name] = [
                    exe,
                    "evaluate",
                    "--format",
                    "json",
                    "--data",
                    str(folder),
                    "--output",
                    str(out / f"{name}.json"),
                ]
        times: dict[str, list[float]] = {k: [] for k in cmds}
        peaks: dict[str, list[int]] = {k: [] for k in cmds}
        json_bytes = 0
        for i in range(runs):
            for name, cmd in cmds.items():  # interleaved: the same load for all of them
                wall, rss = measure(cmd)
                times[name].append(wall)
                peaks[name].append(rss)
                log(f"run {i + 1}/{runs} {name}: {wall:.2f} s, {mb(rss)} ({load()})")
            if "dxe-eval" in cmds:
                json_bytes = (out / "dxe.json").stat().st_size
        cut: dict[str, float] | None = None
        if not national and with_evidence and "dxe-eval" in cmds:
            # once, after the rounds: the lighter JSON a caller may ask for, beside the contract
            cut_cmd = [*evaluate, *light, "--data", str(data)]
            wall, rss = measure([*cut_cmd, "--output", str(out / "dxe-cut.json")])
            cut = {"s": wall, "rss": rss, "bytes": (out / "dxe-cut.json").stat().st_size}
            log(f"dxe-eval {' '.join(light)}: {wall:.2f} s, {mb(rss)}, {mb(cut['bytes'])}")
        if "dxe-eval" in times and "pandas" in times:
            # each round's evaluate and pandas runs are back to back: their ratio, round by
            # round, shows how much of the spread is the machine's load (the table uses the
            # medians)
            paired = [d / p for d, p in zip(times["dxe-eval"], times["pandas"], strict=True)]
            log(
                "evaluate ÷ pandas, round by round: "
                + " ".join(f"{r:.2f}" for r in paired)
                + f" (median {median(paired):.2f})"
            )
        dxe = None
        if args.no_evaluate:
            pass
        elif not national:
            sys.path.insert(0, str(HERE))
            from facts import dxe_facts

            dxe = dxe_facts(data)
        elif args.dxe_facts:
            import polars as pl

            wall, rss = measure([py, str(HERE / "facts.py"), str(data), str(out / "dxe.csv")])
            log(f"dxe-eval's facts: {wall:.1f} s, {mb(rss)}")
            dxe = pl.read_csv(
                out / "dxe.csv", schema_overrides={"kind": pl.String, "id": pl.String}
            )
        scripts = [k for k in ("pandas", "polars", "polars lazy", "polars streaming") if k in cmds]
        problems = agree({k: out / f"{k}.csv" for k in scripts}, dxe)
        for problem in problems:
            log(problem)
        agreed = (["dxe-eval"] if dxe is not None else []) + scripts

        version = [measure([exe, "--version"])[0] for _ in range(max(runs, 5))]
        example = [
            measure([exe, "evaluate", "--format", "json", "--output", str(out / "ex.json")])[0]
            for _ in range(runs)
        ]
    w = None if national or args.no_evaluate else whatif_seconds(data, runs)
    end_load = load()
    log(f"done: {end_load}")

    t = {k: median(v) for k, v in times.items()}
    m = {k: max(v) for k, v in peaks.items()}
    raw.update(
        times=times,
        peaks=peaks,
        version_s=version,
        example_s=example,
        whatif=w,
        json_bytes=json_bytes,
        json_cut=cut,
        load_after=end_load,
    )
    rows = [row("data set", f"{args.size}: {mb(size_csv)} of CSV")]
    rows.append(generate_row(gen, national))
    for name, label in (
        ("pandas", "pandas script"),
        ("polars", "polars script (eager)"),
        ("polars lazy", "polars lazy script, in-memory engine"),
        ("polars streaming", "polars lazy script, streaming engine"),
    ):
        if name in t:
            rows.append(row(label, f"{t[name]:.2f} s, {mb(m[name])}"))
        else:
            rows.append(row(label, f"not run at --size {args.size}"))
    if "dxe-eval" in t:
        rows += evaluate_rows(t, m, size_csv, national, with_evidence, json_bytes, cut, light)
    else:
        rows.append(row("evaluate", "not run (--no-evaluate)"))
    rows += growth_rows(t, m, national, args.size)
    if w is not None:
        whatif = median(w["quick_s"])
        for rule in w["differ"]:
            log(f"what-if: compare_to differs from compare(a, run(b)) with {rule}'s weight changed")
        rows += [
            row(
                "what-if compare, one weight changed",
                f"{whatif:.2f} s (through run: {median(w['plain_s']):.2f} s)",
                f"≤ {T_WHATIF:g} s",
                whatif / T_WHATIF,
            ),
            row("what-if, first comparison against A", f"{w['first_s']:.2f} s (takes A apart)"),
        ]
    else:
        why = (
            (
                "not run at --size national (it prepares the data set in the benchmark's own "
                "process): see --size full"
            )
            if national
            else "not run (--no-evaluate)"
        )
        rows.append(row("what-if compare, one weight changed", why, f"≤ {T_WHATIF:g} s"))
    rows += [
        row(
            "dxe-eval --version, cold",
            f"{median(version):.3f} s",
            f"≤ {T_VERSION:g} s",
            median(version) / T_VERSION,
        ),
        row(
            "evaluate the bundled example",
            f"{median(example):.2f} s",
            f"≤ {T_EXAMPLE:g} s",
            median(example) / T_EXAMPLE,
        ),
        row(
            f"facts agree ({', '.join(agreed)})",
            "yes" if not problems else "NO",
            "yes",
            ok=not problems,
        ),
    ]
    if national and dxe is None and not args.no_evaluate:
        rows.append(
            row(
                "dxe-eval's facts at this size",
                "not computed (a second full preparation: --dxe-facts); checked at --size full",
            )
        )
    if w is not None:
        rows.append(
            row(
                "what-if agrees with compare(a, run(b))",
                "yes" if not w["differ"] else "NO",
                "yes",
                ok=not w["differ"],
            )
        )
    text = table(rows)
    print(text)
    print(
        f"\n{f'median of {runs} runs' if runs > 1 else 'one run'}, peak memory the largest; "
        f"{machine()}; {start_load} before, {end_load} after (1, 5, 15 minutes)"
    )
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 1 if problems or (w is not None and w["differ"]) else 0


def generate_row(gen: dict[str, Any], national: bool) -> dict[str, Any]:
    """``dxe-eval generate`` as measured when the data set was cached."""
    target = f"peak ≤ {mb(T_GENERATE)}" if national else ""
    if not gen:
        return row(
            "dxe-eval generate",
            "not measured (cached before the figures were kept: --regenerate)",
            target,
        )
    measured = f"{gen['wall']:.1f} s, {mb(gen['rss'])} peak (on {gen['when']}, {gen['load']})"
    ratio = gen["rss"] / T_GENERATE if national else None
    return row("dxe-eval generate", measured, target, ratio)


def evaluate_rows(
    t: dict[str, float],
    m: dict[str, int],
    size_csv: int,
    national: bool,
    with_evidence: bool,
    json_bytes: int,
    cut: dict[str, float] | None = None,
    light: list[str] | None = None,
) -> list[dict[str, Any]]:
    dxe = t["dxe-eval"]
    flags = " ".join(light or ["--evidence", EVIDENCE])
    rows = []
    rows.append(row("evaluate", f"{dxe:.2f} s, {mb(m['dxe-eval'])}"))
    if "pandas" in t:
        rows.append(
            row(
                "evaluate vs pandas",
                f"{dxe:.2f} s = {dxe / t['pandas']:.2f} × pandas",
                f"≤ {T_PANDAS:g} × pandas",
                dxe / (T_PANDAS * t["pandas"]),
            )
        )
    rows += [
        row(
            "evaluate vs polars",
            f"{dxe:.2f} s = {dxe / t['polars']:.2f} × polars (eager)",
            f"≤ {T_POLARS:g} × polars",
            dxe / (T_POLARS * t["polars"]),
        ),
        row(
            "evaluate vs polars lazy, time",
            f"{dxe:.2f} s = {dxe / t['polars lazy']:.2f} × lazy (in-memory)",
            f"≤ {T_LAZY:g} × lazy",
            dxe / (T_LAZY * t["polars lazy"]),
        ),
        row(
            "evaluate peak memory",
            f"{mb(m['dxe-eval'])} = {m['dxe-eval'] / size_csv:.2f} × CSV",
            f"≤ {T_MEMORY:g} × CSV",
            m["dxe-eval"] / (T_MEMORY * size_csv),
        ),
        row(
            "evaluate vs polars lazy, peak memory",
            f"{mb(m['dxe-eval'])} = {m['dxe-eval'] / m['polars lazy']:.2f} × lazy's "
            f"{mb(m['polars lazy'])}",
            "≤ lazy's peak",
            m["dxe-eval"] / (T_LAZY_MEMORY * m["polars lazy"]),
        ),
    ]
    if national:
        if with_evidence:
            rows.append(
                row(
                    f"JSON with {flags}",
                    mb(json_bytes),
                    f"≤ {mb(T_JSON)}",
                    json_bytes / T_JSON,
                )
            )
        else:
            rows.append(
                row(
                    f"JSON with --evidence {EVIDENCE}",
                    f"not measured (needs --evidence); the JSON with all evidence: "
                    f"{mb(json_bytes)}",
                    f"≤ {mb(T_JSON)}",
                )
            )
    else:
        rows.append(row("JSON", f"{mb(json_bytes)} (all evidence)"))
        if cut is not None:  # the target is the national size's; shown here for its share
            rows.append(
                row(
                    f"JSON with {flags}",
                    f"{mb(cut['bytes'])} = {cut['bytes'] / max(json_bytes, 1):.2f} × all "
                    f"({cut['s']:.2f} s, {mb(int(cut['rss']))})",
                    f"≤ {mb(T_JSON)} at 30M",
                )
            )
    return rows


def growth_rows(
    t: dict[str, float], m: dict[str, int], national: bool, size: str
) -> list[dict[str, Any]]:
    rows = []
    five = f"dxe-eval {GROWTH5}×"
    base = "dxe-eval 1×" if national else "dxe-eval"
    if "dxe-eval 2×" in t:
        g = t["dxe-eval 2×"] / t["dxe-eval"]
        rows.append(
            row("growth, 2× requests and surveys", f"{g:.2f} ×", f"≤ {T_GROWTH:g} ×", g / T_GROWTH)
        )
    if five in t and base in t:
        what = "1M → 5M requests" if national or size == "full" else f"{size} → {GROWTH5}×"
        gt = t[five] / t[base]
        gm = m[five] / m[base]
        rows += [
            row(
                f"growth {what}, time",
                f"{gt:.2f} × ({t[base]:.2f} → {t[five]:.2f} s)",
                f"≤ {T_GROWTH5_TIME:g} ×",
                gt / T_GROWTH5_TIME,
            ),
            row(
                f"growth {what}, peak memory",
                f"{gm:.2f} × ({mb(m[base])} → {mb(m[five])})",
                f"≤ {T_GROWTH5_MEMORY:g} ×",
                gm / T_GROWTH5_MEMORY,
            ),
        ]
    else:
        rows.append(
            row(
                "growth 1M → 5M requests",
                "not run (--no-growth)",
                f"≤ {T_GROWTH5_TIME:g} × time, ≤ {T_GROWTH5_MEMORY:g} × memory",
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
