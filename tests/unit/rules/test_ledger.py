from __future__ import annotations

import pytest

from dxe_eval.rules.ledger import LedgerParams
from tests.unit.rules import support as s


def req(rid, received, closed=None, outcome="delivered", handler=None, uid="U1"):
    row = {"request_id": rid, "unit_id": uid, "received_at": received, "outcome": outcome}
    if closed:
        row["closed_at"] = closed
    if handler:
        row["handler_id"] = handler
    return row


def entry(eid, rid, recorded_on, uid="U1"):
    return {"entry_id": eid, "unit_id": uid, "request_id": rid, "recorded_on": recorded_on}


RECORDS = {
    "units": [s.unit("U1"), s.unit("U2")],
    "people": [s.person("P1", "U1")],
    "requests": [
        # closed Fri 09-30; working days (09-30, 10-11] = 10-08, 10-09 (调休), 10-10, 10-11 = 4 ≤ 5
        req("R1", "2022-09-29 09:00:00", "2022-09-30 16:00:00", handler="P1"),
        # closed 09-30; ledger 10-13: 10-08, 09, 10, 11, 12, 13 = 6 > 5 → late
        req("R2", "2022-09-29 09:00:00", "2022-09-30 16:00:00", handler="P1"),
        # ledgered the day before closing: −1 working day → fine
        req("R3", "2022-06-06 09:00:00", "2022-06-10 16:00:00"),
        # delivered without a closing time → counts as not ledgered in time
        req("R4", "2022-06-06 09:00:00"),
        # delivered, never ledgered
        req("R5", "2022-07-01 09:00:00", "2022-07-04 10:00:00"),
        # not delivered: not counted
        req("R6", "2022-07-01 09:00:00", "2022-07-04 10:00:00", outcome="not_delivered"),
        # received before the period: not counted
        req("R7", "2021-12-20 09:00:00", "2021-12-21 10:00:00"),
        # U2's only request is still open
        req("R8", "2022-07-01 09:00:00", outcome="open", uid="U2"),
    ],
    "ledger": [
        entry("L1", "R1", "2022-10-11"),
        entry("L2", "R2", "2022-10-13"),
        entry("L3", "R3", "2022-06-09"),
        entry("L4", "R4", "2022-06-07"),
        entry("L7", "R7", "2021-12-21"),
    ],
}


def test_share_of_delivered_requests_ledgered_in_time():
    r = s.result(s.evaluate(RECORDS), "U1", "ledger")
    # counted R1…R5 (5); in time R1, R3 (2): 8 × 2/5 = 3.2
    assert r.points == 3.2
    assert r.evidence == ("R2", "R4", "R5")
    assert "2 / 已办结服务需求 5" in r.reason
    assert "5 个工作日" in r.reason


def test_person_counts_the_requests_they_handled():
    r = s.result(s.evaluate(RECORDS), "P1", "ledger")
    # P1 handled R1 (in time) and R2 (late): 8 × 1/2 = 4
    assert r.points == 4.0
    assert r.evidence == ("R2",)


def test_days_parameter():
    ev = s.evaluate(RECORDS, {"rules": {"ledger": {"days": 6}}})
    # with 6 days R2 (6 working days) is in time too: 8 × 3/5 = 4.8
    assert s.points(ev, "U1", "ledger") == 4.8


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 8.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(RECORDS, {"rules": {"ledger": {"when_empty": mode}}})
    r = s.result(ev, "U2", "ledger")
    assert (r.points, r.applicable) == (points, applicable)


def test_params_validation_names_the_field():
    with pytest.raises(ValueError, match="days"):
        LedgerParams(days=-1)
    with pytest.raises(ValueError, match="when_empty"):
        LedgerParams(when_empty="never")
