#!/usr/bin/env python3
"""Floor (a): read the requests CSV and check every cell the contract has, with a named
rejection possible for each, in one lazy query.

Usage: python benchmarks/floors/read_validate.py DATA_DIR [--streaming]

The cheapest query found that does what ``dxe-eval``'s reader must do for the
largest file: every cell of the eleven columns stripped and parsed (ids as
text, the four times as ``Datetime`` in Asia/Shanghai through the fixed +08:00
offset, ``kind`` and ``outcome`` with their Chinese and English words to an
``Enum``), and checked: required cells present, times and choices that do not
parse, years outside 1900–2100, ``unit_id``, ``handler_id`` and ``project_id``
among the units, people and projects (their id columns read too), a
``request_id`` seen before in the file, and the three row checks (dispatched,
responded and closed not before received). It collects one result of one
query: every row typed with a bit for each problem found; then the accepted rows
(without a copy when none is rejected) and, for the rows with a problem, one
line per bad cell (file row, column and reason) — made only for those rows, so
a clean file pays for the test, not for the text. ``--streaming`` collects with polars'
streaming engine; ``--batched`` takes the streaming engine's batches as they come and
keeps them as the chunks of one frame (the duplicate ids checked over the whole
column after).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import peak, report, rss, timed

FMT = "%Y-%m-%d %H:%M:%S"
OFFSET = dt.timedelta(hours=8)  # Asia/Shanghai has had no summer time since 1991
TZ = "Asia/Shanghai"
FIRST = dt.datetime(1900, 1, 1)
AFTER = dt.datetime(2101, 1, 1)
KINDS = {
    "咨询": ("consult", "inquiry"),
    "求助": ("help",),
    "建议": ("suggestion",),
    "投诉": ("complaint",),
    "举报": ("report",),
    "服务": ("service",),
}
OUTCOMES = {
    "delivered": ("已办结", "办结", "已落实", "落实", "已完成"),
    "not_delivered": ("未落实", "不落实", "未办结", "服务不落实"),
    "withdrawn": ("已撤回", "撤回", "撤销"),
    "open": ("办理中", "在办", "未办结中", "处理中"),
}
TIMES = ("received_at", "dispatched_at", "responded_at", "closed_at")
IDS = ("request_id", "unit_id", "handler_id", "project_id")
REQUIRED = ("request_id", "unit_id", "received_at")
DUPLICATE = "request_id duplicate"


def _words(choices: dict[str, tuple[str, ...]]) -> dict[str, str]:
    out = {}
    for value, words in choices.items():
        for w in (value, *words):
            out[w] = value
            out[w.lower()] = value
    return out


def _time(name: str) -> pl.Expr:
    naive = pl.col(name).str.strptime(pl.Datetime("us"), FMT, strict=False, cache=False)
    naive = pl.when((naive >= FIRST) & (naive < AFTER)).then(naive)
    return (naive - OFFSET).dt.replace_time_zone("UTC").dt.convert_time_zone(TZ).alias(name)


def _choice(name: str, choices: dict[str, tuple[str, ...]]) -> pl.Expr:
    enum = pl.Enum(list(choices))
    return (
        pl.col(name)
        .str.to_lowercase()
        .replace_strict(_words(choices), default=None, return_dtype=pl.String)
        .cast(enum)
        .alias(name)
    )


def query(data: Path, *, duplicates: bool = True) -> tuple[pl.LazyFrame, list[str]]:
    """Every row typed, with ``_bad``: a bit for each problem found (the list's order).
    ``duplicates=False`` leaves the duplicate-id bit to :func:`mark_duplicates` (a batch
    sees only its own rows)."""

    def ids(name: str, column: str) -> pl.Series:
        return (
            pl.scan_csv(data / f"{name}.csv", infer_schema=False)
            .select(pl.col(column).str.strip_chars())
            .collect()
            .to_series()
        )

    units, people, projects = (
        ids("units", "unit_id"),
        ids("people", "person_id"),
        ids("projects", "project_id"),
    )
    text = (
        pl.scan_csv(data / "requests.csv", infer_schema=False)
        .with_row_index("row", offset=2)  # the file's row: the header is row 1
        # stripped, and an empty cell is a missing one (the reader makes an empty field
        # null; a cell of spaces only becomes empty here)
        .with_columns(pl.exclude("row").str.strip_chars())
        .with_columns(pl.when(pl.exclude("row").str.len_bytes() > 0).then(pl.exclude("row")))
    )
    parsed = text.with_columns(
        *(_time(c).alias(f"_{c}") for c in TIMES),
        _choice("kind", KINDS).alias("_kind"),
        _choice("outcome", OUTCOMES).alias("_outcome"),
    )
    bad: dict[str, pl.Expr] = {}
    for c in REQUIRED:
        bad[f"{c} missing"] = pl.col(c).is_null()
    for c in (*TIMES, "kind", "outcome"):
        bad[f"{c} unreadable"] = pl.col(c).is_not_null() & pl.col(f"_{c}").is_null()
    for c, known in (("unit_id", units), ("handler_id", people), ("project_id", projects)):
        bad[f"{c} unknown"] = pl.col(c).is_not_null() & ~pl.col(c).is_in(known.implode())
    bad[DUPLICATE] = (
        (pl.col("request_id").is_not_null() & ~pl.col("request_id").is_first_distinct())
        if duplicates
        else pl.lit(False)
    )
    for c in ("dispatched_at", "responded_at", "closed_at"):
        bad[f"{c} before received_at"] = (pl.col(f"_{c}") < pl.col("_received_at")).fill_null(False)
    # every check of a row as one bit of an integer: the text of a reason is made later,
    # for the rows that have one
    mask = pl.sum_horizontal(
        pl.when(check).then(pl.lit(1 << i, pl.UInt32)).otherwise(pl.lit(0, pl.UInt32))
        for i, check in enumerate(bad.values())
    )
    return parsed.select(
        "row",
        *IDS,
        *(pl.col(f"_{c}").alias(c) for c in TIMES),
        "channel",
        pl.col("_kind").alias("kind"),
        pl.col("_outcome").alias("outcome"),
        mask.alias("_bad"),
    ), list(bad)


def mark_duplicates(rows: pl.DataFrame, problems: list[str]) -> pl.DataFrame:
    """Set the duplicate-id bit over all the rows (after reading in batches)."""
    bit = 1 << problems.index(DUPLICATE)
    dup = rows["request_id"].is_not_null() & ~rows["request_id"].is_first_distinct()
    if not dup.any():
        return rows
    return rows.with_columns(
        pl.when(dup).then(pl.col("_bad") | bit).otherwise(pl.col("_bad")).alias("_bad")
    )


def split(rows: pl.DataFrame, problems: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The accepted rows (no copy when none is rejected), and one line per bad cell."""
    flagged = rows.filter(pl.col("_bad") != 0)
    accepted = (
        rows.drop("_bad") if flagged.is_empty() else rows.filter(pl.col("_bad") == 0).drop("_bad")
    )
    rejected = (
        flagged.select(
            "row",
            pl.lit(problems).alias("problem"),
            pl.lit(list(range(len(problems)))).alias("bit"),
        )
        .explode("problem", "bit")
        .join(flagged.select("row", "_bad"), on="row")
        .filter(
            (pl.col("_bad") // (pl.lit(2, pl.UInt32) ** pl.col("bit").cast(pl.UInt32))) % 2 == 1
        )
        .select("row", "problem")
    )
    return accepted, rejected


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--streaming", action="store_true")
    p.add_argument(
        "--batched",
        action="store_true",
        help="collect in batches (streaming engine); duplicates checked after",
    )
    args = p.parse_args(argv)
    engine = "batched" if args.batched else "streaming" if args.streaming else "in-memory"
    before = rss()

    def stage() -> tuple[pl.DataFrame, pl.DataFrame]:
        if args.batched:  # the streaming engine's batches, kept as the chunks of one frame
            rows, problems = query(Path(args.data), duplicates=False)
            batches = list(rows.collect_batches(engine="streaming"))
            frame = mark_duplicates(pl.concat(batches, rechunk=False), problems)
            return split(frame, problems)
        rows, problems = query(Path(args.data))
        return split(rows.collect(engine=engine), problems)

    (accepted, rejected), stage_s = timed(stage)
    report(
        stage="read+validate requests",
        variant=engine,
        stage_s=stage_s,
        input_rss=before,
        peak=peak(),
        held=accepted.estimated_size(),
        rows=accepted.height + rejected["row"].n_unique(),
        accepted=accepted.height,
        rejected_cells=rejected.height,
    )


if __name__ == "__main__":
    main()
