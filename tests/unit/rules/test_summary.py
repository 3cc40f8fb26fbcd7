from __future__ import annotations

import pytest

from tests.unit.rules import support as s

RECORDS = {
    "units": [s.unit("U1")],
    "people": [s.person("P1", "U1")],
    "projects": [
        s.project("J1", leader_id="P1", completed_on="2022-06-30"),  # summary after 30 days: ok
        s.project("J2", leader_id="P1", completed_on="2022-06-30"),  # after 31 days: late
        s.project("J3", completed_on="2022-11-20"),  # no summary
        s.project("J4", completed_on="2021-12-15"),  # completed before the period
        s.project("J5"),  # not completed
        s.project("J6", completed_on="2022-05-01"),  # first of two summaries counts
    ],
    "summaries": [
        {"project_id": "J1", "submitted_on": "2022-07-30"},
        {"project_id": "J2", "submitted_on": "2022-07-31"},
        {"project_id": "J4", "submitted_on": "2022-01-05"},
        {"project_id": "J6", "submitted_on": "2022-08-01"},
        {"project_id": "J6", "submitted_on": "2022-05-20"},
    ],
}


def test_unit_share_summarised_in_time():
    r = s.result(s.evaluate(RECORDS), "U1", "summary")
    # completed in 2022: J1, J2, J3, J6 (4); in time J1 (30 d), J6 (19 d): 6 × 2/4 = 3
    assert r.points == 3.0
    assert r.max == 6
    assert r.evidence == ("J2", "J3")


def test_leader_and_project():
    ev = s.evaluate(RECORDS)
    # P1 leads J1 (ok) and J2 (late): 6 × 1/2 = 3
    assert s.result(ev, "P1", "summary").evidence == ("J2",)
    assert s.points(ev, "P1", "summary") == 3.0
    assert s.points(ev, "J1", "summary") == 6.0
    assert s.points(ev, "J2", "summary") == 0.0


def test_days_parameter():
    ev = s.evaluate(RECORDS, {"rules": {"summary": {"days": 31}}})
    # J2 (31 days) is in time too: 6 × 3/4 = 4.5
    assert s.points(ev, "U1", "summary") == 4.5


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 6.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    # J4 was completed before the period: nothing of the period to judge, when_empty says
    ev = s.evaluate(RECORDS, {"rules": {"summary": {"when_empty": mode}}})
    r = s.result(ev, "J4", "summary")
    assert (r.points, r.applicable) == (points, applicable)


@pytest.mark.parametrize("mode", ["zero", "full", "not_applicable"])
def test_a_project_not_completed_is_not_yet_judged(mode):
    # J5 is not completed by the period's end: "not yet", whatever when_empty says
    ev = s.evaluate(RECORDS, {"rules": {"summary": {"when_empty": mode}}})
    r = s.result(ev, "J5", "summary")
    assert (r.points, r.applicable) == (0.0, False)
    assert "项目尚未完成，暂不评价" in r.reason
    # its unit is judged on the 4 completed in the period (6 × 2/4 = 3), as before
    assert s.points(ev, "U1", "summary") == 3.0


def test_a_summary_before_completion_or_of_an_unfinished_project_is_a_data_note():
    # J1 completed 2022-06-30: its only summary (06-01) is dated before → not counted, and
    # J1 is without summary (0 of 1: 0 points); J2 has no completion date: its summary is
    # not counted either. One data note names both, with why.
    records = {
        "units": [s.unit("U1")],
        "projects": [s.project("J1", completed_on="2022-06-30"), s.project("J2")],
        "summaries": [
            {"project_id": "J1", "submitted_on": "2022-06-01"},
            {"project_id": "J2", "submitted_on": "2022-05-01"},
        ],
    }
    ev = s.evaluate(records)
    r = s.result(ev, "U1", "summary")
    assert (r.points, r.evidence) == (0.0, ("J1",))
    [note] = [w for w in ev.warnings if w.startswith("项目小结")]
    assert note.startswith(
        "项目小结 2 条早于项目完成日期或所属项目没有完成日期，不计："
        "J1 2022-06-01（早于项目完成日期 2022-06-30）、"
        "J2 2022-05-01（项目没有完成日期）"
    )
