#!/usr/bin/env python3
"""Floor (c): the evidence behind every rule result, held three ways — what it costs.

Usage: python benchmarks/floors/evidence.py DATA_DIR --as positions|ids|strings

From the derived rows of floor (b) (made before the clock starts) it builds, for
every candidate, the evidence lists of the built-in rules and thresholds that
name requests or survey responses: ``timeliness`` (late or overdue),
``ledger`` and ``follow-up`` (delivered, not ledgered / followed up in time),
``late-response`` (late), ``not-delivered``, ``satisfaction`` and
``bad-review-rate`` (one list: valid bad ratings) and ``unrectified``; one fused
group-by per candidate kind and record type, a list column per rule:

- ``positions``: the rows' positions in their file (``UInt32``), in polars list
  columns — what an engine keeps until a report asks for ids;
- ``ids``: the record ids themselves (``String``) in polars list columns;
- ``strings``: the ids as Python strings, a tuple per candidate and rule in a
  dict — what ``dxe-eval``'s rule results hold today.

It reports the stage's time, the memory the lists hold (the polars frames'
``estimated_size``, or the Python objects' ``sys.getsizeof``: the dict, its keys,
each tuple and each string; the change in resident memory beside it is only a
hint, as memory freed by polars is reused), and the peak.
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import (
    derived_requests,
    derived_surveys,
    inputs,
    peak,
    per_kind,
    report,
    rss,
    timed,
)

REQUEST_EVIDENCE = {
    "timeliness": pl.col("late") | pl.col("overdue"),
    "ledger": pl.col("delivered") & ~pl.col("ledgered"),
    "follow-up": pl.col("delivered") & ~pl.col("visited"),
    "late-response": pl.col("late"),
    "not-delivered": pl.col("not_delivered"),
}
SURVEY_EVIDENCE = {
    "satisfaction": pl.col("bad"),  # also bad-review-rate's
    "unrectified": pl.col("unrectified"),
}


def lists(req: pl.DataFrame, sv: pl.DataFrame, column: dict[str, str]) -> list[pl.DataFrame]:
    """Per candidate kind and record type, a list column ``ev:<rule>`` per rule of
    ``column`` (``row`` or the record's id) on the rows that rule names."""
    out = []
    for rows, evidence, name in (
        (req, REQUEST_EVIDENCE, "requests"),
        (sv, SURVEY_EVIDENCE, "surveys"),
    ):
        c = pl.col(column[name])
        aggs = [c.filter(where).alias(f"ev:{rule}") for rule, where in evidence.items()]
        out += pl.collect_all(per_kind(rows, aggs))
    return out


def stage(req: pl.DataFrame, sv: pl.DataFrame, how: str) -> tuple[Any, int]:
    """The evidence held ``how``; and how many ids it lists."""
    if how == "positions":
        held = lists(req, sv, {"requests": "row", "surveys": "row"})
    else:
        held = lists(req, sv, {"requests": "request_id", "surveys": "response_id"})
    count = sum(
        int(f.select(pl.exclude("id", "kind").list.len().sum()).sum_horizontal()[0]) for f in held
    )
    if how != "strings":
        return held, count
    python: dict[tuple[str, str, str], tuple[str, ...]] = {}
    for frame in held:
        for rule in frame.columns:
            if rule in ("id", "kind"):
                continue
            kinds, ids, values = frame["kind"], frame["id"], frame[rule].to_list()
            for kind, cid, value in zip(kinds, ids, values, strict=True):
                python[(kind, cid, rule[3:])] = tuple(value)
    return python, count


def held_bytes(held: Any) -> int:
    """What the evidence holds: the polars frames' buffers, or the Python objects' sizes
    (the dict, its keys, each tuple and each string)."""
    if isinstance(held, list):
        return sum(frame.estimated_size() for frame in held)
    size = sys.getsizeof(held)
    for key, ids in held.items():
        size += sys.getsizeof(key) + sum(sys.getsizeof(k) for k in key)
        size += sys.getsizeof(ids) + sum(sys.getsizeof(i) for i in ids)
    return size


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--as", dest="how", choices=("positions", "ids", "strings"), default="positions")
    args = p.parse_args(argv)
    f = inputs(Path(args.data), ("requests", "ledger", "visits", "surveys", "projects"))
    req, sv = pl.collect_all([derived_requests(f), derived_surveys(f)])
    del f
    gc.collect()
    before = rss()
    (held, count), stage_s = timed(lambda: stage(req, sv, args.how))
    gc.collect()
    after = rss()
    report(
        stage="evidence",
        variant=args.how,
        stage_s=stage_s,
        input_rss=before,
        held=held_bytes(held),
        rss_change=after - before,
        peak=peak(),
        ids=count,
    )
    del held


if __name__ == "__main__":
    main()
