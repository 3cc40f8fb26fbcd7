#!/usr/bin/env python3
"""The floors: what each stage of an evaluation costs at the least, at 1M and 30M requests,
beside the lazy polars script.

Usage::

    python benchmarks/floors/run.py [--size full] [--size national] [--stage a|b|c|d ...]
                                    [--markdown FILE] [--json FILE]

Each stage is a script of its own in this folder, doing only that stage, run as
its own process under ``benchmarks/_measure.py`` (its peak resident memory) and
reporting its stage's own time on its last line:

- (a) ``read_validate.py``: read the requests CSV and check every cell, with a
  named rejection possible (in-memory engine, streaming engine, and the streaming
  engine's batches kept as they come);
- (b) ``fused_facts.py``: every per-candidate fact of the built-in rules,
  thresholds and the commendation, one fused query per record type (one
  group-by per candidate kind, or the rows made once per candidate first, as
  ``dxe-eval`` attributes them);
- (c) ``evidence.py``: the evidence lists as row positions or ids in polars list
  columns, or as Python strings;
- (d) ``json_write.py``: the per-candidate results as JSON with orjson, streaming,
  with all evidence, the first 20 ids of each list, or none;
- (e) ``read_validate_others.py``: the other twelve CSV files read and checked as (a)
  checks the requests, one lazy query per file;
- (f) ``index.py``: what ``dxe-eval``'s index stage computes (first ledger entry and
  visit, local dates, working days, completion marks, one rating per request, the
  surveys' handler and project, the projects' first summary and evaluation);
- (g) ``score_commend.py``: every rule's points, the totals and the three
  commendation lists as polars expressions over (b)'s facts, no reason text;
- (s) start-up: a fresh Python importing polars, and polars with pluggy, attrs,
  cattrs and pendulum (``dxe-eval``'s imports before any work).

The sum of the floors of a whole evaluation (start-up + a + e + f + b + c + g + d,
with ``--evidence first:20`` and with ``all``) is printed under the table, beside
2 × the lazy script (in-memory): the time is the sum of the stages' own times; the
peak is the largest of theirs (each holds its own input: a lower bound, not a sum).

(b)–(d), (f) and (g) start from typed columns made once per data set (``_shared.typed``) and
read before their clock starts: their peak includes the input they work on
(shown as "input"). The data sets are ``benchmarks/run.py``'s, generated and
cached by it. Run one size at a time on a shared machine: at 30M some stages
hold several GB. A stage that fails or is killed is shown as not measured, with
its peak when it ended, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from run import dataset, load, machine, mb  # noqa: E402

STAGES: dict[str, list[tuple[str, list[str]]]] = {
    "a": [
        ("read+validate requests, in-memory", ["read_validate.py", "{data}"]),
        ("read+validate requests, streaming", ["read_validate.py", "{data}", "--streaming"]),
        ("read+validate requests, batched", ["read_validate.py", "{data}", "--batched"]),
    ],
    "b": [
        ("facts, one group-by per kind", ["fused_facts.py", "{data}"]),
        (
            "facts, attributed rows (dxe-eval's way)",
            ["fused_facts.py", "{data}", "--attribution", "concat"],
        ),
    ],
    "c": [
        ("evidence as positions (list[u32])", ["evidence.py", "{data}", "--as", "positions"]),
        ("evidence as ids (list[str])", ["evidence.py", "{data}", "--as", "ids"]),
        ("evidence as Python strings", ["evidence.py", "{data}", "--as", "strings"]),
    ],
    "d": [
        ("JSON, all evidence", ["json_write.py", "{data}", "{out}", "--evidence", "all"]),
        (
            "JSON, --evidence first:20",
            ["json_write.py", "{data}", "{out}", "--evidence", "first:20"],
        ),
        ("JSON, no evidence ids", ["json_write.py", "{data}", "{out}", "--evidence", "none"]),
    ],
    "e": [("read+validate the other twelve files", ["read_validate_others.py", "{data}"])],
    "f": [("index (derive, build_evidence)", ["index.py", "{data}"])],
    "g": [("score + commend in columns", ["score_commend.py", "{data}"])],
    "s": [
        ("start-up: import polars", ["-c", "import polars"]),
        (
            "start-up: import polars, pluggy, attrs, cattrs, pendulum",
            ["-c", "import polars, pluggy, attrs, cattrs, pendulum"],
        ),
    ],
}
#: the floors of a whole evaluation, summed: start-up + a + e + f + b + c + g + d
WHOLE = [
    "start-up: import polars, pluggy, attrs, cattrs, pendulum",
    "read+validate requests, in-memory",
    "read+validate the other twelve files",
    "index (derive, build_evidence)",
    "facts, attributed rows (dxe-eval's way)",
    "evidence as positions (list[u32])",
    "score + commend in columns",
]
WHOLE_JSON = {"first:20": "JSON, --evidence first:20", "all": "JSON, all evidence"}
BASELINES = [
    ("lazy polars script, in-memory", ["baseline_polars_lazy.py", "{data}", "{csv}"]),
    (
        "lazy polars script, streaming",
        ["baseline_polars_lazy.py", "--streaming", "{data}", "{csv}"],
    ),
]


def run(cmd: list[str], *, must: bool = True) -> dict[str, Any]:
    """Run a script under ``_measure.py``: its wall time, peak, and its stage's figures.

    A stage that fails (at 30M one may not fit beside the machine's other work, and be
    killed) raises when ``must``; otherwise its figures say how it ended (``code``)."""
    out = subprocess.run(
        [sys.executable, str(HERE.parent / "_measure.py"), sys.executable, *cmd],
        capture_output=True,
        text=True,
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    if figures.get("code") != 0:
        if must:
            raise RuntimeError(
                f"{' '.join(cmd)} exited {figures.get('code')}: {out.stderr[-2000:]}"
            )
        figures["error"] = out.stderr.strip().splitlines()[-1:] or [""]
        return figures
    stage = [line for line in out.stderr.splitlines() if line.startswith('{"stage"')]
    if stage:
        figures.update(json.loads(stage[-1]))
    return figures


def detail(f: dict[str, Any]) -> str:
    """What else a stage reports: the input it held, what it keeps, how much it wrote."""
    parts = []
    if "input_rss" in f and f["stage"] != "read+validate requests":
        parts.append(f"input {mb(f['input_rss'])}")
    if f.get("stage") == "evidence":
        parts.append(f"{f['ids']:,} ids held in {mb(f['held'])}")
    if f.get("stage") == "read+validate requests":
        parts.append(
            f"{f['rows']:,} rows, {f['rejected_cells']} rejected cells; the typed "
            f"rows held: {mb(f['held'])}"
        )
    if f.get("stage") == "facts":
        parts.append(f"{f['candidates']:,} candidates × {f['columns'] - 2} facts")
    if f.get("stage") == "json":
        parts.append(f"{mb(f['bytes'])} for {f['candidates']:,} candidates")
    if f.get("stage") == "read+validate others":
        parts.append(
            f"{f['rows']:,} rows, {f['rejected_cells']} rejected cells, "
            f"{f.get('blanked_rows', 0)} rows with a cell left empty; the typed rows "
            f"held: {mb(f['held'])}"
        )
    if f.get("stage") == "index":
        parts.append(
            f"{f['requests']:,} requests, {f['surveys']:,} surveys kept "
            f"({f['set_aside']:,} set aside); held {mb(f['held'])}"
        )
    if f.get("stage") == "score+commend":
        parts.append(
            f"{f['candidates']:,} candidates, {f['eligible']:,} eligible, {f['listed']:,} listed"
        )
    return "; ".join(parts)


def whole(raw: dict[str, Any], size: str) -> list[str]:
    """The floors of a whole evaluation summed (time) and their largest peak, beside
    2 × the lazy script; empty when a part was not measured in this run."""
    lines = []
    lazy = raw.get(f"{size}: lazy polars script, in-memory")
    for evidence, json_label in WHOLE_JSON.items():
        parts = [raw.get(f"{size}: {label}") for label in (*WHOLE, json_label)]
        if any(p is None or p["code"] != 0 for p in parts):
            continue
        t = sum(p.get("stage_s", p["wall"]) for p in parts)  # type: ignore[union-attr]
        top = max(p["rss"] for p in parts)  # type: ignore[index]
        line = f"{size}: the floor of a whole evaluation (--evidence {evidence}): {t:.2f} s"
        line += f", largest stage peak {mb(top)}"
        if lazy is not None and lazy["code"] == 0:
            line += (
                f"; 2 × the lazy script (in-memory) {2 * lazy['wall']:.2f} s: "
                f"{t / lazy['wall']:.2f} × the lazy script"
            )
        lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", action="append", choices=("tiny", "small", "full", "national"))
    p.add_argument("--stage", action="append", choices=tuple(STAGES))
    p.add_argument("--no-baseline", action="store_true")
    p.add_argument("--markdown", metavar="FILE")
    p.add_argument("--json", metavar="FILE")
    args = p.parse_args(argv)
    sizes = args.size or ["full", "national"]
    stages = args.stage or list(STAGES)

    def log(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    raw: dict[str, Any] = {}
    cells: dict[str, dict[str, str]] = {}  # label → size → "time, peak; detail"
    for size in sizes:
        data, _ = dataset(size, log=log)
        log(f"{size}: typed inputs ({load()})")
        prep = run([str(HERE / "_shared.py"), str(data)])
        log(f"{size}: typed inputs ready in {prep['wall']:.1f} s")
        out = data.parent / f"{data.name}.floor.json"
        csv = data.parent / f"{data.name}.floor.csv"
        todo = [] if args.no_baseline else list(BASELINES)
        todo += [item for s in stages for item in STAGES[s]]
        for label, script in todo:
            cmd = [
                script[0]
                if script[0] == "-c"
                else str(HERE.parent / script[0])
                if script[0].startswith("baseline")
                else str(HERE / script[0]),
                *(a.format(data=data, out=out, csv=csv) for a in script[1:]),
            ]
            before = load()
            f = run(cmd, must=False)
            f["load"] = f"{before} before, {load()} after"
            raw[f"{size}: {label}"] = f
            if f["code"] != 0:
                how = (
                    f"killed by signal {-f['code']}"
                    if f["code"] < 0
                    else f"exited {f['code']}: {f['error'][0][:120]}"
                )
                cells.setdefault(label, {})[size] = (
                    f"not measured | {mb(f['rss'])} when it ended | {how} after {f['wall']:.0f} s"
                )
                log(f"{size} {label}: not measured, {how} ({f['load']})")
                continue
            t = f.get("stage_s", f["wall"])
            note = detail(f) if "stage" in f else "the whole script"
            cells.setdefault(label, {})[size] = f"{t:.2f} s | {mb(f['rss'])} | {note}"
            log(f"{size} {label}: {t:.2f} s, {mb(f['rss'])} ({f['load']})")
        for leftover in (out, csv):
            if leftover.exists():
                os.unlink(leftover)
    heads = ["stage"] + [f"{s} {h}" for s in sizes for h in ("time", "peak", "notes")]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for label, by_size in cells.items():
        lines.append(f"| {label} | " + " | ".join(by_size.get(s, " | | ") for s in sizes) + " |")
    sums = [line for size in sizes for line in whole(raw, size)]
    text = "\n".join(lines) + ("\n\n" + "\n".join(sums) if sums else "")
    print(text)
    print(f"\n{machine()}; one run each")
    if args.markdown:
        Path(args.markdown).write_text(text + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    return 1 if any(f["code"] != 0 for f in raw.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
