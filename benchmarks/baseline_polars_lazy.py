#!/usr/bin/env python3
"""A fully lazy polars script: the same per-candidate facts as ``baseline_polars.py``, as
one query from ``scan_csv`` to the facts, collected once.

Usage: python benchmarks/baseline_polars_lazy.py [--streaming] DATA_DIR OUT.csv

``baseline_polars.py`` reads the five files it needs into memory first (the
requests are used twice: for their own facts and to give a survey response its
request's handler and project) and builds its working-day table from the dates it
read. This script never holds a file: working days come from a table of the
years around the period (``chinese_calendar`` once per date, as ``dxe-eval``
builds it), and the whole computation is one lazy query, collected by polars'
in-memory engine or, with ``--streaming``, by its streaming engine. Who a record
counts for is ``baseline_polars.per_candidate``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    FACTS,
    FALSE_WORDS,
    LATE_DAYS,
    LEDGER_DAYS,
    PERIOD,
    RATINGS,
    TRUE_WORDS,
    VISIT_DAYS,
    workday_flags,
)
from baseline_polars import per_candidate

FMT = "%Y-%m-%d %H:%M:%S"


def workday_index(first: dt.date, last: dt.date) -> tuple[pl.Series, int]:
    """Cumulative working days for each date from ``first`` to ``last``, and ``first``'s
    day number: the index of a date is ``cum[d - base]``."""
    flags = workday_flags(first, last)
    cum = pl.Series("cum", list(flags.values()), dtype=pl.Int64).cum_sum()
    return cum, (first - dt.date(1970, 1, 1)).days


def facts_query(data: Path) -> pl.LazyFrame:
    start, end = PERIOD
    cum, base = workday_index(dt.date(start.year - 1, 1, 1), dt.date(end.year + 1, 12, 31))

    def idx(col: str) -> pl.Expr:
        # dates outside the table count every day (as dxe-eval's table does)
        days = pl.col(col).cast(pl.Int64) - base
        clipped = days.clip(0, len(cum) - 1)
        return pl.lit(cum).gather(clipped) + (days - clipped)

    req = pl.scan_csv(data / "requests.csv", infer_schema=False).select(
        "request_id",
        "unit_id",
        "handler_id",
        "project_id",
        *(
            pl.col(c).str.strptime(pl.Datetime, FMT).dt.date().alias(c)
            for c in ("received_at", "responded_at", "closed_at")
        ),
        "outcome",
    )
    first_ledger = (
        pl.scan_csv(data / "ledger.csv", infer_schema=False)
        .select("request_id", pl.col("recorded_on").str.strptime(pl.Date, "%Y-%m-%d"))
        .drop_nulls("request_id")
        .group_by("request_id")
        .agg(pl.col("recorded_on").min().alias("ledger_on"))
    )
    first_visit = (
        pl.scan_csv(data / "visits.csv", infer_schema=False)
        .filter(
            pl.col("reached")
            .str.strip_chars()
            .str.to_lowercase()
            .is_in(list(FALSE_WORDS))
            .fill_null(False)
            .not_()
        )
        .select("request_id", pl.col("visited_on").str.strptime(pl.Date, "%Y-%m-%d"))
        .drop_nulls("request_id")
        # a visit is a follow-up from its request's closing date on
        .join(req.select("request_id", pl.col("closed_at").alias("_closed")), on="request_id")
        .filter(pl.col("visited_on") >= pl.col("_closed"))
        .group_by("request_id")
        .agg(pl.col("visited_on").min().alias("visit_on"))
    )
    unit_of_project = pl.scan_csv(data / "projects.csv", infer_schema=False).select(
        "project_id", pl.col("unit_id").alias("project_unit")
    )
    wd = idx("responded_at") - idx("received_at")
    lwd = idx("ledger_on") - idx("closed_at")
    vwd = idx("visit_on") - idx("closed_at")
    delivered = pl.col("outcome") == "delivered"
    by_request = per_candidate(
        req.filter(pl.col("received_at").is_between(start, end))
        .join(first_ledger, on="request_id", how="left")
        .join(first_visit, on="request_id", how="left")
        .with_columns(
            pl.lit(1).alias("requests"),
            (wd.is_null() | (wd > LATE_DAYS)).alias("late"),
            delivered.alias("delivered"),
            (delivered & (lwd <= LEDGER_DAYS).fill_null(False)).alias("ledgered"),
            (delivered & (vwd <= VISIT_DAYS).fill_null(False)).alias("visited"),
        ),
        unit_of_project,
        ["requests", "late", "delivered", "ledgered", "visited"],
    )
    r = (
        pl.col("rating")
        .str.strip_chars()
        .replace_strict(RATINGS, default=None, return_dtype=pl.Int64)
    )
    upheld = (
        pl.col("appeal_upheld")
        .str.strip_chars()
        .str.to_lowercase()
        .is_in(list(TRUE_WORDS))
        .fill_null(False)
    )
    of_request = req.select(
        "request_id", pl.col("handler_id").alias("_h"), pl.col("project_id").alias("_p")
    )
    # one rating per request: of those answered by the period's end, the latest (then the
    # last row) counts
    considered = pl.col("request_id").is_not_null() & (pl.col("answered_on") <= end)
    last = pl.col("_i").sort_by("answered_on", "_i").last().over("request_id", "_c")
    ratings = per_candidate(
        pl.scan_csv(data / "surveys.csv", infer_schema=False)
        .with_row_index("_i")
        .with_columns(pl.col("answered_on").str.strptime(pl.Date, "%Y-%m-%d"), r.alias("r"))
        .with_columns(considered.alias("_c"))
        .filter(~pl.col("_c") | (pl.col("_i") == last))
        .filter(pl.col("answered_on").is_between(start, end) & ~((pl.col("r") <= 2) & upheld))
        # a response without its own handler or project takes its request's
        .join(of_request, on="request_id", how="left")
        .with_columns(
            pl.coalesce("handler_id", "_h").alias("handler_id"),
            pl.coalesce("project_id", "_p").alias("project_id"),
            *((pl.col("r") == i).alias(f"r{i}") for i in range(1, 6)),
        ),
        unit_of_project,
        [f"r{i}" for i in range(1, 6)],
    )
    return (
        by_request.join(ratings, on=["kind", "id"], how="full", coalesce=True)
        .with_columns(pl.exclude("kind", "id").fill_null(0).cast(pl.Int64))
        .select(FACTS)
        .sort("kind", "id")
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--streaming", action="store_true", help="polars' streaming engine")
    p.add_argument("data")
    p.add_argument("out")
    args = p.parse_args(argv)
    engine = "streaming" if args.streaming else "in-memory"
    facts_query(Path(args.data)).collect(engine=engine).write_csv(args.out)


if __name__ == "__main__":
    main()
