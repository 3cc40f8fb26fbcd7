"""Column-at-a-time parsing of text cells into typed polars columns.

Each parser takes a string column and returns the typed column; a cell that
had text but did not parse becomes null, which the reader turns into a
rejection naming the row and the column. No value is parsed row by row.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import polars as pl

from dxe_eval.schema import FALSE_WORDS, RATING_LEVELS, TRUE_WORDS, Column

_DT_RE: Final = (
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.(\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
MAX_TEXT: Final = 4096


def _parts(s: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"g": s.str.strip_chars().str.extract_groups(_DT_RE)}).unnest("g")


def _naive(parts: pl.DataFrame, with_time: bool) -> pl.Series:
    c = pl.col
    if with_time:
        fmt = pl.format(
            "{}-{}-{} {}:{}:{}",
            c("1"),
            c("2").str.zfill(2),
            c("3").str.zfill(2),
            c("4").fill_null("0").str.zfill(2),
            c("5").fill_null("0").str.zfill(2),
            c("6").fill_null("0").str.zfill(2),
        )
        return parts.select(
            fmt.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        ).to_series()
    fmt = pl.format("{}-{}-{}", c("1"), c("2").str.zfill(2), c("3").str.zfill(2))
    return parts.select(fmt.str.strptime(pl.Date, "%Y-%m-%d", strict=False)).to_series()


#: the common shapes, parsed without the general pattern (same values, a tenth of the time)
_FAST_DT: Final = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
_FAST_D: Final = r"^\d{4}-\d{2}-\d{2}$"


def _split_fast(s: pl.Series, pattern: str) -> tuple[pl.Series, pl.Series, pl.Series | None]:
    """Stripped text, whether each cell has the common shape, and the rows that have not.

    The third item is ``None`` when every non-empty cell has the common shape.
    """
    t = s.str.strip_chars()
    fast = t.str.contains(pattern).fill_null(False)
    other = t.is_not_null() & ~fast
    return t, fast, (other.arg_true() if other.any() else None)


def _merge(fast: pl.Series, rows: pl.Series | None, slow: pl.Series | None) -> pl.Series:
    """The fast results with the rows of other shapes replaced by the general parser's."""
    if rows is None or slow is None:
        return fast
    return fast.scatter(rows, slow)


def parse_datetime(s: pl.Series, tz: str) -> pl.Series:
    """ISO 8601 with or without offset, ``2022/9/30 10:00``, or a date alone (midnight).

    A time without an offset is in ``tz``; the result is in ``tz``. Cells of the
    common shape ``2022-09-30 10:00:00`` are parsed directly, the others by the
    general pattern; both give the same value for such a cell.
    """
    t, _, rows = _split_fast(s, _FAST_DT)
    # a cell of another shape gets the general parser's value below, whatever this gives it
    naive = t.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
    local = naive.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
    slow = _parse_datetime_general(t.gather(rows), tz) if rows is not None else None
    return _merge(local, rows, slow).alias(s.name)


def _parse_datetime_general(s: pl.Series, tz: str) -> pl.Series:
    parts = _parts(s)
    naive = _naive(parts, with_time=True)
    off = parts["8"]
    sign = pl.when(off.str.starts_with("-")).then(-1).otherwise(1)
    digits = off.str.replace_all(r"[^0-9]", "")
    minutes = parts.select(
        pl.when(off == "Z")
        .then(0)
        .otherwise(
            sign
            * (
                digits.str.slice(0, 2).cast(pl.Int64, strict=False) * 60
                + digits.str.slice(2, 2).cast(pl.Int64, strict=False)
            )
        )
    ).to_series()
    frame = pl.DataFrame({"naive": naive, "minutes": minutes})
    out = frame.select(
        pl.when(pl.col("minutes").is_not_null())
        .then(
            (pl.col("naive") - pl.duration(minutes=pl.col("minutes"))).dt.replace_time_zone("UTC")
        )
        .otherwise(
            pl.col("naive")
            .dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
            .dt.convert_time_zone("UTC")
        )
        .dt.convert_time_zone(tz)
    ).to_series()
    return out.alias(s.name)


def parse_date(s: pl.Series) -> pl.Series:
    """``2022-09-30``, ``2022/9/30`` or ``2022年9月30日``; a time after the date is ignored."""
    t, _, rows = _split_fast(s, _FAST_D)
    day = t.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    slow = _naive(_parts(t.gather(rows)), with_time=False) if rows is not None else None
    return _merge(day, rows, slow).alias(s.name)


def parse_int(s: pl.Series) -> pl.Series:
    t = s.str.strip_chars()
    ok = t.str.contains(r"^[+-]?\d{1,15}(\.0*)?$")
    return (
        pl.Series(s.name, t.str.replace(r"\.0*$", ""), dtype=pl.String)
        .zip_with(ok.fill_null(False), pl.Series([None] * len(s), dtype=pl.String))
        .cast(pl.Int64, strict=False)
    )


def parse_float(s: pl.Series) -> pl.Series:
    return s.str.strip_chars().cast(pl.Float64, strict=False)


def parse_bool(s: pl.Series) -> pl.Series:
    t = s.str.strip_chars().str.to_lowercase()
    mapping: dict[str, bool] = {w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS}
    return t.replace_strict(mapping, default=None, return_dtype=pl.Boolean).alias(s.name)


def parse_rating(s: pl.Series) -> pl.Series:
    t = s.str.strip_chars()
    mapping: dict[str, int] = dict(RATING_LEVELS) | {str(i): i for i in range(1, 6)}
    mapping |= {f"{i}.0": i for i in range(1, 6)}
    return t.replace_strict(mapping, default=None, return_dtype=pl.Int8).alias(s.name)


def parse_choice(s: pl.Series, choices: Mapping[str, str]) -> pl.Series:
    t = s.str.strip_chars()
    lower = {k.lower(): v for k, v in choices.items()}
    return (
        t.str.to_lowercase()
        .replace_strict(lower, default=None, return_dtype=pl.String)
        .alias(s.name)
    )


def parse_column(s: pl.Series, column: Column, tz: str) -> pl.Series:
    """Parse one string column by the column's declared type."""
    if column.type == "datetime":
        return parse_datetime(s, tz)
    if column.type == "date":
        return parse_date(s)
    if column.type == "int":
        return parse_int(s)
    if column.type == "float":
        return parse_float(s)
    if column.type == "bool":
        return parse_bool(s)
    if column.type == "rating":
        return parse_rating(s)
    if column.type == "choice":
        return parse_choice(s, column.choices)
    return s.str.strip_chars()


EXPECTED: Final = {
    "datetime": "a date and time such as 2022-09-30 10:00 (日期时间格式应如 2022-09-30 10:00)",
    "date": "a date such as 2022-09-30 (日期格式应如 2022-09-30)",
    "int": "a whole number (应为整数)",
    "float": "a number (应为数字)",
    "bool": "yes or no: true/false, 1/0, 是/否 (应为 是/否)",
    "rating": "one of 非常满意, 满意, 基本满意, 不满意, 非常不满意 or 5…1 (评价等级无效)",
}


def expected(column: Column) -> str:
    if column.type == "choice":
        canon = sorted(set(column.choices.values()))
        return f"one of {', '.join(canon)} (取值应为 {'、'.join(canon)})"
    return EXPECTED.get(column.type, "text")


def column_problems(s: pl.Series, parsed: pl.Series, column: Column) -> pl.Series:
    """Per cell, why it is rejected (or null): missing, NUL, too long, or not parsed.

    ``s`` is the cell text (empty cells already null), ``parsed`` the column
    :func:`parse_column` made of it. The reasons are only built when some cell
    has one; a clean column costs a few vectorised checks.
    """
    has_text = s.is_not_null()
    bad = (
        s.str.contains("\x00", literal=True).fill_null(False)
        | (s.str.len_chars() > MAX_TEXT).fill_null(False)
        | (has_text & parsed.is_null())
    )
    if column.required:
        bad = bad | ~has_text
    if not bad.any():
        return pl.repeat(None, len(s), dtype=pl.String, eager=True).alias(column.name)
    return (
        pl.DataFrame({"s": s, "p": parsed})
        .select(
            pl.when(pl.col("s").is_null() & pl.lit(column.required))
            .then(pl.lit(f"required value missing (必填项 {column.label} 为空)"))
            .when(pl.col("s").str.contains("\x00", literal=True))
            .then(pl.lit("contains a NUL character (含有 NUL 字符)"))
            .when(pl.col("s").str.len_chars() > MAX_TEXT)
            .then(pl.lit(f"value longer than {MAX_TEXT} characters (内容过长)"))
            .when(pl.col("s").is_not_null() & pl.col("p").is_null())
            .then(
                pl.format(
                    "{} {}: expected " + expected(column).replace("{", "{{").replace("}", "}}"),
                    pl.lit(column.label),
                    pl.col("s").str.slice(0, 40),
                )
            )
            .otherwise(None)
        )
        .to_series()
        .alias(column.name)
    )
