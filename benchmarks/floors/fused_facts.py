#!/usr/bin/env python3
"""Floor (b): every per-candidate fact the built-in rules, thresholds and the commendation
read, in one fused query per record type.

Usage: python benchmarks/floors/fused_facts.py DATA_DIR [--attribution per-kind|concat]
       [--out FACTS.csv]

From the typed columns (``_shared.typed``, read before the clock starts) it
computes, per candidate (unit, person, project): for requests received in the
period (one group-by over the derived rows: first ledger entry and first reached
visit per request by one group-by each, working days by a per-date table) the
counts of ``timeliness`` (requests, late, judged, overdue, pending, withdrawn),
``ledger`` and ``follow-up`` (delivered, ledgered, visited), the thresholds
``late-response`` and ``not-delivered`` and the commendation's caseload; for
survey responses answered in the period those of ``satisfaction`` (valid,
overturned, r1–r5, satisfied), ``bad-review-rate``, ``unrectified`` and the
commendation's ratings; the small record types' facts (``standard``,
``supervision``, ``summary``, ``evaluation``, ``key-projects``, ``publicity``,
``media-bonus``, ``escalation``, sanctions of ``unrectified``); and the peer-group
pools of ``timeliness`` and ``satisfaction``. Counts only: the evidence lists are
floor (c).

``--attribution per-kind`` (the default) groups the derived rows once per
candidate kind (a unit's rows are its own and its projects' of another unit);
``concat`` first makes the rows once for each candidate they count for, as
``dxe-eval``'s ``Evidence.attributed`` does, and groups them once by (kind, id).
``--out`` writes the facts that ``_common.FACTS`` names, to check them against the
baseline scripts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import (
    END,
    END_INDEX,
    REQUEST_COUNTS,
    SANCTION_DAYS,
    START,
    SUMMARY_DAYS,
    SURVEY_COUNTS,
    concat_attributed,
    derived_requests,
    derived_surveys,
    in_period,
    inputs,
    peak,
    per_kind,
    report,
    rss,
    timed,
    wd_index,
)

TIER_POINTS = {"national": 3.0, "provincial": 1.5, "industry": 0.0, "city": 0.0}
MEDIA_CAP = 5.0
LEVEL_RANK = {"warning": 0, "rectify": 1, "criticize": 2}


def _grouped(rows: pl.LazyFrame, aggs: list[pl.Expr], attribution: str) -> pl.LazyFrame:
    if attribution == "concat":
        return concat_attributed(rows).group_by("kind", "id").agg(aggs)
    return pl.concat(per_kind(rows, aggs), how="diagonal_relaxed")


def _small(f: Mapping[str, pl.DataFrame]) -> list[pl.LazyFrame]:
    """The record types that grow with units and projects: each one group-by."""
    projects = f["projects"].lazy()
    done_on = projects.select("project_id", pl.col("completed_on").alias("_done"))

    def first_after(name: str, column: str) -> pl.LazyFrame:
        # one dated before its project's completion (or of a project not completed) is
        # set aside, as dxe-eval's index has it
        return (
            f[name]
            .lazy()
            .join(done_on, on="project_id", how="inner")
            .filter(pl.col(column) >= pl.col("_done"))
            .group_by("project_id")
            .agg(pl.col(column).min().alias("summary_on" if name == "summaries" else column))
        )

    summary_on = first_after("summaries", "submitted_on")
    evaluated_on = first_after("evaluations", "evaluated_on")
    done = pl.col("completed_on").is_not_null() & in_period("completed_on")
    gap = (pl.col("summary_on") - pl.col("completed_on")).dt.total_days()
    key = (pl.col("listed_in") == "key").fill_null(False)
    due = key & pl.col("deadline").is_not_null() & in_period("deadline")
    proj = (
        projects.join(summary_on, on="project_id", how="left")
        .join(evaluated_on, on="project_id", how="left")
        .with_columns(
            done.fill_null(False).alias("done"),
            (done & pl.col("summary_on").is_not_null() & (gap <= SUMMARY_DAYS))
            .fill_null(False)
            .alias("summarised"),
            (done & pl.col("evaluated_on").is_not_null()).fill_null(False).alias("evaluated"),
            (pl.col("completed_on").is_null() | (pl.col("completed_on") > END)).alias("not_yet"),
            due.fill_null(False).alias("key_due"),
            (due & (pl.col("completed_on") <= pl.col("deadline")))
            .fill_null(False)
            .alias("key_on_time"),
            (key & pl.col("deadline").is_null()).alias("key_undated"),
        )
    )
    proj_aggs = [
        pl.col("done").sum().alias("completed"),
        pl.col("summarised").sum(),
        pl.col("evaluated").sum(),
        pl.col("key_due").sum(),
        pl.col("key_on_time").sum(),
        pl.col("key_undated").sum(),
    ]
    by_project = (
        proj.group_by(pl.col("project_id").alias("id"))
        .agg(*proj_aggs, pl.col("not_yet").any())
        .with_columns(pl.lit("project").alias("kind"))
    )
    by_unit = (
        proj.group_by(pl.col("unit_id").alias("id"))
        .agg(proj_aggs)
        .with_columns(pl.lit("unit").alias("kind"))
    )
    by_leader = (
        proj.filter(pl.col("leader_id").is_not_null())
        .group_by(pl.col("leader_id").alias("id"))
        .agg(proj_aggs)
        .with_columns(pl.lit("person").alias("kind"))
    )

    project_unit = projects.select("project_id", pl.col("unit_id").alias("project_unit"))

    def with_projects(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.join(project_unit, on="project_id", how="left").with_columns(
            # another unit's project, or a row naming no unit (media): counts for its unit
            pl.when(pl.col("project_unit").ne_missing(pl.col("unit_id")))
            .then("project_unit")
            .alias("project_unit"),
            pl.lit(None, pl.String).alias("handler_id"),
        )

    closed = pl.col("closed_on").is_not_null()
    on_time = closed & (pl.col("closed_on") <= pl.col("due_on"))
    late = (closed & (pl.col("closed_on") > pl.col("due_on"))) | (
        ~closed & (pl.col("due_on") < END)
    )
    supervision = pl.concat(
        per_kind(
            with_projects(f["supervision"].lazy().filter(in_period("assigned_on"))),
            [
                (on_time | late).sum().alias("supervision_counted"),
                on_time.sum().alias("supervision_on_time"),
                (~(on_time | late)).sum().alias("supervision_pending"),
            ],
        ),
        how="diagonal_relaxed",
    )
    standard = pl.col("standard").fill_null("") != ""
    capabilities = (
        f["capabilities"]
        .lazy()
        .group_by(pl.col("unit_id").alias("id"))
        .agg(
            pl.len().alias("capability_items"),
            standard.sum().alias("with_standard"),
        )
        .with_columns(pl.lit("unit").alias("kind"))
    )
    url = pl.col("url").fill_null("")
    title = pl.col("title").fill_null("")
    media = with_projects(
        f["media"]
        .lazy()
        .filter(in_period("published_on"))
        .with_columns(
            pl.when(url != "")
            .then(pl.lit("url:") + url)
            .when(title != "")
            .then(pl.lit("title:") + title)
            .otherwise(pl.lit("id:") + pl.col("item_id"))
            .alias("story"),
            pl.col("tier")
            .replace_strict(TIER_POINTS, default=0.0, return_dtype=pl.Float64)
            .alias("value"),
        )
    )
    stories = (
        concat_attributed(media)
        .group_by("kind", "id", "story")
        .agg(pl.col("value").max(), pl.len().alias("items"))
    )
    media_facts = stories.group_by("kind", "id").agg(
        pl.col("items").sum().alias("media_items"),
        pl.col("value").sum().clip(upper_bound=MEDIA_CAP).alias("media_bonus"),
    )
    sanctions = f["sanctions"].lazy()
    rank = pl.col("level").replace_strict(LEVEL_RANK, default=-1, return_dtype=pl.Int8)
    open_wd = END_INDEX - wd_index("issued_on")
    rectify_wd = wd_index("rectified_on") - wd_index("issued_on")
    overdue = (pl.col("level") == "rectify") & (
        (pl.col("rectified_on").is_null() & (open_wd > SANCTION_DAYS))
        | (rectify_wd > SANCTION_DAYS)
    )
    escalation = (
        sanctions.filter(pl.col("issued_on") < START)
        .group_by(pl.col("candidate_id").alias("id"))
        .agg(
            pl.col("level").sort_by("issued_on", rank).last().alias("last_level"),
        )
        .with_columns(pl.lit("unit").alias("kind"))
    )
    unrectified = (
        sanctions.filter(pl.col("issued_on") <= END)
        .group_by(pl.col("candidate_id").alias("id"))
        .agg(overdue.sum().alias("sanctions_overdue"))
        .with_columns(pl.lit("unit").alias("kind"))
    )
    projects_facts = pl.concat([by_project, by_unit, by_leader], how="diagonal_relaxed")
    return [projects_facts, supervision, capabilities, media_facts, escalation, unrectified]


def facts(f: Mapping[str, pl.DataFrame], attribution: str = "per-kind") -> pl.DataFrame:
    """One row per candidate with every fact (null: none of that record type)."""
    req_aggs = [pl.len().alias("requests"), *(pl.col(c).sum() for c in REQUEST_COUNTS)]
    sv_aggs = [pl.col(c).sum() for c in SURVEY_COUNTS]
    req = derived_requests(f)
    sv = derived_surveys(f)
    if attribution == "per-kind":  # the derived rows made once, read by each kind's group-by
        req_rows, sv_rows = pl.collect_all([req, sv])
        req, sv = req_rows.lazy(), sv_rows.lazy()
    parts = [_grouped(req, req_aggs, attribution), _grouped(sv, sv_aggs, attribution), *_small(f)]
    collected = pl.collect_all(parts)
    out = collected[0].select("kind", "id", pl.exclude("kind", "id"))
    for part in collected[1:]:
        out = out.join(part, on=["kind", "id"], how="full", coalesce=True)
    # the peer groups' pools (timeliness, satisfaction): sums over kind and category
    units = f["units"].select(pl.col("unit_id"), "category")
    groups = pl.concat(
        [
            units.select(pl.lit("unit").alias("kind"), pl.col("unit_id").alias("id"), "category"),
            f["people"]
            .join(units, on="unit_id")
            .select(pl.lit("person").alias("kind"), pl.col("person_id").alias("id"), "category"),
            f["projects"]
            .join(units, on="unit_id")
            .select(pl.lit("project").alias("kind"), pl.col("project_id").alias("id"), "category"),
        ]
    )
    pooled = ("requests", "late", "judged", "overdue", "valid", "satisfied")
    return out.join(groups, on=["kind", "id"], how="left").with_columns(
        pl.col(c).sum().over("kind", "category").alias(f"pool_{c}") for c in pooled
    )


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--attribution", choices=("per-kind", "concat"), default="per-kind")
    p.add_argument("--out", help="write the facts of _common.FACTS to this CSV file")
    args = p.parse_args(argv)
    f, load_s = timed(lambda: inputs(Path(args.data)))
    held = rss()
    out, stage_s = timed(lambda: facts(f, args.attribution))
    report(
        stage="facts",
        variant=args.attribution,
        stage_s=stage_s,
        load_s=load_s,
        input_rss=held,
        peak=peak(),
        candidates=out.height,
        columns=out.width,
    )
    if args.out:
        cols = {
            "requests": "requests",
            "late": "late",
            **{f"r{i}": f"r{i}" for i in range(1, 6)},
            "delivered": "delivered",
            "ledgered": "ledgered",
            "visited": "visited",
        }
        (
            out.select(
                "kind",
                "id",
                *(pl.col(c).fill_null(0).cast(pl.Int64).alias(v) for c, v in cols.items()),
            )
            .filter(pl.any_horizontal(pl.exclude("kind", "id") != 0))
            .sort("kind", "id")
            .write_csv(args.out)
        )


if __name__ == "__main__":
    main()
