"""时效: response (0.7 of the points) and completion within the kind's limit (0.3).

Each part: full at 0 % late, zero at ``zero_at`` (20) % late or more, linear; a
part's late share from fewer than ``min_cases`` (10) requests is completed to 10
at the peer group's pooled share. Each part's points are rounded half-up to
cents, then added.
"""

from __future__ import annotations

import pytest

from dxe_eval.ruleset import build_ruleset
from tests.unit.rules import support as s


def req(rid, uid, received, responded=None, closed="same", kind=None, outcome="delivered"):
    """A request; closed when it was answered unless ``closed`` says otherwise."""
    row = {"request_id": rid, "unit_id": uid, "received_at": received, "outcome": outcome}
    if responded:
        row["responded_at"] = responded
    closed_at = responded if closed == "same" else closed
    if closed_at:
        row["closed_at"] = closed_at
    if kind:
        row["kind"] = kind
    return row


# one request per unit, scored on its own (min_cases = 1): the response part decides
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
]


@pytest.fixture(scope="module")
def cases_eval():
    records = {
        "units": [s.unit(uid) for uid, *_ in CASES],
        "requests": [req(f"R-{uid}", uid, rec, resp) for uid, rec, resp, _ in CASES],
    }
    return s.evaluate(records, {"rules": {"timeliness": {"min_cases": 1}}})


@pytest.mark.parametrize(("uid", "on_time"), [(c[0], c[3]) for c in CASES])
def test_working_days(cases_eval, uid, on_time):
    # closed when answered: within any kind's limit (no kind: the largest, 15), so the
    # completion part (0.3 × 20 = 6) is full. Response part 14 on time, 0 late (100 %).
    r = s.result(cases_eval, uid, "timeliness")
    if on_time:
        assert (r.points, r.evidence) == (20.0, ())
    else:
        assert (r.points, r.evidence) == (6.0, (f"R-{uid}",))


def test_no_response_and_never_closed_is_late_twice():
    # no response recorded → late; never closed, received 03-01: its limit (15 working
    # days, no kind) passed long before the period's end → late on completion too: 0 + 0
    ev = s.evaluate(
        {"units": [s.unit("U1")], "requests": [req("R1", "U1", "2022-03-01 10:00:00")]},
        {"rules": {"timeliness": {"min_cases": 1}}},
    )
    r = s.result(ev, "U1", "timeliness")
    assert (r.points, r.evidence) == (0.0, ("R1",))
    assert "超时 1/1" in r.reason and "超期 1/1" in r.reason


def _twenty(late: int, overdue: int = 0):
    """20 咨询 of U1 received Tue 03-01; ``late`` never answered in time (answered Fri
    03-04, the 3rd working day), ``overdue`` closed Mon 03-07 (4th working day > 3)."""
    reqs = []
    for i in range(20):
        responded = "2022-03-04 10:00:00" if i < late else "2022-03-02 10:00:00"
        closed = "2022-03-07 10:00:00" if i >= 20 - overdue else "2022-03-04 16:00:00"
        reqs.append(req(f"R{i:02d}", "U1", "2022-03-01 10:00:00", responded, closed, "咨询"))
    return {"units": [s.unit("U1"), s.unit("U2")], "requests": reqs}


def test_two_parts():
    ev = s.evaluate(_twenty(1, 2))
    r = s.result(ev, "U1", "timeliness")
    # response: 1 of 20 late = 5 % → 14 × (1 − 5/20) = 10.5
    # completion: 2 of 20 closed on the 4th working day, limit 3 → 10 % → 6 × (1 − 10/20) = 3
    # 10.5 + 3 = 13.5; evidence: the late and the overdue requests
    assert r.points == 13.5
    assert r.evidence == ("R00", "R18", "R19")
    assert "响应（14 分）：超时 1/20（5%）" in r.reason
    assert "办结（6 分）：超期 2/20（10%）" in r.reason


def test_zero_at_and_points_scale_together():
    # 4 of 20 late = 20 % = zero_at → response 0; completion all on time → 6
    assert s.points(s.evaluate(_twenty(4)), "U1", "timeliness") == 6.0
    # points 10: 1 late of 20 → response 7 × (1 − 5/20) = 5.25, completion 3 → 8.25
    # (the deduction scales with the points: per_point is gone)
    ev = s.evaluate(
        _twenty(1), {"rules": {"timeliness": {"points": 10.0}, "satisfaction": {"points": 40.0}}}
    )
    assert s.points(ev, "U1", "timeliness") == 8.25
    # zero_at 10: 1 of 20 = 5 % → 14 × (1 − 5/10) = 7, + 6 = 13
    ev = s.evaluate(_twenty(1), {"rules": {"timeliness": {"zero_at": 10.0}}})
    assert s.points(ev, "U1", "timeliness") == 13.0


def test_a_part_without_judged_requests_gives_its_weight_to_the_other():
    # 10 咨询 received Thu 12-29, answered the same day, still open at the period's end:
    # (12-29, 12-31] holds one working day (12-30), within the limit 3 → not judged yet.
    # One withdrawn request, answered in time: not judged on completion either.
    # Response: 0 of 11 late → the whole 20 points.
    reqs = [
        req(
            f"R{i:02d}",
            "U1",
            "2022-12-29 09:00:00",
            "2022-12-29 10:00:00",
            None,
            "咨询",
            outcome="open",
        )
        for i in range(10)
    ]
    reqs.append(
        req(
            "W1",
            "U1",
            "2022-03-01 09:00:00",
            "2022-03-01 10:00:00",
            None,
            "投诉",
            outcome="withdrawn",
        )
    )
    ev = s.evaluate({"units": [s.unit("U1")], "requests": reqs})
    r = s.result(ev, "U1", "timeliness")
    assert r.points == 20.0
    assert "响应（20 分）" in r.reason
    assert "另有 10 件未办结、未到办结时限，暂不评价办结" in r.reason
    assert "撤回 1 件不评价办结" in r.reason


def test_small_sample_completed_at_the_peer_group():
    # 处室: U1 has 3 requests, all on time; U2 has 17, 2 answered late (03-04).
    # Pooled response late share of 处室 units: 2 / 20 = 10 %.
    # U1: (0 + (10 − 3) × 10 %) / 10 = 7 % → 14 × (1 − 7/20) = 9.1; completion: no
    #     overdue anywhere → pool 0 %, U1 (0 + 7 × 0) / 10 = 0 → 6. 9.1 + 6 = 15.1.
    # U2 (17 ≥ 10, its own share): 2/17 = 11.7647…% → 14 × (1 − 0.588235…) = 5.7647… →
    #     5.76; + 6 = 11.76.
    # U3, alone in 市州局 with 3 on time: its pool is itself, 0 % → 20.
    def block(uid, n, late, first=0):
        return [
            req(
                f"{uid}-{i:02d}",
                uid,
                "2022-03-01 10:00:00",
                "2022-03-04 10:00:00" if i < late else "2022-03-02 10:00:00",
                "2022-03-04 16:00:00",
                "咨询",
            )
            for i in range(first, first + n)
        ]

    records = {
        "units": [s.unit("U1"), s.unit("U2"), s.unit("U3", "市州局")],
        "requests": [*block("U1", 3, 0), *block("U2", 17, 2), *block("U3", 3, 0)],
    }
    ev = s.evaluate(records)
    r = s.result(ev, "U1", "timeliness")
    assert r.points == 15.1
    assert "超时 0/3，不足 10 件，按同类平均 10% 补足：7%" in r.reason
    assert s.points(ev, "U2", "timeliness") == 11.76
    assert s.points(ev, "U3", "timeliness") == 20.0
    # min_cases = 0: every share is the candidate's own
    own = s.evaluate(records, {"rules": {"timeliness": {"min_cases": 0}}})
    assert s.points(own, "U1", "timeliness") == 20.0


def test_completion_limits_come_from_the_ruleset_limits():
    # 20 咨询 closed on the 4th working day: late under 咨询 = 3, on time under 咨询 = 4
    ev = s.evaluate(_twenty(0, 20))
    assert s.points(ev, "U1", "timeliness") == 14.0
    ev = s.evaluate(_twenty(0, 20), {"limits": {"completion_days": {"咨询": 4}}})
    assert s.points(ev, "U1", "timeliness") == 20.0


@pytest.mark.parametrize(
    ("mode", "points", "applicable"),
    [("zero", 0.0, True), ("full", 20.0, True), ("not_applicable", 0.0, False)],
)
def test_when_empty(mode, points, applicable):
    ev = s.evaluate(_twenty(1), {"rules": {"timeliness": {"when_empty": mode}}})
    r = s.result(ev, "U2", "timeliness")
    assert (r.points, r.applicable) == (points, applicable)


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("per_point", 1.0, "replaced by zero_at"),
        ("completion_days", {"咨询": 3}, "[limits] completion_days"),
    ],
)
def test_a_removed_key_is_named_with_what_replaced_it(key, value, says):
    raw = s.raw()
    raw["rules"]["timeliness"][key] = value
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert len(problems) == 1
    text = str(problems[0])
    assert f"[rules.timeliness] {key}" in text and "removed key" in text and says in text
    assert "did you mean" not in text


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ({"response": 0.7, "completion": 0.2}, "add up to 1"),
        ({"response": 0.7, "closing": 0.3}, "exactly"),
        ({"response": 1.5, "completion": -0.5}, "from 0"),
    ],
)
def test_weights_are_checked(value, says):
    raw = s.raw()
    raw["rules"]["timeliness"]["weights"] = value
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert len(problems) == 1
    assert "weights" in str(problems[0]) and says in str(problems[0])
