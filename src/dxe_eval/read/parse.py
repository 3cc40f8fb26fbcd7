"""Column-at-a-time parsing of text cells into typed polars columns, as expressions.

:func:`parse_expr` gives a column's typed value and :func:`problem_expr` why a
cell is rejected; the reader evaluates both for every column of a record type
in one polars query. Dates and times of the common shape are parsed there;
cells of other accepted shapes (``2022/9/30 10:00``, an offset, 年月日) are
found by :func:`other_shape_expr` and parsed by :func:`fix_other_shapes` with
the general pattern. A cell that had text but did not parse becomes null and a
rejection naming the row and the column. No value is parsed row by row.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from typing import Final

import polars as pl

from dxe_eval.schema import FALSE_WORDS, FIRST_YEAR, LAST_YEAR, RATING_LEVELS, TRUE_WORDS, Column

_DT_RE: Final = (
    r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T]+(\d{1,2})[:：](\d{1,2})(?:[:：](\d{1,2})(?:\.(\d{1,9}))?)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?$"
)
MAX_TEXT: Final = 4096
_FIRST_DAY: Final = dt.date(FIRST_YEAR, 1, 1)
_LAST_DAY: Final = dt.date(LAST_YEAR, 12, 31)
_FIRST_TIME: Final = dt.datetime(FIRST_YEAR, 1, 1)
_AFTER_TIME: Final = dt.datetime(LAST_YEAR + 1, 1, 1)
#: the largest UTC offset there is (UTC+14:00, Kiribati), in minutes
MAX_OFFSET_MINUTES: Final = 14 * 60


def _in_years(value: pl.Expr, *, with_time: bool) -> pl.Expr:
    """``value`` (a naive date or date and time) where its year is from :data:`FIRST_YEAR`
    to :data:`LAST_YEAR`, else null (so the cell is rejected like text)."""
    if with_time:
        inside = (value >= pl.lit(_FIRST_TIME)) & (value < pl.lit(_AFTER_TIME))
    else:
        inside = value.is_between(pl.lit(_FIRST_DAY), pl.lit(_LAST_DAY))
    return pl.when(inside).then(value)


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
        naive = fmt.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False)
        return parts.select(_in_years(naive, with_time=True)).to_series()
    fmt = pl.format("{}-{}-{}", c("1"), c("2").str.zfill(2), c("3").str.zfill(2))
    day = fmt.str.strptime(pl.Date, "%Y-%m-%d", strict=False)
    return parts.select(_in_years(day, with_time=False)).to_series()


#: the common shapes, parsed without the general pattern (same values, a tenth of the time);
#: ASCII digits only (a cell with other digits takes the general pattern, which rejects it)
_FAST_DT: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$"
_FAST_D: Final = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _parse_datetime_general(s: pl.Series, tz: str) -> pl.Series:
    parts = _parts(s)
    naive = _naive(parts, with_time=True)
    off = parts["8"]
    sign = pl.when(off.str.starts_with("-")).then(-1).otherwise(1)
    digits = off.str.replace_all(r"[^0-9]", "")
    hours = digits.str.slice(0, 2).cast(pl.Int64, strict=False)
    mins = digits.str.slice(2, 2).cast(pl.Int64, strict=False)
    # an offset is at most ±14:00 with minutes below 60 (``+99:99`` is no offset: rejected)
    valid = (mins < 60) & (hours * 60 + mins <= MAX_OFFSET_MINUTES)
    minutes = parts.select(
        pl.when(off == "Z").then(0).when(valid).then(sign * (hours * 60 + mins))
    ).to_series()
    frame = pl.DataFrame({"naive": naive, "minutes": minutes, "offset": off})
    out = frame.select(
        pl.when(pl.col("offset").is_not_null() & pl.col("minutes").is_null())
        .then(None)
        .when(pl.col("minutes").is_not_null())
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


#: what a cell of each type should hold: (Chinese, English)
EXPECTED: Final = {
    "datetime": (
        "日期时间格式应如 2022-09-30 10:00，年份在 1900–2100 之间，时区偏移不超过 ±14:00",
        "expected a date and time such as 2022-09-30 10:00, in 1900–2100, any offset within ±14:00",
    ),
    "date": (
        "日期格式应如 2022-09-30，年份在 1900–2100 之间",
        "expected a date such as 2022-09-30, in 1900–2100",
    ),
    "int": ("应为不小于 0 的整数", "expected a whole number, 0 or more"),
    "float": ("应为数字", "expected a number"),
    "bool": ("应为 是/否", "expected yes or no: true/false, 1/0, 是/否"),
    "rating": (
        "评价等级无效，应为 非常满意、满意、基本满意、不满意、非常不满意 或 5…1",
        "expected one of 非常满意, 满意, 基本满意, 不满意, 非常不满意 or 5…1",
    ),
}

#: between the Chinese and the English part of a reason while it is built
#: (:func:`bilingual` joins them): never in the cell text a reason quotes, since a
#: cell holding a NUL is rejected for that, without quoting it
SEP: Final = "\x00"


def expected(column: Column) -> tuple[str, str]:
    """What a cell of ``column`` should hold, in Chinese and in English."""
    if column.type == "choice":
        canon = sorted(set(column.choices.values()))
        return f"取值应为 {'、'.join(canon)}", f"expected one of {', '.join(canon)}"
    return EXPECTED.get(column.type, ("应为文本", "expected text"))


# ---------------------------------------------------------------------------
# the same, as expressions: one select per record type parses every column
# ---------------------------------------------------------------------------


def _fast_pattern(column: Column) -> str | None:
    return {"datetime": _FAST_DT, "date": _FAST_D}.get(column.type)


def _word_map(column: Column) -> dict[str, bool | str]:
    """A yes/no or choice column's words, lower-cased, and the value each stands for."""
    words: dict[str, bool | str] = {}
    if column.type == "bool":
        words.update({w: True for w in TRUE_WORDS} | {w: False for w in FALSE_WORDS})
    elif column.type == "choice":
        words.update({k.lower(): v for k, v in column.choices.items()})
    return words


def _exact_map(column: Column) -> dict[str, bool | str]:
    """:func:`_word_map` with each word also as the ruleset writes it: the text of most
    cells, looked up without lower-casing it first (other cases: :func:`fix_other_shapes`)."""
    words = _word_map(column)
    keys = column.choices if column.type == "choice" else {}
    return words | {k: words[k.lower()] for k in keys}


def _word_dtype(column: Column) -> type[pl.DataType]:
    return pl.Boolean if column.type == "bool" else pl.String


def other_shape_expr(t: pl.Expr, column: Column) -> pl.Expr | None:
    """Whether a cell has text of a shape the fast parser does not take: a date(time)
    of another shape, a yes/no or choice word in another case (or none of them).

    ``t`` is the stripped cell text, null for an empty cell. ``None`` for columns
    of other types. Rows where this holds get the general parser's value
    (:func:`fix_other_shapes`).
    """
    if column.type in ("bool", "choice"):
        return t.is_not_null() & ~t.is_in(list(_exact_map(column)))
    pattern = _fast_pattern(column)
    if pattern is None:
        return None
    return t.is_not_null() & ~t.str.contains(pattern).fill_null(False)


#: local times in ``[FIXED_FROM, FIXED_UNTIL)`` of a zone with one offset all that while
#: are placed by that offset (:func:`fixed_offset`)
FIXED_FROM: Final = dt.datetime(1992, 1, 1)
FIXED_UNTIL: Final = dt.datetime(2100, 1, 1)


@functools.lru_cache(maxsize=16)
def fixed_offset(tz: str) -> dt.timedelta | None:
    """The zone's UTC offset when it is one and the same from :data:`FIXED_FROM` to
    :data:`FIXED_UNTIL` (China's since 1992, UTC), else ``None``.

    Told by polars' own zone data, twice a day: a local time in that window is then
    placed by subtracting the offset, which gives what placing it in the zone
    gives, at a fraction of the cost.
    """
    try:
        naive = pl.datetime_range(FIXED_FROM, FIXED_UNTIL, "12h", closed="left", eager=True)
        local = naive.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
    except pl.exceptions.PolarsError:
        return None
    # local minus UTC, in microseconds: a zone's time is stored as its UTC instant
    offsets = (naive.cast(pl.Int64) - local.cast(pl.Int64)).unique()
    if local.null_count() or offsets.len() != 1:
        return None
    return dt.timedelta(microseconds=int(offsets[0]))


def in_fixed_window(values: pl.Series, tz: str) -> bool:
    """Whether every time of ``values`` (placed in ``tz``) lies in the window where
    :func:`fixed_offset` holds for ``tz``."""
    off = fixed_offset(tz)
    if off is None:
        return False
    micros = values.dt.cast_time_unit("us").cast(pl.Int64)  # microseconds since 1970, UTC
    if micros.null_count() == micros.len():
        return True
    epoch = dt.datetime(1970, 1, 1)
    low = (FIXED_FROM - off - epoch) // dt.timedelta(microseconds=1)
    high = (FIXED_UNTIL - off - epoch) // dt.timedelta(microseconds=1)
    return bool(low <= micros.min() and micros.max() < high)  # type: ignore[operator]


def local_date_expr(values: pl.Series) -> pl.Expr:
    """The local date of each time of ``values`` (a column of that name), in the zone
    its type names: by the zone's :func:`fixed_offset` when every time lies in its
    window (a tenth of the cost of converting each time), else time by time."""
    col = pl.col(values.name)
    tz: str | None = getattr(values.dtype, "time_zone", None)
    off = fixed_offset(tz) if tz else None
    if tz is None or off is None or not in_fixed_window(values, tz):
        return col.dt.date()
    naive_utc = col.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
    return (naive_utc + pl.lit(off)).dt.date()


def parse_expr(t: pl.Expr, column: Column, tz: str, *, fixed: bool = False) -> pl.Expr:
    """A column's typed value from ``t``, its stripped text with
    empty cells null (for date(time) cells of the common shape; :func:`fix_other_shapes`
    does the others).

    ``fixed``: place local times by the zone's :func:`fixed_offset` (when it has
    one), which is right for the times in its window; the caller checks that they
    all are (:func:`in_fixed_window`) and parses again without it otherwise.
    """
    kind = column.type
    if kind == "datetime":
        # no cache: times of day are nearly all distinct, and caching them costs twice the time
        naive = _in_years(
            t.str.strptime(pl.Datetime("us"), "%Y-%m-%d %H:%M:%S", strict=False, cache=False),
            with_time=True,
        )
        off = fixed_offset(tz) if fixed else None
        if off is not None:
            return (naive - pl.lit(off)).dt.replace_time_zone("UTC").dt.convert_time_zone(tz)
        return naive.dt.replace_time_zone(tz, ambiguous="earliest", non_existent="null")
    if kind == "date":
        return _in_years(t.str.strptime(pl.Date, "%Y-%m-%d", strict=False), with_time=False)
    if kind == "int":
        # a count (people in a unit): a whole number, 0 or more; a negative one is null,
        # so rejected like text (``-0`` is 0)
        ok = t.str.contains(r"^[+-]?\d{1,15}(\.0*)?$").fill_null(False)
        whole = (
            pl.when(ok)
            .then(t.str.replace(r"\.0*$", ""))
            .otherwise(pl.lit(None, dtype=pl.String))
            .cast(pl.Int64, strict=False)
        )
        return pl.when(whole >= 0).then(whole)
    if kind == "float":
        return t.cast(pl.Float64, strict=False)
    if kind in ("bool", "choice"):
        # the words as written; another case is looked up lower-cased by fix_other_shapes
        return t.replace_strict(_exact_map(column), default=None, return_dtype=_word_dtype(column))
    if kind == "rating":
        levels: dict[str, int] = dict(RATING_LEVELS) | {str(i): i for i in range(1, 6)}
        levels |= {f"{i}.0": i for i in range(1, 6)}
        return t.replace_strict(levels, default=None, return_dtype=pl.Int8)
    return t


def fix_other_shapes(
    parsed: pl.Series, text: pl.Series, rows: pl.Series, column: Column, tz: str
) -> pl.Series:
    """``parsed`` with the cells at ``rows`` (other shapes) parsed by the general pattern."""
    t = text.str.strip_chars().gather(rows)
    if column.type in ("bool", "choice"):
        slow = t.str.to_lowercase().replace_strict(
            _word_map(column), default=None, return_dtype=_word_dtype(column)
        )
    elif column.type == "datetime":
        slow = _parse_datetime_general(t, tz)
    else:
        slow = _naive(_parts(t), with_time=False)
    return parsed.scatter(rows, slow)


def readable(t: pl.Expr, value: pl.Expr, column: Column, *, nul_free: bool = False) -> pl.Expr:
    """``value`` (parsed from the stripped text ``t``), null for a cell of an optional text
    column that holds a NUL or more than :data:`MAX_TEXT` characters: such a cell is left
    empty, as a cell of another type that does not parse is. A required column's value as
    it is (its row is rejected instead)."""
    if column.required or column.type != "str":
        return value
    ok = (t.str.len_chars() <= MAX_TEXT).fill_null(True)
    if not nul_free:
        ok = ok & ~t.str.contains("\x00", literal=True).fill_null(False)
    return pl.when(ok).then(value)


def bad_expr(text: str, parsed: str, column: Column, *, nul_free: bool = False) -> pl.Expr:
    """Whether a cell is rejected (the rows where :func:`problem_expr` is not null).

    ``nul_free``: the text is known to hold no NUL (a CSV file whose bytes have
    none), so that test is left out."""
    s, p = pl.col(text), pl.col(parsed)
    bad = (s.str.len_chars() > MAX_TEXT).fill_null(False) | (s.is_not_null() & p.is_null())
    if not nul_free:
        bad = bad | s.str.contains("\x00", literal=True).fill_null(False)
    if column.required:
        bad = bad | s.is_null()
    return bad


def _braced(text: str) -> str:
    """``text`` as a literal part of a :func:`polars.format` pattern."""
    return text.replace("{", "{{").replace("}", "}}")


def problem_expr(text: str, parsed: str, column: Column, header: pl.Expr | None = None) -> pl.Expr:
    """Per cell, why it is rejected (or null): Chinese, :data:`SEP`, English.

    ``header`` is the column as the file's header spells it (default: its label),
    the name the Chinese reason gives it."""
    s, p = pl.col(text), pl.col(parsed)
    head = pl.lit(column.label) if header is None else header
    zh, en = expected(column)
    return (
        pl.when(s.is_null() & pl.lit(column.required))
        .then(pl.format("必填项 {} 为空" + SEP + "required value missing", head))
        .when(s.str.contains("\x00", literal=True))
        .then(pl.format("{} 含有 NUL 字符" + SEP + "contains a NUL character", head))
        .when(s.str.len_chars() > MAX_TEXT)
        .then(
            pl.format(
                f"{{}} 内容过长，超过 {MAX_TEXT} 个字符{SEP}"
                f"value longer than {MAX_TEXT} characters",
                head,
            )
        )
        .when(s.is_not_null() & p.is_null())
        .then(
            pl.format(
                "{} {}：" + _braced(zh) + SEP + "{} {}: " + _braced(en),
                head,
                s.str.slice(0, 40),
                head,
                s.str.slice(0, 40),
            )
        )
        .otherwise(None)
    )


def _invisible(ch: str) -> bool:
    """Whether ``ch`` cannot be seen in a message: a format character (Unicode category Cf:
    zero-width space, BOM, word joiner, direction marks), a control, a line or paragraph
    separator, a private-use or unassigned code point. Spaces (category Zs, the
    full-width one too) are seen as spaces and kept."""
    return not ch.isprintable() and unicodedata.category(ch) != "Zs"


def _escaped(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _escape_all(text: str) -> tuple[str, str]:
    """``text`` with its invisible characters escaped, and their escapes ("" for none)."""
    if text.isprintable():  # the common case, tested in C: nothing to escape
        return text, ""
    found = [ch for ch in dict.fromkeys(text) if _invisible(ch)]
    for ch in found:
        text = text.replace(ch, _escaped(ch))
    return text, " ".join(_escaped(ch) for ch in found)


def shown(reason: str, *, parts: bool = True) -> str:
    """A rejection's reason with the invisible characters of the cell text it quotes
    escaped (``U01\\u200b``) and a note saying so; as it is when there are none.

    A reason built in two parts (Chinese, :data:`SEP`, English) is joined as
    ``中文 / English``, each part with its own note. The reasons' own words have no
    invisible character, so every one found is the cell's. Called for the rejected
    rows only, one by one (they are few). ``parts=False``: ``reason`` is a cell's text,
    a NUL in it is no :data:`SEP`.
    """
    zh, sep, en = reason.partition(SEP) if parts else (reason, "", "")
    zh, codes = _escape_all(zh)
    if sep:
        en, codes_en = _escape_all(en)
        codes = codes or codes_en
    if not codes:
        return f"{zh} / {en}" if sep else zh
    note_zh = f"（单元格含有不可见字符 {codes}）"
    note_en = f"; the cell holds an invisible character, shown as {codes}"
    if sep:
        return f"{zh}{note_zh} / {en}{note_en}"
    return f"{zh}{note_zh}{note_en}"
