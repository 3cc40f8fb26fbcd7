#!/usr/bin/env python3
"""Floor (e): read the OTHER twelve CSV files (all but the requests) and check every cell
the contract has, with a named rejection possible for each, one lazy query per file.

Usage: python benchmarks/floors/read_validate_others.py DATA_DIR [--streaming] [--check]

Done the way floor (a) (``read_validate.py``) does the requests: per file one
lazy query in which every cell of the contract's columns is stripped (an empty
cell is a missing one) and parsed — dates (years 1900–2100), whole numbers,
yes/no words, ratings, choices with their Chinese and English words (the units'
category a choice of the ruleset's peer groups, as ``dxe-eval`` makes it) — and
checked: required cells present, required cells that do not parse (an optional
cell that does not parse is left empty, its row kept, with a bit in ``_blanked``,
as ``dxe-eval`` blanks it), references to units,
people, projects, requests (and the sanctions' to any candidate) among the ids
accepted before, ids seen before in the file, each type's ``RowCheck`` (a date
not before another of the row) and ``RefCheck`` (a date not before the local date
the referenced request was received). A bit per problem; the line per bad cell
is made only for the flagged rows (``read_validate.split``).

The columns, types, choices, required flags and checks are taken from
``dxe_eval.records`` (the registry's built-in record types), so nothing of the
contract is left out; the query is written here. The files are validated in the
order references need: units, people, projects first, then the rest. The
requests' ids and received times are the input (``_shared.typed``, read before
the clock starts, as (b)–(d) take theirs): floor (a) reads them.

``--check`` then reads the same folder with ``dxe-eval``'s own reader (outside
the clock) and compares, per record type, the rows accepted and the file rows
rejected.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tomllib
from pathlib import Path

import attrs
import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _shared import peak, report, rss, timed, typed  # noqa: E402
from read_validate import split  # noqa: E402

from dxe_eval.records import BUILTIN_RECORD_TYPES  # noqa: E402
from dxe_eval.schema import (  # noqa: E402
    FALSE_WORDS,
    FIRST_YEAR,
    LAST_YEAR,
    RATING_LEVELS,
    TRUE_WORDS,
    Column,
    RecordType,
)

RULESET = HERE.parent.parent / "rulesets" / "hubei-2022.toml"
FIRST = dt.date(FIRST_YEAR, 1, 1)
LAST = dt.date(LAST_YEAR, 12, 31)
#: validated in this order: a type's references are to types before it
ORDER = (
    "units",
    "people",
    "projects",
    "capabilities",
    "ledger",
    "supervision",
    "summaries",
    "visits",
    "surveys",
    "evaluations",
    "media",
    "sanctions",
)
CANDIDATE_TYPES = ("units", "people", "projects")


def record_types() -> dict[str, RecordType]:
    """The built-in record types, the units' category a choice of the ruleset's peer groups."""
    categories = tomllib.loads(RULESET.read_text(encoding="utf-8"))["peer_groups"]["categories"]
    out = {rt.name: rt for rt in BUILTIN_RECORD_TYPES}
    units = out["units"]
    out["units"] = attrs.evolve(
        units,
        columns=tuple(
            attrs.evolve(c, type="choice", choices={v: v for v in categories})
            if c.name == "category"
            else c
            for c in units.columns
        ),
    )
    return out


def _words(column: Column) -> dict[str, object]:
    """Every accepted word, lower-cased, and the value it stands for."""
    if column.type == "bool":
        return {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
    if column.type == "rating":
        return (
            dict(RATING_LEVELS)
            | {str(i): i for i in range(1, 6)}
            | {f"{i}.0": i for i in range(1, 6)}
        )
    return {k.lower(): v for k, v in column.choices.items()}


def parsed(column: Column) -> pl.Expr | None:
    """The typed value of a column's stripped text (``None``: kept as text)."""
    t = pl.col(column.name)
    kind = column.type
    if kind == "date":
        d = t.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
        return pl.when(d.is_between(FIRST, LAST)).then(d)
    if kind == "datetime":
        x = t.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False, cache=False)
        x = pl.when((x.dt.year() >= FIRST_YEAR) & (x.dt.year() <= LAST_YEAR)).then(x)
        off = dt.timedelta(hours=8)  # Asia/Shanghai: one offset since 1992
        return (x - off).dt.replace_time_zone("UTC").dt.convert_time_zone("Asia/Shanghai")
    if kind == "int":
        ok = t.str.contains(r"^[+-]?\d{1,15}(\.0*)?$").fill_null(False)
        whole = pl.when(ok).then(t.str.replace(r"\.0*$", "")).cast(pl.Int64, strict=False)
        return pl.when(whole >= 0).then(whole)
    if kind == "float":
        return t.cast(pl.Float64, strict=False)
    if kind in ("bool", "choice", "rating"):
        words = _words(column)
        dtype: pl.DataType = (
            pl.Boolean()
            if kind == "bool"
            else pl.Int8()
            if kind == "rating"
            else pl.Enum(sorted(set(column.choices.values())))
        )
        low = t.str.to_lowercase() if kind != "rating" else t
        return low.replace_strict(
            words, default=None, return_dtype=pl.Boolean() if kind == "bool" else None
        ).cast(dtype)
    return None


def query(
    data: Path,
    rt: RecordType,
    known: dict[str, pl.Series],
    received: pl.DataFrame,
) -> tuple[pl.LazyFrame, list[str]]:
    """Every row of ``rt``'s file typed, with ``_bad``: a bit per problem (the list's order)."""
    scan = pl.scan_csv(data / f"{rt.name}.csv", infer_schema=False)
    header = set(scan.collect_schema())
    columns = [c for c in rt.columns if c.name in header]  # an optional column may be absent
    names = [c.name for c in columns]
    text = (
        scan.select(names)
        .with_row_index("row", offset=2)
        .with_columns(pl.col(names).str.strip_chars())
        .with_columns(pl.when(pl.col(names).str.len_bytes() > 0).then(pl.col(names)))
    )
    typed_cols = {c.name: e for c in columns if (e := parsed(c)) is not None}
    frame = text.with_columns(e.alias(f"_{n}") for n, e in typed_cols.items())
    # a reference to a request: looked up by binary search in the requests' sorted ids
    # (a third of the time of a hash join on a million ids), which gives both whether
    # it is known and the date it was received (for the RefCheck)
    ids, on = received["request_id"], received["received_on"]
    last = len(ids) - 1
    to_requests = [c.name for c in columns if c.refers_to == "requests"]
    for n in to_requests:
        at = pl.lit(ids).search_sorted(pl.col(n)).clip(0, last)
        frame = frame.with_columns(at.alias(f"_at_{n}")).with_columns(
            (pl.lit(ids).gather(pl.col(f"_at_{n}")) == pl.col(n)).alias(f"_known_{n}"),
        )
        frame = frame.with_columns(
            pl.when(pl.col(f"_known_{n}"))
            .then(pl.lit(on).gather(pl.col(f"_at_{n}")))
            .alias(f"_ref_{n}")
        )
    bad: dict[str, pl.Expr] = {}
    for c in columns:
        if c.required:
            bad[f"{c.name} missing"] = pl.col(c.name).is_null()
    required = {c.name for c in columns if c.required}
    blank: dict[str, pl.Expr] = {}  # an optional cell that cannot be read: left empty
    for n in typed_cols:
        unreadable = pl.col(n).is_not_null() & pl.col(f"_{n}").is_null()
        if n in required:
            bad[f"{n} unreadable"] = unreadable
        else:
            blank[f"{n} blanked"] = unreadable
    for c in columns:
        if c.refers_to:
            bad[f"{c.name} unknown"] = pl.col(c.name).is_not_null() & (
                ~pl.col(f"_known_{c.name}").fill_null(False)
                if c.refers_to == "requests"
                else ~pl.col(c.name).is_in(known[c.refers_to].implode())
            )
    if rt.id_column:
        i = pl.col(rt.id_column)
        bad[f"{rt.id_column} duplicate"] = i.is_not_null() & ~i.is_first_distinct()
    for chk in rt.checks:
        bad[f"{chk.column} before {chk.not_before}"] = (
            pl.col(f"_{chk.column}") < pl.col(f"_{chk.not_before}")
        ).fill_null(False)
    for rc in rt.ref_checks:
        bad[f"{rc.column} before the request's {rc.other}"] = (
            pl.col(f"_{rc.column}") < pl.col(f"_ref_{rc.via}")
        ).fill_null(False)

    def mask(checks: dict[str, pl.Expr]) -> pl.Expr:
        if not checks:
            return pl.lit(0, pl.UInt32)
        return pl.sum_horizontal(
            pl.when(check).then(pl.lit(1 << i, pl.UInt32)).otherwise(pl.lit(0, pl.UInt32))
            for i, check in enumerate(checks.values())
        )

    out = frame.select(
        "row",
        *(pl.col(f"_{n}").alias(n) if n in typed_cols else pl.col(n) for n in names),
        mask(bad).alias("_bad"),
        mask(blank).alias("_blanked"),  # kept beside the rows, as dxe-eval keeps it
    )
    return out, list(bad)


def validate_all(
    data: Path, received: pl.DataFrame, engine: str
) -> dict[str, tuple[pl.DataFrame, pl.DataFrame]]:
    """Each type's accepted rows and one line per bad cell, in :data:`ORDER`."""
    types = record_types()
    received = received.sort("request_id")  # for the binary search (query)
    known: dict[str, pl.Series] = {}
    out: dict[str, tuple[pl.DataFrame, pl.DataFrame]] = {}
    for name in ORDER:
        rt = types[name]
        rows, problems = query(data, rt, known, received)
        accepted, rejected = split(rows.collect(engine=engine), problems)  # type: ignore[arg-type]
        out[name] = (accepted, rejected)
        if rt.id_column and name in CANDIDATE_TYPES:
            known[name] = accepted[rt.id_column]
            if name == "projects":
                known["candidates"] = pl.concat([known[t] for t in CANDIDATE_TYPES])
    return out


def check(data: Path, out: dict[str, tuple[pl.DataFrame, pl.DataFrame]]) -> str:
    """Compare with ``dxe-eval``'s reader: rows accepted and file rows rejected per type."""
    from dxe_eval.read.dataset import read_dataset  # lazy: start-up

    types = record_types()
    ds = read_dataset(data, types)
    bad: dict[str, set[int]] = {}
    for r in ds.rejected:
        bad.setdefault(r.record_type, set()).add(r.row)
    diffs = []
    for name, (accepted, rejected) in out.items():
        ours = (accepted.height, set(rejected["row"].to_list()))
        theirs = (ds.frames[name].height, bad.get(name, set()))
        if ours != theirs:
            diffs.append(
                f"{name}: floor {ours[0]} accepted, {len(ours[1])} rejected; "
                f"dxe-eval {theirs[0]}, {len(theirs[1])}"
            )
    if diffs:
        raise SystemExit("differs from dxe-eval: " + "; ".join(diffs))
    return f"agrees with dxe-eval on {len(out)} types"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("data")
    p.add_argument("--streaming", action="store_true")
    p.add_argument("--check", action="store_true", help="compare with dxe-eval's reader after")
    args = p.parse_args(argv)
    data = Path(args.data)
    engine = "streaming" if args.streaming else "in-memory"
    # the input: the requests' ids and local dates of receipt (floor (a) reads them)
    received = typed(data, "requests").select(
        "request_id", pl.col("received_at").dt.date().alias("received_on")
    )
    before = rss()
    out, stage_s = timed(lambda: validate_all(data, received, engine))
    figures = dict(
        stage="read+validate others",
        variant=engine,
        stage_s=stage_s,
        input_rss=before,
        peak=peak(),
        held=sum(a.estimated_size() for a, _ in out.values()),
        rows=sum(a.height + r["row"].n_unique() for a, r in out.values()),
        accepted=sum(a.height for a, _ in out.values()),
        rejected_cells=sum(r.height for _, r in out.values()),
        blanked_rows=sum(int((a["_blanked"] != 0).sum()) for a, _ in out.values()),
    )
    if args.check:
        print(check(data, out), file=sys.stderr)
    report(**figures)


if __name__ == "__main__":
    main()
