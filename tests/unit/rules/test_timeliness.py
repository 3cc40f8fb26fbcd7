from __future__ import annotations

import pytest

from tests.unit.rules import support as s


def req(rid, uid, received, responded=None):
    row = {"request_id": rid, "unit_id": uid, "received_at": received, "outcome": "delivered"}
    if responded:
        row["responded_at"] = responded
    return row


# one request per unit: on time → 20 points, late → 20 − 100 → floor 0
CASES = [
    # received Fri 09-30; 10-01…07 National Day; Sat 10-08, Sun 10-09 make-up working days:
    # (09-30, 10-09] holds 2 working days → within 2
    ("NDAY_SUN", "2022-09-30 10:00:00", "2022-10-09 09:00:00", True),
    # Mon 10-10 is the 3rd working day → late
    ("NDAY_MON", "2022-09-30 10:00:00", "2022-10-10 09:00:00", False),
    # Spring Festival 2022: received Fri 01-28; Sat 01-29 and Sun 01-30 were make-up working
    # days, 01-31…02-06 holiday. Answered Sun 01-30: 2 working days → on time
    ("SPRING_SUN", "2022-01-28 10:00:00", "2022-01-30 09:00:00", True),
    # answered Mon 02-07: 01-29, 01-30, 02-07 = 3 → late
    ("SPRING_MON", "2022-01-28 10:00:00", "2022-02-07 09:00:00", False),
    # received on a holiday (Mon 10-03): counting starts with the next working day;
    # answered Sun 10-09: 10-08, 10-09 = 2 → on time
    ("HOLIDAY_OK", "2022-10-03 10:00:00", "2022-10-09 09:00:00", True),
    # answered Mon 10-10: 3 → late
    ("HOLIDAY_LATE", "2022-10-03 10:00:00", "2022-10-10 09:00:00", False),
    # answered the same day
    ("SAME_DAY", "2022-03-01 10:00:00", "2022-03-01 15:00:00", True),
    # no response recorded → late
    ("NO_RESPONSE", "2022-03-01 10:00:00", None, False),
]


@pytest.fixture(scope="module")
def cases_eval():
    records = {"units": [s.unit(uid) for uid, *_ in CASES],
               "requests": [req(f"R-{uid}", uid, rec, resp) for uid, rec, resp, _ in CASES]}
    return s.evaluate(records)


@pytest.mark.parametrize(("uid", "on_time"), [(c[0], c[3]) for c in CASES])
def test_working_days(cases_eval, uid, on_time):
    r = s.result(cases_eval, uid, "timeliness")
    if on_time:
        assert (r.points, r.evidence) == (20.0, ())
    else:
        assert (r.points, r.evidence) == (0.0, (f"R-{uid}",))


def _twenty(late: int):
    reqs = [req(f"R{i:02d}", "U1", "2022-03-01 10:00:00", "2022-03-02 10:00:00")
            for i in range(20 - late)]
    reqs += [req(f"L{i:02d}", "U1", "2022-03-01 10:00:00") for i in range(late)]
    return {"units": [s.unit("U1"), s.unit("U2")], "requests": reqs}


def test_one_point_off_per_percentage_point():
    ev = s.evaluate(_twenty(1))
    r = s.result(ev, "U1", "timeliness")
    # 1 late of 20 = 5 % → 20 − 5 = 15
    assert r.points == 15.0
    assert r.evidence == ("L00",)


def test_per_point():
    ev = s.evaluate(_twenty(3), {"rules": {"timeliness": {"per_point": 0.5}}})
    # 3 of 20 = 15 % → 20 − 15 × 0.5 = 12.5
    assert s.points(ev, "U1", "timeliness") == 12.5


def test_floor_zero():
    ev = s.evaluate(_twenty(10))
    # 50 % late → 20 − 50 < 0 → 0
    assert s.points(ev, "U1", "timeliness") == 0.0


@pytest.mark.parametrize(("mode", "points", "applicable"),
                         [("zero", 0.0, True), ("full", 20.0, True),
                          ("not_applicable", 0.0, False)])
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(_twenty(1), {"rules": {"timeliness": {"when_empty": mode}}})
    r = s.result(ev, "U2", "timeliness")
    assert (r.points, r.applicable) == (points, applicable)


@pytest.mark.parametrize("value", [{"咨讯": 3}, {"咨询": -1}, {}])
def test_completion_days_typo_is_named(value):
    # a mistyped kind was silently kept, as [thresholds.not-delivered] refuses it
    from dxe_eval.ruleset import build_ruleset

    raw = s.raw()
    raw["rules"]["timeliness"]["completion_days"] = value
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert problems
    assert all("completion_days" in str(p) and "rules.timeliness" in str(p) for p in problems)
