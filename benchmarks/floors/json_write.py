#!/usr/bin/env python3
"""Floor (d): write the per-candidate results as JSON, streaming, with orjson.

Usage: python benchmarks/floors/json_write.py DATA_DIR OUT.json [--evidence all|first:N|none]

Before the clock starts it makes what an engine would hand the writer: the facts
of floor (b) and the evidence of floor (c) as row positions in list columns,
joined into one frame of a row per candidate. Then, a batch of candidates at a
time, it turns the positions into record ids (all of them, the first ``N``, or
none; the count always written), formats each result's reason in Chinese and
English from its numbers (cached on the numbers: the same counts recur), and
writes the batch as JSON with orjson: for each candidate its kind and id and
eight results (``timeliness``, ``ledger``, ``follow-up``, ``satisfaction`` and
the thresholds ``late-response``, ``not-delivered``, ``bad-review-rate``,
``unrectified``), each with points or level, maximum, the two reasons, the
evidence and its count. The file is a JSON array, one candidate a line; the
writer holds one batch.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _shared import derived_requests, derived_surveys, inputs, peak, report, rss, timed
from evidence import REQUEST_EVIDENCE, SURVEY_EVIDENCE, lists
from fused_facts import facts

BATCH = 20_000
COUNTS = (
    "requests",
    "late",
    "judged",
    "overdue",
    "delivered",
    "ledgered",
    "visited",
    "not_delivered",
    "valid",
    "satisfied",
    "r3",
    "r4",
    "r5",
    "bad",
    "unrectified",
)


def pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "—"


@functools.lru_cache(maxsize=1 << 16)
def share(
    good: int,
    whole: int,
    points: float,
    what: str,
    good_zh: str,
    what_en: str,
    limit: str,
    limit_en: str,
) -> tuple[float, str, str]:
    got = round(points * good / whole, 2) if whole else 0.0
    return (
        got,
        f"{good_zh} {good} / {what} {whole}（{pct(good, whole)}），{points:g} × "
        f"{pct(good, whole)} = {got:g} 分；{limit}",
        f"{good} of {whole} {what_en} ({pct(good, whole)}): {got:g} points ({limit_en})",
    )


@functools.lru_cache(maxsize=1 << 16)
def timeliness(late: int, n: int, overdue: int, judged: int) -> tuple[float, str, str]:
    def part(k: int, m: int, most: float) -> tuple[float, str]:
        if not m:
            return 0.0, "—"
        got = round(max(0.0, most * (1 - (100 * k / m) / 20)), 2)
        return got, f"{k} / {m}（{pct(k, m)}），{most:g} × (1 − {pct(k, m)} ÷ 20%) = {got:g}"

    r, rz = part(late, n, 14.0)
    c, cz = part(overdue, judged, 6.0)
    got = round(r + c, 2)
    return (
        got,
        f"响应（14 分）：超时 {rz}；办结（6 分）：超期 {cz}；合计 {got:g} 分",
        f"response (14): late {late} of {n}; completion (6): overdue {overdue} of "
        f"{judged}: {got:g} points",
    )


@functools.lru_cache(maxsize=1 << 16)
def level(
    bad: int, n: int, what: str, what_en: str, bands: tuple[float, ...]
) -> tuple[str | None, str, str]:
    rate = 100 * bad / n if n else 0.0
    found = None
    for name, at in zip(("warning", "rectify", "criticize"), bands, strict=True):
        if n >= 10 and rate > at:
            found = name
    return (
        found,
        f"{what} {bad} / {n}（{pct(bad, n)}）",
        f"{what_en} {bad} of {n} ({pct(bad, n)})",
    )


def results(
    c: dict[str, Any], ev: dict[str, list[str]], counts: dict[str, int]
) -> list[dict[str, Any]]:
    g = {k: int(c.get(k) or 0) for k in COUNTS}
    out = []

    def add(rule: str, points: Any, most: float | None, zh: str, en: str, key: str) -> None:
        out.append(
            {
                "rule": rule,
                "points": points,
                "max": most,
                "reason": zh,
                "reason_en": en,
                "evidence": ev[key],
                "evidence_count": counts[key],
            }
        )

    p, zh, en = timeliness(g["late"], g["requests"], g["overdue"], g["judged"])
    add("timeliness", p, 20.0, zh, en, "timeliness")
    p, zh, en = share(
        g["ledgered"],
        g["delivered"],
        8.0,
        "已办结服务需求",
        "按时登记台账",
        "delivered requests ledgered in time",
        "时限：办结后 5 个工作日内登记台账",
        "within 5 working days of closing",
    )
    add("ledger", p, 8.0, zh, en, "ledger")
    p, zh, en = share(
        g["visited"],
        g["delivered"],
        10.0,
        "已办结服务需求",
        "按时回访",
        "delivered requests followed up in time",
        "时限：办结后 3 个工作日内回访",
        "a reached visit within 3 working days of closing",
    )
    add("follow-up", p, 10.0, zh, en, "follow-up")
    satisfied = g["r3"] + g["r4"] + g["r5"]
    p, zh, en = share(
        satisfied,
        g["valid"],
        15.0,
        "有效评价",
        "满意（含基本满意）",
        "valid ratings satisfied",
        f"非常满意 {g['r5']}，满意 {g['r4']}",
        "five levels",
    )
    add("satisfaction", p, 15.0, zh, en, "satisfaction")
    for rule, bad, n, what, what_en, bands, key in (
        (
            "late-response",
            g["late"],
            g["requests"],
            "响应超时",
            "late responses",
            (5.0, 10.0, 20.0),
            "late-response",
        ),
        (
            "not-delivered",
            g["not_delivered"],
            g["requests"],
            "服务不落实",
            "not delivered",
            (3.0, 5.0, 10.0),
            "not-delivered",
        ),
        (
            "bad-review-rate",
            g["bad"],
            g["valid"],
            "差评",
            "bad ratings",
            (2.0, 5.0, 10.0),
            "satisfaction",
        ),
        (
            "unrectified",
            g["unrectified"],
            g["bad"],
            "差评逾期未整改",
            "bad ratings not rectified",
            (0.0, 0.0, 100.0),
            "unrectified",
        ),
    ):
        found, zh, en = level(bad, n, what, what_en, bands)
        add(rule, found, None, zh, en, key)
    return out


def batches(table: pl.DataFrame, ids: dict[str, pl.Series], limit: int | None) -> Iterator[bytes]:
    """The candidates as JSON, a batch at a time (``limit``: ids kept per list; 0: none)."""
    rules = [*REQUEST_EVIDENCE, *SURVEY_EVIDENCE]
    of = {
        **dict.fromkeys(REQUEST_EVIDENCE, "requests"),
        **dict.fromkeys(SURVEY_EVIDENCE, "surveys"),
    }
    for start in range(0, table.height, BATCH):
        part = table.slice(start, BATCH)
        counts = {r: part[f"ev:{r}"].list.len().fill_null(0).to_list() for r in rules}
        named: dict[str, list[list[str]]] = {}
        for r in rules:
            listed = part[f"ev:{r}"]
            kept = listed if limit is None else listed.list.head(limit)
            lengths = kept.list.len().fill_null(0).to_list()
            flat = ids[of[r]].gather(kept.explode().drop_nulls()).to_list()
            cut, pos = [], 0
            for n in lengths:
                cut.append(flat[pos : pos + n])
                pos += n
            named[r] = cut
        rows = part.select("kind", "id", *COUNTS).to_dicts()
        lines = []
        for i, c in enumerate(rows):
            ev = {r: named[r][i] for r in rules}
            n = {r: counts[r][i] for r in rules}
            lines.append(
                orjson.dumps(
                    {"kind": c["kind"], "candidate_id": c["id"], "rules": results(c, ev, n)}
                )
            )
        yield b",\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("out")
    p.add_argument("--evidence", default="all", help="all, first:N or none")
    args = p.parse_args(argv)
    limit = (
        None
        if args.evidence == "all"
        else 0
        if args.evidence == "none"
        else int(args.evidence.split(":", 1)[1])
    )
    f = inputs(Path(args.data))
    req, sv = pl.collect_all([derived_requests(f), derived_surveys(f)])
    table = facts(f)
    held = lists(req, sv, {"requests": "row", "surveys": "row"})  # three kinds each
    for frames in (held[:3], held[3:]):
        table = table.join(pl.concat(frames), on=["kind", "id"], how="left")
    ids = {"requests": f["requests"]["request_id"], "surveys": f["surveys"]["response_id"]}
    del f, req, sv
    before = rss()

    def write() -> int:
        size = 0
        with open(args.out, "wb") as out:
            out.write(b"[\n")
            first = True
            for chunk in batches(table, ids, limit):
                if not first:
                    out.write(b",\n")
                out.write(chunk)
                size += len(chunk)
                first = False
            out.write(b"\n]\n")
        return Path(args.out).stat().st_size

    size, stage_s = timed(write)
    report(
        stage="json",
        variant=f"evidence {args.evidence}",
        stage_s=stage_s,
        input_rss=before,
        peak=peak(),
        bytes=size,
        candidates=table.height,
    )


if __name__ == "__main__":
    main()
