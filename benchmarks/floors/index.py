#!/usr/bin/env python3
"""Floor (f): what ``dxe-eval``'s index stage computes (``evidence.derive`` and
``build_evidence``), done as cheaply as polars does it, from typed inputs.

Usage: python benchmarks/floors/index.py DATA_DIR [--check]

From the typed columns (``_shared.typed``, and the requests' ``dispatched_at``
parsed from the CSV: all read before the clock starts) it computes, in one
``collect_all`` of three queries:

- per request: the first ledger date, the first reached visit on or after the
  local closing date and whether one came before it, the local dates of the four
  times (received, dispatched, responded, closed: fixed +08:00 offset), working
  days for received → responded, received → closed, closed → ledger, closed →
  visit by a per-date working-day index table (``_shared.wd_index``), received in
  the period, and completion judged / late against its kind's limit (``[limits]
  completion_days`` of the default ruleset);
- per survey response: one rating per request (the latest answered by the
  period's end, the last in file order among the same day's; the others set
  aside), handler and project taken from the request where empty, bad /
  overturned / satisfied and the working days to rectification;
- per project: the first summary and the first evaluation on or after its
  completion (the others set aside); the sanctions' working days to rectification.

Left out: the candidates as Python objects (``candidates_of``: 27,000
``Candidate``s) and the set-aside rows' reasons as text (the rows are kept, the
text is not made). ``--check`` then prepares the same folder with ``dxe-eval``
(outside the clock) and compares every request's working days and completion
marks, the surveys kept and their handler and project, and every project's first
summary and evaluation. The input is not validated (floors (a) and (e) are):
a row ``dxe-eval`` rejects is in it, so on a data set with rejected rows the check
shows them (the bundled example's one rejected ledger entry: one request's
``ledger_wd``); the 1M set has none.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _shared import (  # noqa: E402
    COMPLETION_DAYS,
    END,
    END_INDEX,
    START,
    peak,
    report,
    rss,
    timed,
    typed,
    wd_index,
)

OFFSET = dt.timedelta(hours=8)  # Asia/Shanghai: one offset since 1992
TIMES = ("received_at", "dispatched_at", "responded_at", "closed_at")


def load(data: Path) -> dict[str, pl.DataFrame]:
    """The typed inputs: what the reader hands the index stage. The times become
    zone-aware (Asia/Shanghai, as ``dxe-eval`` holds them); ``dispatched_at``, not in
    the shared typed columns, is parsed from the CSV here."""
    dispatched = (
        pl.scan_csv(data / "requests.csv", infer_schema=False)
        .select(
            pl.col("dispatched_at")
            .str.strip_chars()
            .str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        )
        .collect()
    )
    req = typed(data, "requests").hstack(dispatched)
    req = req.with_columns(
        (pl.col(c) - OFFSET).dt.replace_time_zone("UTC").dt.convert_time_zone("Asia/Shanghai")
        for c in TIMES
    ).with_row_index("_row")
    names = ("ledger", "visits", "surveys", "projects", "summaries", "evaluations", "sanctions")
    out = {name: typed(data, name) for name in names}
    out["surveys"] = out["surveys"].with_row_index("_row")
    return {"requests": req, **out}


def local_date(col: str) -> pl.Expr:
    """The local date of a zone-aware time, by the fixed offset (no per-row zone lookup)."""
    utc = pl.col(col).dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return (utc + OFFSET).dt.date()


def index(f: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The derived frames: requests, surveys (kept, and set aside), projects, sanctions."""
    ledger_first = (
        f["ledger"]
        .lazy()
        .filter(pl.col("request_id").is_not_null())
        .group_by("request_id")
        .agg(pl.col("recorded_on").min().alias("ledger_on"))
    )
    closing = f["requests"].lazy().select("request_id", local_date("closed_at").alias("_closed"))
    visited = pl.col("visited_on")
    visit_first = (
        f["visits"]
        .lazy()
        .filter(pl.col("reached").fill_null(True) & pl.col("request_id").is_not_null())
        .join(closing, on="request_id", how="inner")
        .group_by("request_id")
        .agg(
            visited.filter(visited >= pl.col("_closed")).min().alias("visit_on"),
            (visited < pl.col("_closed")).fill_null(False).any().alias("visit_early"),
        )
    )
    limit: pl.Expr = pl.lit(max(COMPLETION_DAYS.values()), pl.Int32)
    for kind, days in COMPLETION_DAYS.items():
        limit = pl.when(pl.col("kind") == kind).then(pl.lit(days, pl.Int32)).otherwise(limit)
    withdrawn = (pl.col("outcome") == "withdrawn").fill_null(False)
    open_ = pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)
    over = (END_INDEX - wd_index("received_on")) > limit
    requests = (
        f["requests"]
        .lazy()
        .with_columns(
            local_date(c).alias(c.replace("_at", "_on")) for c in TIMES
        )  # received_on, dispatched_on, responded_on, closed_on
        .join(ledger_first, on="request_id", how="left", maintain_order="left")
        .join(visit_first, on="request_id", how="left", maintain_order="left")
        .with_columns(
            (wd_index("responded_on") - wd_index("received_on")).alias("response_wd"),
            (wd_index("closed_on") - wd_index("received_on")).alias("close_wd"),
            (wd_index("ledger_on") - wd_index("closed_on")).alias("ledger_wd"),
            (wd_index("visit_on") - wd_index("closed_on")).alias("visit_wd"),
            pl.col("visit_early").fill_null(False),
            pl.col("received_on").is_between(START, END).alias("received_in_period"),
        )
        .with_columns(
            (~withdrawn & (~open_ | over)).fill_null(False).alias("completion_judged"),
            (~withdrawn & pl.when(open_).then(over).otherwise(pl.col("close_wd") > limit))
            .fill_null(False)
            .alias("completion_late"),
        )
    )

    # one rating per request: the latest answered by the period's end counts
    rid = pl.col("request_id")
    considered = rid.is_not_null() & (pl.col("answered_on") <= END)
    order = [pl.col("answered_on"), pl.col("_row")]
    keep = (
        f["surveys"]
        .lazy()
        .filter(considered)
        .group_by("request_id")
        .agg(
            pl.col("_row").sort_by(order).last().alias("_keep"),
            pl.col("response_id").sort_by(order).last().alias("superseded_by"),
        )
    )
    of_request = f["requests"].lazy().select("request_id", "handler_id", "project_id")
    bad = pl.col("rating") <= 2
    surveys = (
        f["surveys"]
        .lazy()
        .join(keep, on="request_id", how="left", maintain_order="left")
        .with_columns(
            (considered & pl.col("_keep").is_not_null() & (pl.col("_row") != pl.col("_keep")))
            .fill_null(False)
            .alias("_replaced")
        )
        .join(
            of_request.rename({"handler_id": "_rh", "project_id": "_rp"}),
            on="request_id",
            how="left",
            maintain_order="left",
        )
        .with_columns(
            pl.coalesce("handler_id", "_rh").alias("handler_id"),
            pl.coalesce("project_id", "_rp").alias("project_id"),
            bad.alias("bad"),
            (bad & pl.col("appeal_upheld").fill_null(False)).alias("overturned"),
            (pl.col("rating") >= 3).alias("satisfied"),
            (wd_index("rectified_on") - wd_index("answered_on")).alias("rectify_wd"),
        )
        .drop("_rh", "_rp", "_keep")
    )

    done = f["projects"].lazy().select("project_id", pl.col("completed_on").alias("_done"))

    def first_after(name: str, column: str, alias: str) -> pl.LazyFrame:
        return (
            f[name]
            .lazy()
            .join(done, on="project_id", how="left")
            .filter(pl.col(column) >= pl.col("_done"))  # before completion, or none: set aside
            .group_by("project_id")
            .agg(pl.col(column).min().alias(alias))
        )

    projects = (
        f["projects"]
        .lazy()
        .join(
            first_after("summaries", "submitted_on", "summary_on"),
            on="project_id",
            how="left",
            maintain_order="left",
        )
        .join(
            first_after("evaluations", "evaluated_on", "evaluated_on_first"),
            on="project_id",
            how="left",
            maintain_order="left",
        )
    )
    sanctions = (
        f["sanctions"]
        .lazy()
        .with_columns((wd_index("rectified_on") - wd_index("issued_on")).alias("rectify_wd"))
    )
    req, sv, proj, sanc = pl.collect_all([requests, surveys, projects, sanctions])
    return {
        "requests": req,
        "surveys": sv.filter(~pl.col("_replaced")).drop("_replaced", "superseded_by"),
        "surveys_set_aside": sv.filter(pl.col("_replaced")).drop("_replaced"),
        "projects": proj,
        "sanctions": sanc,
    }


def check(data: Path, out: dict[str, pl.DataFrame]) -> str:
    """Compare with ``dxe-eval``'s own index stage (prepared outside the clock)."""
    from dxe_eval.engine import prepare  # lazy: start-up
    from dxe_eval.manager import get_registry  # lazy: start-up
    from dxe_eval.ruleset import DEFAULT_RULESET, load_ruleset  # lazy: start-up

    registry = get_registry()
    ev = prepare(data, load_ruleset(DEFAULT_RULESET, registry), registry, reuse=False).evidence
    cols = (
        "request_id",
        "response_wd",
        "close_wd",
        "ledger_wd",
        "visit_wd",
        "visit_early",
        "completion_judged",
        "completion_late",
    )
    diffs = []
    theirs = ev.frames["requests"].select(cols).sort("request_id")
    ours = out["requests"].select(cols).sort("request_id")
    if not ours.equals(theirs):
        for c in cols[1:]:
            if not ours[c].equals(theirs[c]):
                n = (ours[c].ne_missing(theirs[c])).sum()
                diffs.append(f"requests.{c} ({n} rows)")
    cols = ("response_id", "handler_id", "project_id", "rectify_wd")
    if (
        not out["surveys"]
        .select(cols)
        .sort("response_id")
        .equals(ev.frames["surveys"].select(cols).sort("response_id"))
    ):
        diffs.append("surveys")
    cols = ("project_id", "summary_on", "evaluated_on_first")
    if (
        not out["projects"]
        .select(cols)
        .sort("project_id")
        .equals(ev.frames["projects"].select(cols).sort("project_id"))
    ):
        diffs.append("projects")
    if diffs:
        raise SystemExit("differs from dxe-eval: " + ", ".join(diffs))
    return (
        f"agrees with dxe-eval: {ours.height:,} requests' working days and completion marks, "
        f"{out['surveys'].height:,} surveys kept, {out['projects'].height:,} projects"
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--check", action="store_true", help="compare with dxe-eval's index after")
    args = p.parse_args(argv)
    data = Path(args.data)
    f = load(data)
    before = rss()
    out, stage_s = timed(lambda: index(f))
    figures = dict(
        stage="index",
        stage_s=stage_s,
        input_rss=before,
        peak=peak(),
        requests=out["requests"].height,
        surveys=out["surveys"].height,
        set_aside=out["surveys_set_aside"].height,
        held=sum(x.estimated_size() for x in out.values()),
    )
    if args.check:
        print(check(data, out), file=sys.stderr)
    report(**figures)


if __name__ == "__main__":
    main()
