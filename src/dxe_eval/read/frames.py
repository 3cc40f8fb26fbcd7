"""Reading records given in memory: sequences of mappings, polars or pandas DataFrames."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from dxe_eval.errors import DataError
from dxe_eval.read.raw import (
    ROW,
    Raw,
    Rejection,
    canonical_headers,
    frame_from_rows,
    spelled_headers,
)
from dxe_eval.schema import RecordType


def cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return None
    return str(value)


def records_to_raw(
    records: Sequence[Mapping[str, Any]],
    rt: RecordType,
    file: str,
    numbers: Sequence[int] | None = None,
) -> tuple[Raw, list[str]]:
    """Rows given as mappings (from JSON or from a calling system); an item that is not a
    mapping (``None``, a list…) is rejected as no record."""
    nums_in = list(numbers) if numbers is not None else list(range(1, len(records) + 1))
    kept: list[Mapping[str, Any]] = []
    nums: list[int] = []
    not_records: list[Rejection] = []
    for number, rec in zip(nums_in, records, strict=True):
        if isinstance(rec, Mapping):
            kept.append(rec)
            nums.append(number)
            continue
        not_records.append(
            Rejection(
                record_type=rt.name,
                file=file,
                row=number,
                column=None,
                reason=f"不是一条记录（应为列名到取值的映射） / not a record: "
                f"{type(rec).__name__}, not a mapping of columns to values",
            )
        )
    headers: list[Any] = []
    for rec in kept:
        for key in rec:
            if key not in headers:
                headers.append(key)
    if not headers:
        headers = [c.name for c in rt.columns if c.required] if not kept else headers
    names, ignored = canonical_headers(headers, rt, file)
    rows = [[cell(rec.get(h)) for h in headers] for rec in kept]
    frame, rejected = frame_from_rows(names, rows, nums, file, rt)
    spelled = spelled_headers(headers, names)
    both = sorted((*not_records, *rejected), key=lambda r: r.row)
    return Raw(
        file=file, frame=frame, pre_rejected=tuple(both), headers=spelled, tabular=False
    ), ignored


def frame_to_raw(frame: Any, rt: RecordType, file: str) -> tuple[Raw, list[str]]:
    """Rows given as a polars or pandas DataFrame."""
    if not isinstance(frame, pl.DataFrame):
        try:
            frame = pl.from_pandas(frame)
        except Exception as exc:
            raise DataError(
                f"cannot read records of type {type(frame).__name__}: {exc}", file=file
            ) from exc
    names, ignored = canonical_headers(frame.columns, rt, file)
    cols = []
    for src, name in zip(frame.columns, names, strict=True):
        if not name:
            continue
        s = frame[src]
        if s.dtype == pl.Boolean:
            s = s.cast(pl.String).str.to_lowercase()
        elif isinstance(s.dtype, pl.Datetime) and s.dtype.time_zone:
            s = s.dt.to_string("%Y-%m-%dT%H:%M:%S%:z")
        else:
            s = s.cast(pl.String)
        cols.append(s.alias(name))
    out = pl.DataFrame(cols).with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    return Raw(file=file, frame=out, headers=spelled_headers(frame.columns, names)), ignored
