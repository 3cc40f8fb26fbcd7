"""Working days for the generator, from the one working-day table (:mod:`dxe_eval.calendar`).

The generated times move by working days (a response two working days after
receipt, a ledger entry three after closing) under the ``cn-statutory`` calendar,
the one ``dxe-eval evaluate`` counts with by default; this module asks the table
:func:`dxe_eval.calendar.build_workdays` makes for the year and one year either side,
in columns.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from dxe_eval.calendar import WorkdayTable, build_workdays, dxe_eval_register_calendars


class Workdays:
    """Column lookups in the ``cn-statutory`` working-day table around ``year``."""

    def __init__(self, year: int) -> None:
        (calendar,) = (c for c in dxe_eval_register_calendars() if c.id == "cn-statutory")
        self.table: WorkdayTable
        self.table, _ = build_workdays(calendar, (dt.date(year, 1, 1), dt.date(year, 12, 31)))
        cum = self.table.cum
        # cum[i] counts the working days of [first, first + i]: day i works when it adds one
        self._flags = (cum.diff().fill_null(cum[0]) == 1).alias("workday")
        days = pl.date_range(self.table.first, self.table.last, eager=True)
        self._workdays = days.filter(self._flags).alias("d")

    def _offset(self, dates: pl.Series) -> pl.Series:
        return (dates.cast(pl.Int64) - self.table.base).alias("o")

    def add(self, dates: pl.Series, n: pl.Series) -> pl.Series:
        """The date ending the ``n``-th working day after each date (``n = 0``: the date)."""
        target = self.table.index(dates) + n  # the 1-based rank of the working day wanted
        pos = (target - 1).clip(0, len(self._workdays) - 1)
        moved = self._workdays.gather(pos)
        return (
            pl.DataFrame({"d": dates, "m": moved, "n": n})
            .select(pl.when(pl.col("n") <= 0).then(pl.col("d")).otherwise(pl.col("m")))
            .to_series()
            .alias(dates.name)
        )

    def is_workday(self, dates: pl.Series) -> pl.Series:
        return self._flags.gather(self._offset(dates).clip(0, len(self._flags) - 1))
