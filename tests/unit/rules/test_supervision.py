from __future__ import annotations

import pytest

from tests.unit.rules import support as s


def item(iid, assigned, due, closed=None, uid="U1", project=None):
    row = {"item_id": iid, "unit_id": uid, "assigned_on": assigned, "due_on": due}
    if closed:
        row["closed_on"] = closed
    if project:
        row["project_id"] = project
    return row


RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "projects": [s.project("J1", "U1")],
    "supervision": [
        item("D1", "2022-03-01", "2022-03-31", "2022-03-31"),  # closed on the due date: on time
        item("D2", "2022-03-01", "2022-03-31", "2022-04-01"),  # a day late
        item("D3", "2022-11-01", "2022-12-30"),  # open, due before 12-31: late
        item("D4", "2022-12-01", "2023-01-15"),  # open, not yet due: not counted
        item("D5", "2022-12-01", "2022-12-31"),  # open, due on the last day: not yet overdue
        item("D6", "2021-12-01", "2022-01-10", "2022-02-01"),  # assigned before the period
        item("D7", "2022-05-01", "2022-05-31", "2022-05-20", project="J1"),  # on time
        item("D8", "2022-12-01", "2023-01-15", uid="U2"),  # U2: open, not yet due only
    ],
}


def test_share_closed_on_time():
    r = s.result(s.evaluate(RECORDS), "U1", "supervision")
    # counted D1, D2, D3, D7 (4); on time D1, D7 (2): 4 points × 2/4 = 2
    assert r.points == 2.0
    assert r.evidence == ("D2", "D3")
    assert "2 项未到期未办结" in r.reason  # D4, D5


def test_project_item_counts_for_project_and_unit():
    r = s.result(s.evaluate(RECORDS), "J1", "supervision")
    # J1: D7 on time, 1/1 → the rule's 4 points
    assert r.points == 4.0
    assert r.evidence == ()


def test_open_not_yet_due_is_not_counted():
    r = s.result(s.evaluate(RECORDS), "U2", "supervision")
    # D8 is the only item and it is not counted → empty → not applicable by default
    assert not r.applicable
    assert r.evidence == ()
    assert "1 项未到期未办结" in r.reason


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 4.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(RECORDS, {"rules": {"supervision": {"when_empty": mode}}})
    r = s.result(ev, "U2", "supervision")
    assert (r.points, r.applicable) == (points, applicable)
