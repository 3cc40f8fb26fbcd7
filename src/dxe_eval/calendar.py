"""Working time: the ``cn-statutory`` and ``weekdays`` calendars, and the working-day table.

"Within N working days" counts the working days in ``(start, end]``: the day
of receipt is not counted (民法典 art. 201), statutory holidays are skipped and
调休 make-up Saturdays and Sundays count as working days. A request received on
a holiday therefore starts counting at the next working day. The calendar is
asked once per distinct date of the years around the period, and every
row-level count is a difference of two lookups in that table.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
from collections.abc import Iterable

import chinese_calendar
import polars as pl
from attrs import field, frozen
from chinese_calendar import constants

from dxe_eval.errors import CalendarError, PluginError, plugin_fault
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Calendar


def cn_years() -> tuple[int, int]:
    years = [d.year for d in constants.holidays]
    return min(years), max(years)


def _cn_is_workday(day: dt.date) -> bool:
    return bool(chinese_calendar.is_workday(day))


def _weekday(day: dt.date) -> bool:
    return day.weekday() < 5


def _cn_calendar() -> Calendar:
    try:
        version = importlib.metadata.version("chinesecalendar")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - vendored copies
        version = "unknown"
    return Calendar(
        id="cn-statutory",
        title="中国法定节假日与调休（chinesecalendar）",
        is_workday=_cn_is_workday,
        years=cn_years(),
        version=f"chinesecalendar {version}",
    )


@hookimpl
def dxe_eval_register_calendars() -> tuple[Calendar, ...]:
    return (
        _cn_calendar(),
        Calendar(
            id="weekdays",
            title="周一至周五（不含法定节假日）",
            is_workday=_weekday,
            years=(1900, 2999),
            version="weekdays",
        ),
    )


@frozen
class WorkdayTable:
    """Cumulative working-day counts for every date from ``first`` to ``last``.

    ``index(d)`` is the number of working days in ``[first, d]``; the working
    days in ``(a, b]`` are ``index(b) - index(a)``. Dates outside the table
    count every day as a working day, which keeps the index increasing.
    """

    first: dt.date
    last: dt.date
    #: kept private, and :attr:`cum` gives a copy: a plugin reading the table cannot
    #: change it (a polars Series takes changes in place) for the next one
    _cum: pl.Series = field(alias="cum")
    approximated: tuple[int, ...] = ()
    calendar_version: str = ""

    @property
    def cum(self) -> pl.Series:
        """The cumulative counts (a copy)."""
        return self._cum.clone()

    @property
    def base(self) -> int:
        return (self.first - dt.date(1970, 1, 1)).days

    def index_expr(self, column: str) -> pl.Expr:
        """The working-day index of each date of ``column`` (nulls stay null), as an
        expression: one lookup in the cumulative table per row."""
        days = pl.col(column).cast(pl.Date).cast(pl.Int64) - self.base
        clipped = days.clip(0, len(self._cum) - 1)
        return pl.lit(self._cum).gather(clipped) + (days - clipped)

    def day_of_index_expr(self, index: pl.Expr) -> pl.Expr:
        """The date that ends the working day of each ``index`` (as :meth:`index_expr` gives
        them): the first date whose index reaches it. ``index_expr(d) + n`` of a date ``d``
        gives the date that ends the ``n``-th working day after ``d``, as :meth:`add`."""
        cum = self._cum
        lo, hi = int(cum[0]), int(cum[-1])
        inside = pl.lit(self.first) + pl.duration(
            days=pl.lit(cum).search_sorted(index.clip(lo, hi), side="left").cast(pl.Int64)
        )
        # outside the table every day is a working day (as index_expr counts them)
        return (
            pl.when(index > hi)
            .then(pl.lit(self.last) + pl.duration(days=index - hi))
            .when(index < lo)
            .then(pl.lit(self.first) + pl.duration(days=index - lo))
            .otherwise(inside)
        )

    def between_expr(self, start: str, end: str) -> pl.Expr:
        """Working days in ``(start, end]`` for each pair of dates (negative if end < start)."""
        return self.index_expr(end) - self.index_expr(start)

    def index(self, dates: pl.Series) -> pl.Series:
        """:meth:`index_expr` of a series of dates."""
        return pl.DataFrame({"d": dates}).select(self.index_expr("d")).to_series().alias(dates.name)

    def index_of(self, day: dt.date) -> int:
        out = self.index(pl.Series([day], dtype=pl.Date))[0]
        return int(out)

    def is_workday(self, day: dt.date) -> bool:
        prev = day - dt.timedelta(days=1)
        return self.index_of(day) - self.index_of(prev) == 1

    def count(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``."""
        return self.index_of(end) - self.index_of(start)

    def add(self, start: dt.date, n: int) -> dt.date:
        """The date that ends the ``n``-th working day after ``start`` (``n >= 0``)."""
        target = self.index_of(start) + n
        day = start
        while self.index_of(day) < target:
            day += dt.timedelta(days=1)
        return day


def build_workdays(
    calendar: Calendar,
    period: tuple[dt.date, dt.date],
    *,
    extra_holidays: Iterable[dt.date] = (),
    extra_workdays: Iterable[dt.date] = (),
) -> tuple[WorkdayTable, tuple[str, ...]]:
    """The table for the period's years and one year either side, and any warnings.

    A year of the period that neither the calendar nor the ruleset's extra days
    cover is a :class:`CalendarError` naming the year. An uncovered year beside
    the period is counted Monday to Friday and a warning says so.
    """
    holidays = set(extra_holidays)
    workdays = set(extra_workdays)
    both = holidays & workdays
    if both:
        raise CalendarError(
            f"dates listed both as extra_holidays and extra_workdays: {sorted(both)}",
            zh=f"同一日期既列为节假日又列为工作日：{sorted(str(d) for d in both)}",
        )
    supplied = {d.year for d in holidays | workdays}
    lo, hi = calendar.years
    start, end = period
    warnings: list[str] = []
    approximated: list[int] = []
    for year in range(start.year - 1, end.year + 2):
        if lo <= year <= hi or year in supplied:
            continue
        if start.year <= year <= end.year:
            raise CalendarError(
                f"calendar {calendar.id!r} does not know the holidays of {year} (it knows "
                f"{lo}–{hi}); list that year's days in [calendar] extra_holidays and "
                f"extra_workdays",
                zh=f"日历 {calendar.id} 没有 {year} 年的法定节假日数据（已知 {lo}–{hi} 年），"
                f"请在规则集 [calendar] 中填写 extra_holidays 与 extra_workdays",
            )
        approximated.append(year)
        warnings.append(
            f"{year} 年不在日历 {calendar.id} 中，按周一至周五计算工作日 "
            f"(year {year} is not in calendar {calendar.id}; counted Monday to Friday)"
        )
    first = dt.date(start.year - 1, 1, 1)
    last = dt.date(end.year + 1, 12, 31)
    flags: list[int] = []
    day = first
    one = dt.timedelta(days=1)
    while day <= last:
        if day in holidays:
            flag = False
        elif day in workdays:
            flag = True
        elif lo <= day.year <= hi:
            try:
                flag = calendar.is_workday(day)
            except NotImplementedError as exc:
                raise CalendarError(
                    f"calendar {calendar.id!r} cannot count {day}: {exc}",
                    zh=f"日历 {calendar.id} 无法判断 {day} 是否为工作日",
                ) from exc
            except BaseException as exc:  # the calendar's code is a plugin's
                if not plugin_fault(exc):
                    raise
                raise PluginError(
                    f"calendar {calendar.id!r} from plugin {calendar.plugin!r} failed for "
                    f"{day}: {type(exc).__name__}: {exc}",
                    zh=f"插件 {calendar.plugin} 的日历 {calendar.id} 出错（{day}）：{exc}",
                ) from exc
        else:
            flag = day.weekday() < 5
        flags.append(1 if flag else 0)
        day += one
    cum = pl.Series("cum", flags, dtype=pl.Int64).cum_sum()
    return (
        WorkdayTable(
            first=first,
            last=last,
            cum=cum,
            approximated=tuple(approximated),
            calendar_version=calendar.version,
        ),
        tuple(warnings),
    )
