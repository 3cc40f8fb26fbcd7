from __future__ import annotations

import pytest

from tests.unit.rules import support as s

RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "people": [s.person("P1", "U1")],
    "projects": [
        s.project("J1", leader_id="P1", completed_on="2022-04-30"),  # evaluated
        s.project("J2", leader_id="P1", completed_on="2022-08-31"),  # not evaluated
        s.project("J3", completed_on="2022-12-20"),  # evaluated after the period: still counts
        s.project("J4", "U2"),  # not completed
    ],
    "evaluations": [
        {"project_id": "J1", "evaluated_on": "2022-05-20", "grade": "优秀"},
        {"project_id": "J3", "evaluated_on": "2023-01-10", "grade": "合格"},
        {"project_id": "J4", "evaluated_on": "2022-06-01"},
    ],
}


def test_share_evaluated():
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U1", "evaluation")
    # 2 of 3 completed projects evaluated: 5 × 2/3 = 3.333… → 3.33
    assert r.points == 3.33
    assert r.evidence == ("J2",)
    # P1: J1 yes, J2 no → 5 × 1/2 = 2.5
    assert s.points(ev, "P1", "evaluation") == 2.5
    assert s.points(ev, "J2", "evaluation") == 0.0


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 5.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    # U2's only project (J4) is not completed: nothing of the period to judge, when_empty
    # says for the unit
    ev = s.evaluate(RECORDS, {"rules": {"evaluation": {"when_empty": mode}}})
    r = s.result(ev, "U2", "evaluation")
    assert (r.points, r.applicable) == (points, applicable)


@pytest.mark.parametrize("mode", ["zero", "full", "not_applicable"])
def test_not_completed_is_not_yet_judged(mode):
    # J4 is evaluated but not completed: not yet judged on itself, whatever when_empty says
    ev = s.evaluate(RECORDS, {"rules": {"evaluation": {"when_empty": mode}}})
    r = s.result(ev, "J4", "evaluation")
    assert (r.points, r.applicable) == (0.0, False)
    assert "项目尚未完成，暂不评价" in r.reason
