"""连续两次责令改正 (escalation, stage 1): a 责令改正 this period after a 责令改正 last time,
within the look-back (``lookback_months``, 12: from 2021-01-01 for the 2022 period).

Each unit but E3 gets its 2022 责令改正 from `unrectified`: three 差评 answered 2022-03-07 and
never rectified (3 ≥ rectify_count 3). Its earlier sanctions are rectified in time (or, for
the old ones, in their own year), so `unrectified` adds nothing for them:
- E1: 2021-11-20 rectify (rectified 2021-11-25) + 2022 rectify → 通报批评
- E2: 2021-11-20 warning + 2022 rectify → none
- E3: 2021-11-20 rectify, nothing in 2022 → none
- E4: 2020-05-06 rectify then 2021-11-20 warning (the last) + 2022 rectify → none
- E5: 2021-11-20 rectify + 2022 only a warning (1 差评 of 40, in time: 2.5 % > 2) → none
- E6: 2020-12-31 rectify (the last), 2022 rectify → 2020-12-31 < 2021-01-01: outside the
  look-back → none
- E7: 2021-01-01 rectify (the last), 2022 rectify → the window's first day → 通报批评
"""

from __future__ import annotations

import datetime as dt

import pytest

from dxe_eval.thresholds.escalation import months_before
from tests.unit.thresholds import support as s

TID = "escalation"


def _sanction(
    unit: str, level: str, issued: str = "2021-11-20", rectified: str = "2021-11-25"
) -> dict:
    return {"candidate_id": unit, "level": level, "issued_on": issued, "rectified_on": rectified}


@pytest.fixture(scope="module")
def ev():
    surveys = [row for u in ("E1", "E2", "E4", "E6", "E7") for row in s.unrectified(u)]
    surveys += s.surveys("E5", 40, 1)
    sanctions = [
        _sanction("E1", "rectify"),
        _sanction("E2", "warning"),
        _sanction("E3", "rectify"),
        _sanction("E4", "rectify", "2020-05-06", "2020-05-08"),
        _sanction("E4", "warning"),
        _sanction("E5", "rectify"),
        _sanction("E6", "rectify", "2020-12-31", "2021-01-05"),
        _sanction("E7", "rectify", "2021-01-01", "2021-01-05"),
    ]
    units = ("E1", "E2", "E3", "E4", "E5", "E6", "E7")
    return s.evaluate({"units": s.units(*units), "surveys": surveys, "sanctions": sanctions})


def test_two_in_a_row_is_criticized(ev):
    assert s.levels(ev, "E1") == {"unrectified": "rectify", TID: "criticize"}
    a = s.assessment(ev, "E1", TID)
    assert a.reason == (
        "本期责令改正（unrectified）且上次处理（2021-11-20）亦为责令改正，"
        "在 12 个月回溯期内，连续两次，通报批评"
    )
    assert a.evidence == ("unrectified", "E1@2021-11-20")


@pytest.mark.parametrize("unit", ["E2", "E3", "E4", "E5", "E6"])
def test_no_escalation(ev, unit):
    assert s.assessment(ev, unit, TID).level is None
    assert TID not in s.levels(ev, unit)


def test_warning_then_rectify_reason(ev):
    a = s.assessment(ev, "E2", TID)
    assert "上次处理（2021-11-20）为警示" in a.reason
    assert s.levels(ev, "E5") == {"bad-review-rate": "warning"}


def test_the_look_back_window(ev):
    # 2022-01-01 less 12 months is 2021-01-01: E7's order of that day is in the window,
    # E6's of the day before is not, and the reason says so
    assert s.levels(ev, "E7")[TID] == "criticize"
    a = s.assessment(ev, "E6", TID)
    assert (
        "上次处理（2020-12-31）虽为责令改正，但不在 12 个月回溯期（2021-01-01 至 2021-12-31）内"
    ) in a.reason
    assert a.evidence == ("unrectified", "E6@2020-12-31")


def test_lookback_months_parameter():
    # 24 months: from 2020-01-01, so E6's 2020-12-31 order is in the window
    rows = s.unrectified("E6")
    ev = s.evaluate(
        {
            "units": s.units("E6"),
            "surveys": rows,
            "sanctions": [_sanction("E6", "rectify", "2020-12-31", "2021-01-05")],
        },
        {"thresholds": {TID: {"lookback_months": 24}}},
    )
    assert s.levels(ev, "E6")[TID] == "criticize"


def test_months_before_keeps_the_day_or_the_month_end():
    assert months_before(dt.date(2022, 1, 1), 12) == dt.date(2021, 1, 1)
    assert months_before(dt.date(2022, 3, 31), 1) == dt.date(2022, 2, 28)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2022, 7, 1), 18) == dt.date(2021, 1, 1)


def test_a_rectify_found_by_a_banded_threshold_escalates_too():
    # not-delivered 2/20 = 10 % → 责令改正 (not > 10); last sanction 2021 rectify → 通报批评.
    reqs = s.requests("A", 20, 2, outcome="not_delivered")
    ev = s.evaluate(
        {"units": s.units("A"), "requests": reqs, "sanctions": [_sanction("A", "rectify")]}
    )
    assert s.levels(ev, "A") == {"not-delivered": "rectify", TID: "criticize"}
    assert s.assessment(ev, "A", TID).reason.startswith("本期责令改正（not-delivered）")


def test_disabled_for_people_by_default():
    # A person with a rectify finding would need applies_to to include "person".
    units = s.units("A")
    people = [{"person_id": "P1", "name": "甲", "unit_id": "A"}]
    sanctions = [_sanction("P1", "rectify")]
    rows = [{**row, "handler_id": "P1"} for row in s.unrectified("A")]
    over = {"thresholds": {"unrectified": {"applies_to": ["unit", "person"]}}}
    ev = s.evaluate(
        {"units": units, "people": people, "surveys": rows, "sanctions": sanctions}, over
    )
    assert s.levels(ev, "P1") == {"unrectified": "rectify"}
    over["thresholds"][TID] = {"applies_to": ["unit", "person"]}
    ev = s.evaluate(
        {"units": units, "people": people, "surveys": rows, "sanctions": sanctions}, over
    )
    assert s.levels(ev, "P1") == {"unrectified": "rectify", TID: "criticize"}
