"""What the floor experiments share: typed inputs, working days, the derived request and
survey columns, and how a stage reports itself.

The stages after reading (facts, evidence, JSON) start from the typed columns a
reader would hand over. They are made once per data set from its CSV files (the
cheapest parse, no checks: that is stage (a)'s cost, measured on its own) and
kept as Arrow IPC files beside the data set (``<data set>.typed/``); a stage
reads them whole into memory before its clock starts, so its time is the stage's
own and its peak memory includes the input it works on, as it would in
``dxe-eval``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
from _common import FALSE_WORDS, PERIOD, RATINGS, TRUE_WORDS, workday_flags  # noqa: E402

FMT = "%Y-%m-%d %H:%M:%S"
START, END = PERIOD
YEAR_FIRST = dt.date(START.year - 1, 1, 1)
YEAR_LAST = dt.date(END.year + 1, 12, 31)
# the default ruleset's parameters (rulesets/hubei-2022.toml)
RESPONSE_DAYS = 2  # timeliness, late-response
LEDGER_DAYS = 5
VISIT_DAYS = 3
SUMMARY_DAYS = 30  # calendar days
RECTIFY_DAYS = 5  # unrectified: a 差评 within 5 working days
SANCTION_DAYS = 15
COMPLETION_DAYS = {"咨询": 3, "求助": 7, "建议": 7, "投诉": 15, "举报": 15, "服务": 15}

S, D, T, B, R = "str", "date", "datetime", "bool", "rating"
#: the columns each record type hands on, and their types
COLUMNS: dict[str, dict[str, str]] = {
    "units": {"unit_id": S, "category": S},
    "people": {"person_id": S, "unit_id": S},
    "projects": {
        "project_id": S,
        "unit_id": S,
        "leader_id": S,
        "listed_in": S,
        "deadline": D,
        "completed_on": D,
    },
    "capabilities": {"item_id": S, "unit_id": S, "standard": S},
    "requests": {
        "request_id": S,
        "unit_id": S,
        "received_at": T,
        "handler_id": S,
        "project_id": S,
        "kind": S,
        "responded_at": T,
        "closed_at": T,
        "outcome": S,
    },
    "ledger": {"request_id": S, "recorded_on": D},
    "supervision": {
        "item_id": S,
        "unit_id": S,
        "project_id": S,
        "assigned_on": D,
        "due_on": D,
        "closed_on": D,
    },
    "summaries": {"project_id": S, "submitted_on": D},
    "visits": {"request_id": S, "visited_on": D, "reached": B},
    "surveys": {
        "response_id": S,
        "unit_id": S,
        "handler_id": S,
        "project_id": S,
        "request_id": S,
        "answered_on": D,
        "rating": R,
        "appeal_upheld": B,
        "rectified_on": D,
    },
    "evaluations": {"project_id": S, "evaluated_on": D},
    "media": {
        "item_id": S,
        "unit_id": S,
        "project_id": S,
        "tier": S,
        "published_on": D,
        "url": S,
        "title": S,
    },
    "sanctions": {"candidate_id": S, "level": S, "issued_on": D, "rectified_on": D},
}


def _parse(name: str, kind: str) -> pl.Expr:
    c = pl.col(name).str.strip_chars()
    if kind == D:
        return c.str.strptime(pl.Date, "%Y-%m-%d").alias(name)
    if kind == T:
        return c.str.strptime(pl.Datetime("us"), FMT).alias(name)
    if kind == B:
        low = c.str.to_lowercase()
        return (
            pl.when(low.is_in(list(TRUE_WORDS)))
            .then(True)
            .when(low.is_in(list(FALSE_WORDS)))
            .then(False)
            .otherwise(None)
        ).alias(name)
    if kind == R:
        return c.replace_strict(RATINGS, default=None, return_dtype=pl.Int8).alias(name)
    return c.alias(name)


def typed(data: Path, name: str) -> pl.DataFrame:
    """The record type's typed columns (made from the CSV file once, then read from IPC)."""
    cache = data.parent / f"{data.name}.typed" / f"{name}.arrow"
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        cols = COLUMNS[name]
        frame = (
            pl.scan_csv(data / f"{name}.csv", infer_schema=False)
            .select(_parse(c, k) for c, k in cols.items())
            .collect()
        )
        tmp = cache.with_suffix(".tmp")
        frame.write_ipc(tmp, compression="uncompressed")
        tmp.replace(cache)
    return pl.read_ipc(cache)


def inputs(data: Path, names: tuple[str, ...] = tuple(COLUMNS)) -> dict[str, pl.DataFrame]:
    return {name: typed(data, name) for name in names}


# ---------------------------------------------------------------------------
# working days: one table of cumulative counts, one lookup per row
# ---------------------------------------------------------------------------

_flags = workday_flags(YEAR_FIRST, YEAR_LAST)
CUM = pl.Series("cum", list(_flags.values()), dtype=pl.Int32).cum_sum()
BASE = (YEAR_FIRST - dt.date(1970, 1, 1)).days


def wd_index(col: str | pl.Expr) -> pl.Expr:
    """The working-day index of a date (outside the table every day counts, as in
    ``dxe_eval.calendar.WorkdayTable``)."""
    e = pl.col(col) if isinstance(col, str) else col
    days = e.cast(pl.Int32) - BASE
    clipped = days.clip(0, len(CUM) - 1)
    return pl.lit(CUM).gather(clipped) + (days - clipped)


END_INDEX = int(CUM[(END - YEAR_FIRST).days])


def in_period(col: str) -> pl.Expr:
    """The date (or a time's date) falls in the period."""
    c = pl.col(col).dt.date() if col.endswith("_at") else pl.col(col)
    return c.is_between(START, END)


# ---------------------------------------------------------------------------
# the derived rows: every flag a rule or threshold counts, once per row
# ---------------------------------------------------------------------------


def derived_requests(f: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """Requests received in the period, with their row position, who they count for and
    every flag the rules and thresholds count (evidence.derive, mark_completion, and the
    rules' expressions, in one query)."""
    first_ledger = (
        f["ledger"]
        .lazy()
        .drop_nulls("request_id")
        .group_by("request_id")
        .agg(pl.col("recorded_on").min().alias("ledger_on"))
    )
    # a visit is a follow-up from the (local) closing date on, as dxe-eval's index has it
    closing = f["requests"].lazy().select("request_id", pl.col("closed_at").dt.date().alias("_c"))
    first_visit = (
        f["visits"]
        .lazy()
        .filter(pl.col("reached").fill_null(True))
        .drop_nulls("request_id")
        .join(closing, on="request_id", how="inner")
        .filter(pl.col("visited_on") >= pl.col("_c"))
        .group_by("request_id")
        .agg(pl.col("visited_on").min().alias("visit_on"))
    )
    project_unit = (
        f["projects"].lazy().select("project_id", pl.col("unit_id").alias("project_unit"))
    )
    limit: pl.Expr = pl.lit(max(COMPLETION_DAYS.values()), pl.Int32)
    for kind, days in COMPLETION_DAYS.items():
        limit = pl.when(pl.col("kind") == kind).then(pl.lit(days, pl.Int32)).otherwise(limit)
    received = wd_index(pl.col("received_at").dt.date())
    response_wd = wd_index(pl.col("responded_at").dt.date()) - received
    close_wd = wd_index(pl.col("closed_at").dt.date()) - received
    closed_idx = wd_index(pl.col("closed_at").dt.date())
    ledger_wd = wd_index("ledger_on") - closed_idx
    visit_wd = wd_index("visit_on") - closed_idx
    withdrawn = (pl.col("outcome") == "withdrawn").fill_null(False)
    open_ = pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)
    over = (END_INDEX - received) > limit
    late = response_wd.is_null() | (response_wd > RESPONSE_DAYS)
    judged = (~withdrawn & (~open_ | over)).fill_null(False)
    overdue = (~withdrawn & pl.when(open_).then(over).otherwise(close_wd > limit)).fill_null(False)
    delivered = (pl.col("outcome") == "delivered").fill_null(False)
    nd = (pl.col("outcome") == "not_delivered").fill_null(False)
    return (
        f["requests"]
        .lazy()
        .with_row_index("row")
        .filter(in_period("received_at"))
        .join(first_ledger, on="request_id", how="left", maintain_order="left")
        .join(first_visit, on="request_id", how="left", maintain_order="left")
        .join(project_unit, on="project_id", how="left", maintain_order="left")
        .select(
            "row",
            "request_id",
            "unit_id",
            "handler_id",
            "project_id",
            pl.when(pl.col("project_unit") != pl.col("unit_id"))
            .then("project_unit")
            .alias("project_unit"),
            late.alias("late"),
            judged.alias("judged"),
            overdue.alias("overdue"),
            (~judged & ~withdrawn).alias("pending"),
            withdrawn.alias("withdrawn"),
            delivered.alias("delivered"),
            (delivered & (ledger_wd <= LEDGER_DAYS).fill_null(False)).alias("ledgered"),
            (delivered & (visit_wd <= VISIT_DAYS).fill_null(False)).alias("visited"),
            # the threshold not-delivered (as dxe-eval's): its cases are the judged requests
            # and those not delivered; its bad ones those not delivered or overdue
            (~withdrawn & (judged | nd)).alias("nd_cases"),
            (~withdrawn & (judged | nd) & (nd | overdue)).alias("not_delivered"),
        )
    )


REQUEST_COUNTS = (
    "late",
    "judged",
    "overdue",
    "pending",
    "withdrawn",
    "delivered",
    "ledgered",
    "visited",
    "not_delivered",
    "nd_cases",
)


def derived_surveys(f: Mapping[str, pl.DataFrame]) -> pl.LazyFrame:
    """Survey responses answered in the period with their request's handler and project
    where they name none, and every flag counted (satisfaction, bad-review-rate,
    unrectified, the commendation's measures)."""
    of_request = (
        f["requests"]
        .lazy()
        .select("request_id", pl.col("handler_id").alias("_h"), pl.col("project_id").alias("_p"))
    )
    project_unit = (
        f["projects"].lazy().select("project_id", pl.col("unit_id").alias("project_unit"))
    )
    answered = wd_index("answered_on")
    open_wd = END_INDEX - answered
    rectify_wd = wd_index("rectified_on") - answered
    bad = pl.col("rating") <= 2
    overturned = bad & pl.col("appeal_upheld").fill_null(False)
    valid = ~overturned
    late = (
        bad
        & valid
        & (
            (pl.col("rectified_on").is_null() & (open_wd > RECTIFY_DAYS))
            | (rectify_wd > RECTIFY_DAYS)
        )
    )
    return (
        f["surveys"]
        .lazy()
        .with_row_index("row")
        .filter(in_period("answered_on"))
        .join(of_request, on="request_id", how="left", maintain_order="left")
        .with_columns(
            pl.coalesce("handler_id", "_h").alias("handler_id"),
            pl.coalesce("project_id", "_p").alias("project_id"),
        )
        .join(project_unit, on="project_id", how="left", maintain_order="left")
        .select(
            "row",
            "response_id",
            "unit_id",
            "handler_id",
            "project_id",
            pl.when(pl.col("project_unit") != pl.col("unit_id"))
            .then("project_unit")
            .alias("project_unit"),
            valid.alias("valid"),
            overturned.alias("overturned"),
            *((valid & (pl.col("rating") == r)).alias(f"r{r}") for r in range(1, 6)),
            (valid & (pl.col("rating") >= 3)).alias("satisfied"),
            (valid & bad).alias("bad"),
            late.alias("unrectified"),
        )
    )


SURVEY_COUNTS = (
    "valid",
    "overturned",
    "r1",
    "r2",
    "r3",
    "r4",
    "r5",
    "satisfied",
    "bad",
    "unrectified",
)

#: who a request or survey response counts for: the unit, its project's unit when that is
#: another, the handler, the project
KEYS = (
    ("unit", "unit_id"),
    ("unit", "project_unit"),
    ("person", "handler_id"),
    ("project", "project_id"),
)


def per_kind(rows: pl.DataFrame | pl.LazyFrame, aggs: list[pl.Expr]) -> list[pl.LazyFrame]:
    """``aggs`` per candidate, one group-by per candidate kind over the rows that count for
    it (a unit's rows: its own, and its projects' when another unit's)."""
    lazy = rows.lazy()
    units = pl.concat(
        [
            lazy.select(pl.col("unit_id").alias("id"), pl.exclude("unit_id", "project_unit")),
            lazy.filter(pl.col("project_unit").is_not_null()).select(
                pl.col("project_unit").alias("id"), pl.exclude("unit_id", "project_unit")
            ),
        ]
    )
    out = [units.group_by("id").agg(aggs).with_columns(pl.lit("unit").alias("kind"))]
    for kind, column in (("person", "handler_id"), ("project", "project_id")):
        out.append(
            lazy.filter(pl.col(column).is_not_null())
            .group_by(pl.col(column).alias("id"))
            .agg(aggs)
            .with_columns(pl.lit(kind).alias("kind"))
        )
    return out


def concat_attributed(rows: pl.DataFrame | pl.LazyFrame) -> pl.LazyFrame:
    """The rows once for each candidate they count for, as ``(kind, id, …)`` (dxe-eval's
    ``Evidence.attributed``)."""
    lazy = rows.lazy()
    drop = ("unit_id", "handler_id", "project_id", "project_unit")
    parts = [
        lazy.filter(pl.col(column).is_not_null()).select(
            pl.lit(kind).alias("kind"), pl.col(column).alias("id"), pl.exclude(*drop)
        )
        for kind, column in KEYS
    ]
    return pl.concat(parts)


# ---------------------------------------------------------------------------
# reporting
# ---------------------------------------------------------------------------


def rss() -> int:
    """The process's resident memory now (bytes)."""
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - start


def report(**figures: Any) -> None:
    """The stage's figures as one JSON line on stdout (the runner reads the last line)."""
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":  # python _shared.py DATA_DIR: make the typed inputs (once)
    for record_type in COLUMNS:
        typed(Path(sys.argv[1]), record_type)
