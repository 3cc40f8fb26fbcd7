#!/usr/bin/env python3
"""A plain pandas script: per-candidate facts from the CSV files of a data set.

Usage: python benchmarks/baseline_pandas.py DATA_DIR OUT.csv

Reads requests, ledger, visits, surveys and projects with ``pandas.read_csv``,
parses the times with an explicit format, counts working days with a per-date
table (``chinese_calendar`` once per date) and writes one row per unit, person
and project (see ``_common.py`` for the facts and who a record counts for). It
is what a careful analyst would write by hand, the yardstick for ``dxe-eval
evaluate``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

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
    req = pd.read_csv(
        d / "requests.csv",
        usecols=[
            "request_id",
            "unit_id",
            "handler_id",
            "project_id",
            "received_at",
            "responded_at",
            "closed_at",
            "outcome",
        ],
        dtype=str,
    )
    for col in ("received_at", "responded_at", "closed_at"):
        req[col] = pd.to_datetime(req[col], format=FMT).dt.normalize()
    ledger = pd.read_csv(d / "ledger.csv", usecols=["request_id", "recorded_on"], dtype=str)
    ledger["recorded_on"] = pd.to_datetime(ledger["recorded_on"], format="%Y-%m-%d")
    visits = pd.read_csv(
        d / "visits.csv", usecols=["request_id", "visited_on", "reached"], dtype=str
    )
    visits["visited_on"] = pd.to_datetime(visits["visited_on"], format="%Y-%m-%d")
    sv = pd.read_csv(
        d / "surveys.csv",
        usecols=[
            "unit_id",
            "handler_id",
            "project_id",
            "request_id",
            "answered_on",
            "rating",
            "appeal_upheld",
        ],
        dtype=str,
    )
    unit_of_project = pd.read_csv(
        d / "projects.csv", usecols=["project_id", "unit_id"], dtype=str
    ).set_index("project_id")["unit_id"]

    # working-day index: cumulative working days, one calendar call per date
    dates = pd.concat(
        [
            req["received_at"],
            req["responded_at"],
            req["closed_at"],
            ledger["recorded_on"],
            visits["visited_on"],
        ]
    ).dropna()
    first, last = dates.min().date(), dates.max().date()
    flags = workday_flags(first, last)
    index = pd.Series(
        pd.Series(list(flags.values()), dtype="int64").cumsum().to_numpy(),
        index=pd.to_datetime(list(flags.keys())),
    )

    def idx(s: pd.Series) -> pd.Series:
        return s.map(index)

    start, end = (pd.Timestamp(x) for x in PERIOD)
    req_all = req
    req = req[(req["received_at"] >= start) & (req["received_at"] <= end)].copy()
    wd = idx(req["responded_at"]) - idx(req["received_at"])
    req["late"] = wd.isna() | (wd > LATE_DAYS)

    first_ledger = ledger.dropna(subset=["request_id"]).groupby("request_id")["recorded_on"].min()
    reached = ~visits["reached"].fillna("").str.strip().str.lower().isin(FALSE_WORDS)
    # a visit is a follow-up from its request's closing date on
    closing = visits["request_id"].map(req_all.set_index("request_id")["closed_at"])
    first_visit = (
        visits[reached & (visits["visited_on"] >= closing)]
        .dropna(subset=["request_id"])
        .groupby("request_id")["visited_on"]
        .min()
    )
    req["ledger_on"] = req["request_id"].map(first_ledger)
    req["visit_on"] = req["request_id"].map(first_visit)
    closed = idx(req["closed_at"])
    delivered = req["outcome"] == "delivered"
    lwd = idx(req["ledger_on"]) - closed
    vwd = idx(req["visit_on"]) - closed
    req["delivered"] = delivered
    req["ledgered"] = delivered & lwd.notna() & (lwd <= LEDGER_DAYS)
    req["visited"] = delivered & vwd.notna() & (vwd <= VISIT_DAYS)
    req["requests"] = 1
    by_request = per_candidate(
        req, unit_of_project, ["requests", "late", "delivered", "ledgered", "visited"]
    )

    sv["answered_on"] = pd.to_datetime(sv["answered_on"], format="%Y-%m-%d")
    # one rating per request: of those answered by the period's end, the latest (then the
    # last row) counts
    considered = sv["request_id"].notna() & (sv["answered_on"] <= end)
    latest = (
        sv[considered]
        .assign(_i=range(int(considered.sum())))
        .sort_values(["answered_on", "_i"])
        .groupby("request_id")
        .tail(1)
        .index
    )
    sv = sv[~considered | sv.index.isin(latest)]
    sv = sv[(sv["answered_on"] >= start) & (sv["answered_on"] <= end)].copy()
    sv["r"] = sv["rating"].str.strip().map(RATINGS)
    upheld = sv["appeal_upheld"].fillna("").str.strip().str.lower().isin(TRUE_WORDS)
    sv = sv[~((sv["r"] <= 2) & upheld)].copy()
    # a response without its own handler or project takes its request's
    of_request = req_all.set_index("request_id")
    for col in ("handler_id", "project_id"):
        sv[col] = sv[col].fillna(sv["request_id"].map(of_request[col]))
    for i in range(1, 6):
        sv[f"r{i}"] = sv["r"] == i
    ratings = per_candidate(sv, unit_of_project, [f"r{i}" for i in range(1, 6)])

    facts = by_request.join(ratings, how="outer").fillna(0).astype("int64").reset_index()
    facts[list(FACTS)].sort_values(["kind", "id"]).to_csv(out, index=False)


def per_candidate(rows: pd.DataFrame, unit_of_project: pd.Series, sums: list[str]) -> pd.DataFrame:
    """``sums`` added up per unit (its own rows and its projects' rows, each row once),
    per person (``handler_id``) and per project; indexed by (kind, id)."""
    project_unit = rows["project_id"].map(unit_of_project)
    also = project_unit.notna() & (project_unit != rows["unit_id"])
    units = pd.concat(
        [rows[["unit_id", *sums]], rows.loc[also, sums].assign(unit_id=project_unit[also])]
    )
    parts = []
    for kind, column, frame in (
        ("unit", "unit_id", units),
        ("person", "handler_id", rows),
        ("project", "project_id", rows),
    ):
        part = frame.groupby(column, sort=False)[sums].sum()  # rows without one: dropped
        part.index = pd.MultiIndex.from_product([[kind], part.index], names=["kind", "id"])
        parts.append(part)
    return pd.concat(parts)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
