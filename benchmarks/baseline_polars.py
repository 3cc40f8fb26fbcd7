#!/usr/bin/env python3
"""A plain polars script: the same per-candidate facts as ``baseline_pandas.py``.

Usage: python benchmarks/baseline_polars.py DATA_DIR OUT.csv
"""

from __future__ import annotations

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

FMT = "%Y-%m-%d %H:%M:%S"


def main(data: str, out: str) -> None:
    d = Path(data)
    req = pl.scan_csv(d / "requests.csv", infer_schema=False).select(
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
    ledger = pl.scan_csv(d / "ledger.csv", infer_schema=False).select(
        "request_id", pl.col("recorded_on").str.strptime(pl.Date, "%Y-%m-%d")
    )
    visits = pl.scan_csv(d / "visits.csv", infer_schema=False).select(
        "request_id",
        pl.col("visited_on").str.strptime(pl.Date, "%Y-%m-%d"),
        pl.col("reached")
        .str.strip_chars()
        .str.to_lowercase()
        .is_in(list(FALSE_WORDS))
        .fill_null(False)
        .not_()
        .alias("ok"),
    )
    unit_of_project = pl.scan_csv(d / "projects.csv", infer_schema=False).select(
        "project_id", pl.col("unit_id").alias("project_unit")
    )
    req, ledger, visits, unit_of_project = pl.collect_all([req, ledger, visits, unit_of_project])
    dates = pl.concat(
        [
            req["received_at"],
            req["responded_at"],
            req["closed_at"],
            ledger["recorded_on"],
            visits["visited_on"],
        ]
    ).drop_nulls()
    flags = workday_flags(dates.min(), dates.max())
    table = pl.DataFrame({"d": list(flags.keys()), "i": list(flags.values())}).with_columns(
        pl.col("i").cast(pl.Int64).cum_sum()
    )

    def idx(col: str) -> pl.Expr:
        return pl.col(col).replace_strict(
            table["d"], table["i"], default=None, return_dtype=pl.Int64
        )

    first_ledger = (
        ledger.drop_nulls("request_id")
        .group_by("request_id")
        .agg(pl.col("recorded_on").min().alias("ledger_on"))
    )
    # a visit is a follow-up from its request's closing date on
    first_visit = (
        visits.filter("ok")
        .drop_nulls("request_id")
        .join(req.select("request_id", pl.col("closed_at").alias("_closed")), on="request_id")
        .filter(pl.col("visited_on") >= pl.col("_closed"))
        .group_by("request_id")
        .agg(pl.col("visited_on").min().alias("visit_on"))
    )
    start, end = PERIOD
    wd = idx("responded_at") - idx("received_at")
    lwd = idx("ledger_on") - idx("closed_at")
    vwd = idx("visit_on") - idx("closed_at")
    delivered = pl.col("outcome") == "delivered"
    by_request = per_candidate(
        req.lazy()
        .filter(pl.col("received_at").is_between(start, end))
        .join(first_ledger.lazy(), on="request_id", how="left")
        .join(first_visit.lazy(), on="request_id", how="left")
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
    of_request = req.lazy().select(
        "request_id", pl.col("handler_id").alias("_h"), pl.col("project_id").alias("_p")
    )
    # one rating per request: of those answered by the period's end, the latest (then the
    # last row) counts
    considered = pl.col("request_id").is_not_null() & (pl.col("answered_on") <= end)
    last = pl.col("_i").sort_by("answered_on", "_i").last().over("request_id", "_c")
    ratings = per_candidate(
        pl.scan_csv(d / "surveys.csv", infer_schema=False)
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
    facts = (
        by_request.join(ratings, on=["kind", "id"], how="full", coalesce=True)
        .with_columns(pl.exclude("kind", "id").fill_null(0).cast(pl.Int64))
        .select(FACTS)
        .sort("kind", "id")
        .collect()
    )
    facts.write_csv(out)


def per_candidate(
    rows: pl.LazyFrame, unit_of_project: pl.DataFrame, sums: list[str]
) -> pl.LazyFrame:
    """``sums`` added up per unit (its own rows and its projects' rows, each row once),
    per person (``handler_id``) and per project, as (kind, id, sums...)."""
    rows = rows.join(unit_of_project.lazy(), on="project_id", how="left")
    also = pl.col("project_unit").is_not_null() & (pl.col("project_unit") != pl.col("unit_id"))
    units = pl.concat(
        [
            rows.select("unit_id", *sums),
            rows.filter(also).select(pl.col("project_unit").alias("unit_id"), *sums),
        ]
    )
    parts = [
        frame.drop_nulls(column)
        .group_by(column)
        .agg(pl.col(sums).sum())
        .select(pl.lit(kind).alias("kind"), pl.col(column).alias("id"), *sums)
        for kind, column, frame in (
            ("unit", "unit_id", units),
            ("person", "handler_id", rows),
            ("project", "project_id", rows),
        )
    ]
    return pl.concat(parts)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
