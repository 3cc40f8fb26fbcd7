"""连续两次责令改正 (escalation, stage 1): a 责令改正 this period after a 责令改正 last time.

Each unit gets its 2022 责令改正 from `unrectified`: one 差评 answered 2022-03-07 and never
rectified. Its earlier sanctions are rectified in time, so `unrectified` adds nothing for them:
- E1: 2021-11-20 rectify (rectified 2021-11-25) + 2022 rectify → 通报批评
- E2: 2021-11-20 warning + 2022 rectify → none
- E3: 2021-11-20 rectify, nothing in 2022 → none
- E4: 2020-05-06 rectify then 2021-11-20 warning (the last) + 2022 rectify → none
- E5: 2021-11-20 rectify + 2022 only a warning (1 差评 of 40, in time: 2.5 % > 2) → none
"""

from __future__ import annotations

import pytest

from tests.unit.thresholds import support as s

TID = "escalation"


def _unrectified(unit: str) -> dict:
    return {"response_id": f"{unit}-B", "unit_id": unit, "answered_on": "2022-03-07",
            "rating": 1, "rectified_on": None}


def _sanction(unit: str, level: str, issued: str = "2021-11-20") -> dict:
    return {"candidate_id": unit, "level": level, "issued_on": issued,
            "rectified_on": "2021-11-25"}


@pytest.fixture(scope="module")
def ev():
    surveys = [_unrectified(u) for u in ("E1", "E2", "E4")] + s.surveys("E5", 40, 1)
    sanctions = [
        _sanction("E1", "rectify"), _sanction("E2", "warning"), _sanction("E3", "rectify"),
        _sanction("E4", "rectify", "2020-05-06"), _sanction("E4", "warning"),
        _sanction("E5", "rectify"),
    ]
    return s.evaluate({"units": s.units("E1", "E2", "E3", "E4", "E5"), "surveys": surveys,
                       "sanctions": sanctions})


def test_two_in_a_row_is_criticized(ev):
    assert s.levels(ev, "E1") == {"unrectified": "rectify", TID: "criticize"}
    a = s.assessment(ev, "E1", TID)
    assert a.reason == ("本期责令改正（unrectified）且上次处理（2021-11-20）亦为责令改正，"
                        "连续两次，通报批评")
    assert a.evidence == ("unrectified", "E1@2021-11-20")


@pytest.mark.parametrize("unit", ["E2", "E3", "E4", "E5"])
def test_no_escalation(ev, unit):
    assert s.assessment(ev, unit, TID).level is None
    assert TID not in s.levels(ev, unit)


def test_warning_then_rectify_reason(ev):
    a = s.assessment(ev, "E2", TID)
    assert "上次处理（2021-11-20）为警示" in a.reason
    assert s.levels(ev, "E5") == {"bad-review-rate": "warning"}


def test_a_rectify_found_by_a_banded_threshold_escalates_too():
    # not-delivered 2/20 = 10 % → 责令改正 (not > 10); last sanction 2021 rectify → 通报批评.
    reqs = s.requests("A", 20, 2, outcome="not_delivered")
    ev = s.evaluate({"units": s.units("A"), "requests": reqs,
                     "sanctions": [_sanction("A", "rectify")]})
    assert s.levels(ev, "A") == {"not-delivered": "rectify", TID: "criticize"}
    assert s.assessment(ev, "A", TID).reason.startswith("本期责令改正（not-delivered）")


def test_disabled_for_people_by_default():
    # A person with a rectify finding would need applies_to to include "person".
    units = s.units("A")
    people = [{"person_id": "P1", "name": "甲", "unit_id": "A"}]
    sanctions = [_sanction("P1", "rectify")]
    rows = [{**_unrectified("A"), "handler_id": "P1"}]
    over = {"thresholds": {"unrectified": {"applies_to": ["unit", "person"]}}}
    ev = s.evaluate({"units": units, "people": people, "surveys": rows,
                     "sanctions": sanctions}, over)
    assert s.levels(ev, "P1") == {"unrectified": "rectify"}
    over["thresholds"][TID] = {"applies_to": ["unit", "person"]}
    ev = s.evaluate({"units": units, "people": people, "surveys": rows,
                     "sanctions": sanctions}, over)
    assert s.levels(ev, "P1") == {"unrectified": "rectify", TID: "criticize"}
