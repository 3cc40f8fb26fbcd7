"""Working days: the statutory calendar, make-up days, unknown years."""

from __future__ import annotations

import datetime as dt

import pytest

from dxe_eval.calendar import build_workdays
from dxe_eval.errors import CalendarError
from tests import builders

D = dt.date


def _table(start: dt.date = dt.date(2022, 1, 1), end: dt.date = dt.date(2022, 12, 31), **kw):
    cal = builders.registry().calendars["cn-statutory"]
    return build_workdays(cal, (start, end), **kw)


def test_national_day_2022() -> None:
    t, warnings = _table()
    assert warnings == ()
    # (09-30, 10-09]: 10-01..10-07 holidays, 10-08 (Sat) and 10-09 (Sun) make-up days → 2
    assert t.count(D(2022, 9, 30), D(2022, 10, 9)) == 2
    # … and 10-10 (Mon) is the third
    assert t.count(D(2022, 9, 30), D(2022, 10, 10)) == 3
    assert t.add(D(2022, 9, 30), 2) == D(2022, 10, 9)


def test_spring_festival_2022() -> None:
    t, _ = _table()
    # 01-28 (Fri) → 01-29 (Sat, make-up) 1, 01-30 (Sun, make-up) 2; 01-31..02-06 holidays;
    # 02-07 (Mon) 3
    assert t.count(D(2022, 1, 28), D(2022, 1, 30)) == 2
    assert t.count(D(2022, 1, 28), D(2022, 2, 7)) == 3
    # received on a holiday (02-01): the first working day after it, 02-07, is day 1
    assert t.count(D(2022, 2, 1), D(2022, 2, 7)) == 1
    assert not t.is_workday(D(2022, 2, 1)) and t.is_workday(D(2022, 1, 29))


def test_unknown_year_is_named() -> None:
    with pytest.raises(CalendarError, match="2031"):
        _table(D(2031, 1, 1), D(2031, 12, 31))


def test_extra_days_make_a_year_known() -> None:
    t, warnings = _table(
        D(2031, 1, 1),
        D(2031, 12, 31),
        extra_holidays=[D(2031, 1, 1)],
        extra_workdays=[D(2031, 1, 4)],
    )
    # 2030-12-31 (Tue) → 2031-01-01 holiday, 01-02 (Thu) 1, 01-03 (Fri) 2, 01-04 (Sat, extra) 3
    assert t.count(D(2030, 12, 31), D(2031, 1, 4)) == 3
    assert any("2032" in w for w in warnings)  # the year after: Monday to Friday, said so


def test_a_day_both_holiday_and_workday_is_an_error() -> None:
    with pytest.raises(CalendarError):
        _table(extra_holidays=[D(2022, 3, 1)], extra_workdays=[D(2022, 3, 1)])
