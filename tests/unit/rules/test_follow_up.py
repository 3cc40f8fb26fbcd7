from __future__ import annotations

import pytest

from dxe_eval.rules.follow_up import FollowUpParams
from tests.unit.rules import support as s


def req(rid, received, closed=None, outcome="delivered", handler=None, uid="U1"):
    row = {"request_id": rid, "unit_id": uid, "received_at": received, "outcome": outcome}
    if closed:
        row["closed_at"] = closed
    if handler:
        row["handler_id"] = handler
    return row


def visit(vid, rid, on, reached=None):
    row = {"visit_id": vid, "request_id": rid, "visited_on": on}
    if reached is not None:
        row["reached"] = reached
    return row


RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "people": [s.person("P1", "U1")],
    "requests": [
        # closed Fri 09-30; visit Mon 10-10: 10-08, 10-09 (调休), 10-10 = 3 ≤ 3
        req("R1", "2022-09-28 09:00:00", "2022-09-30 16:00:00", handler="P1"),
        # visit Tue 10-11: 4 working days → late
        req("R2", "2022-09-28 09:00:00", "2022-09-30 16:00:00", handler="P1"),
        # first visit (10-09) did not reach the enterprise; the reached one on 10-12 is 5 → late
        req("R3", "2022-09-28 09:00:00", "2022-09-30 16:00:00"),
        # closed Fri 01-28 before Spring Festival; visit Mon 02-07:
        # 01-29, 01-30 (调休), 02-07 = 3 ≤ 3 (01-31…02-06 holiday)
        req("R4", "2022-01-27 09:00:00", "2022-01-28 16:00:00"),
        # withdrawn: not counted
        req("R5", "2022-01-27 09:00:00", "2022-01-28 16:00:00", outcome="withdrawn"),
    ],
    "visits": [
        visit("V1", "R1", "2022-10-10", True),
        visit("V2", "R2", "2022-10-11"),
        visit("V3a", "R3", "2022-10-09", False),
        visit("V3b", "R3", "2022-10-12", True),
        visit("V4", "R4", "2022-02-07"),
    ],
}


def test_share_of_delivered_requests_visited_in_time():
    r = s.result(s.evaluate(RECORDS), "U1", "follow-up")
    # counted R1…R4 (4); in time R1, R4 (2): 10 × 2/4 = 5
    assert r.points == 5.0
    assert r.max == 10
    assert r.evidence == ("R2", "R3")


def test_person():
    r = s.result(s.evaluate(RECORDS), "P1", "follow-up")
    # P1: R1 in time, R2 late → 10 × 1/2 = 5
    assert r.points == 5.0
    assert r.evidence == ("R2",)


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 10.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(RECORDS, {"rules": {"follow-up": {"when_empty": mode}}})
    r = s.result(ev, "U2", "follow-up")
    assert (r.points, r.applicable) == (points, applicable)


def test_params_validation_names_the_field():
    with pytest.raises(ValueError, match="days"):
        FollowUpParams(days=-3)


def test_a_visit_before_closing_is_no_follow_up():
    # R1 closed Fri 2022-03-11; V1 on Wed 03-09 (before closing) is accepted but no
    # follow-up, and R1 has no later visit → not followed up; R2 closed the same day, visited
    # before (03-09) and again Mon 03-14 (1 working day) → followed up. 1 of 2: 5 points.
    records = {
        "units": [s.unit("U1")],
        "requests": [
            req("R1", "2022-03-07 09:00:00", "2022-03-11 16:00:00"),
            req("R2", "2022-03-07 09:00:00", "2022-03-11 16:00:00"),
        ],
        "visits": [
            visit("V1", "R1", "2022-03-09"),
            visit("V2a", "R2", "2022-03-09"),
            visit("V2b", "R2", "2022-03-14"),
        ],
    }
    ev = s.evaluate(records)
    assert not ev.dataset.rejected
    r = s.result(ev, "U1", "follow-up")
    assert (r.points, r.evidence) == (5.0, ("R1",))
    assert "其中 1 件只在办结前回访，不算回访" in r.reason
