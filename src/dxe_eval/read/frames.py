"""Reading records given in memory: sequences of mappings, polars or pandas DataFrames."""

from __future__ import annotations

import datetime as dt
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


def from_pandas(frame: Any) -> pl.DataFrame:
    """A pandas DataFrame as a polars one, without pyarrow, on pandas 2 and 3.

    ``polars.from_pandas`` needs pyarrow for any column that is not plain numpy
    (pandas 3's default ``str`` columns, ``Int64``, ``category``, time zones). Every
    column ends up as text here anyway (the readers parse text), so a column of
    numpy numbers, booleans or naive datetimes is handed to polars as its numpy array
    (NaN and NaT become null) and any other column is turned into text cell by cell,
    as records given as mappings are (:func:`cell`); a datetime with a time zone
    is written ``2022-03-01T09:30:00+08:00``.
    """
    columns = getattr(frame, "columns", None)
    if columns is None or not hasattr(frame, "dtypes"):
        raise TypeError("not a polars or pandas DataFrame (不是 polars 或 pandas 的数据表)")
    names = [str(c) for c in columns]
    if len(set(names)) != len(names):
        raise ValueError(
            f"duplicate column names {sorted({n for n in names if names.count(n) > 1})}"
        )
    series: list[pl.Series] = []
    for name, (_, col) in zip(names, frame.items(), strict=True):
        dtype = getattr(col, "dtype", None)
        numpy_kind = (
            getattr(dtype, "kind", "") if type(dtype).__module__.startswith("numpy") else ""
        )
        if numpy_kind in ("i", "u", "f", "b", "M"):
            series.append(pl.Series(name, col.to_numpy(), nan_to_null=True))
        else:
            series.append(pl.Series(name, [_text(v) for v in col.tolist()], dtype=pl.String))
    return pl.DataFrame(series)


def _text(value: Any) -> str | None:
    """One pandas cell as text: pandas' missing values (``NA``, ``NaT``, NaN) as ``None``."""
    if isinstance(value, dt.datetime):
        if value != value:  # NaT
            return None
        return value.isoformat() if value.tzinfo is not None else str(value)
    if value is not None and type(value).__name__ in ("NAType", "NaTType"):
        return None
    return cell(value)


def frame_to_raw(frame: Any, rt: RecordType, file: str) -> tuple[Raw, list[str]]:
    """Rows given as a polars or pandas DataFrame (pandas without pyarrow: :func:`from_pandas`)."""
    if not isinstance(frame, pl.DataFrame):
        try:
            frame = from_pandas(frame)
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
