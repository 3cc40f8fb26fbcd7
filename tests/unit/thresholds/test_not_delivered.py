"""服务不落实 (not-delivered): bands 3 / 5 / 10 %, strict ">", min_cases 10.

A bad request here has outcome not_delivered; the others are delivered the day
they came. Rates (exact):

    3/101 = 2.97 % → none        3/100 = 3 % (at) → none      3/99 = 3.03 % → 警示
    1/21  = 4.76 % → 警示         1/20  = 5 %      → 警示       1/19 = 5.26 % → 责令改正
    2/21  = 9.52 % → 责令改正     2/20  = 10 %     → 责令改正   2/19 = 10.53 % → 通报批评
    9/9 under min_cases → not judged;  10/10 → 通报批评 only
"""

from __future__ import annotations

import pytest

from dxe_eval.ruleset import build_ruleset
from tests.unit.thresholds import support as s

TID = "not-delivered"

PROFILES = {
    "W-": (3, 101, None),
    "W=": (3, 100, None),
    "W+": (3, 99, "warning"),
    "R-": (1, 21, "warning"),
    "R=": (1, 20, "warning"),
    "R+": (1, 19, "rectify"),
    "C-": (2, 21, "rectify"),
    "C=": (2, 20, "rectify"),
    "C+": (2, 19, "criticize"),
    "MIN9": (9, 9, None),
    "ALL10": (10, 10, "criticize"),
}


@pytest.fixture(scope="module")
def ev():
    reqs = [
        r
        for u, (bad, n, _) in PROFILES.items()
        for r in s.requests(u, n, bad, outcome="not_delivered")
    ]
    return s.evaluate({"units": s.units(*PROFILES), "requests": reqs})


@pytest.mark.parametrize("unit", list(PROFILES))
def test_band_edges(ev, unit):
    bad, n, level = PROFILES[unit]
    a = s.assessment(ev, unit, TID)
    assert a.level == level
    assert s.levels(ev, unit).get(TID) == level
    if unit != "MIN9":
        assert a.count == bad
        assert a.value == pytest.approx(100 * bad / n)


def test_under_min_cases_not_judged(ev):
    a = s.assessment(ev, "MIN9", TID)
    assert a.level is None and not a.judged
    assert "少于 10 件" in a.reason


def test_highest_band_only(ev):
    found = [f for f in ev.findings_of("ALL10") if f.threshold == TID]
    assert [(f.level, f.limit) for f in found] == [("criticize", 10.0)]


def _open(rid: str, received: str, kind: str | None, **extra) -> dict:
    return {
        "request_id": rid,
        "unit_id": "A",
        "received_at": f"{received} 09:00:00",
        "kind": kind,
        "responded_at": f"{received} 10:00:00",
        "closed_at": None,
        "outcome": "open",
        **extra,
    }


def test_open_past_its_completion_limit_at_period_end():
    # Period end Sat 2022-12-31 (not a working day); the last working day is Fri 12-30.
    # 咨询 (3 days): received Tue 12-27 → 12-28, 12-29, 12-30 = 3, not > 3: not yet due,
    #               left out of the rate.
    #               received Mon 12-26 → 12-27 … 12-30 = 4 > 3: open past the limit.
    # no kind → largest limit, 15: received Fri 12-09 → 12-12…16, 19…23, 26…30 = 15: not
    #               yet due; received Thu 12-08 → 16 > 15: open past the limit.
    # 投诉 (15) received Thu 12-08, delivered and closed Fri 12-30: (12-08, 12-30] holds
    #               12-09, 12-12…16, 19…23, 26…30 = 16 > 15: closed past the limit.
    # open with closed_at set but outcome "open", 咨询 received 12-26 → not closed: open past.
    # 求助 (7) received Mon 12-19 → 12-20…23 (4) + 12-26…30 (5) = 9 > 7: open past the limit.
    reqs = [
        _open("N1", "2022-12-27", "咨询"),
        _open("N2", "2022-12-26", "咨询"),
        _open("N3", "2022-12-09", None),
        _open("N4", "2022-12-08", None),
        _open("N5", "2022-12-08", "投诉", closed_at="2022-12-30 10:00:00", outcome="delivered"),
        _open("N6", "2022-12-26", "咨询", closed_at="2022-12-30 10:00:00"),
        _open("N7", "2022-12-19", "求助", outcome=None),
        *s.requests("A", 13, 0),
    ]
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    a = s.assessment(ev, "A", TID)
    # 20 received, N1 and N3 not yet due: 18 judged; 1 closed past + 4 open past = 5;
    # 5/18 = 27.8 % → 通报批评; the evidence by way: closed past, then open past
    assert a.evidence == ("N5", "N2", "N4", "N6", "N7")
    assert (a.count, a.level) == (5, "criticize")
    assert a.value == pytest.approx(500 / 18)
    assert a.reason == (
        "服务不落实率 27.8%（> 10%），通报批评：未落实 0 件、超期办结 1 件、超期未办结 4 件 / 18 件"
    )


@pytest.mark.parametrize(
    ("late", "level", "shown"),
    [(3, "criticize", "15.0%（> 10%），通报批评"), (2, "rectify", "10.0%（> 5%），责令改正")],
)
def test_delivered_but_closed_past_the_limit(late, level, shown):
    # 20 咨询 received Mon 2022-03-07, all delivered; the first `late` closed Fri 03-11:
    # (03-07, 03-11] = 4 working days > 3 → closed past the limit. 3/20 = 15 % > 10 %:
    # 通报批评; 2/20 = 10 %, not > 10 % but > 5 %: 责令改正.
    reqs = s.requests("A", 20, late, closed_at="2022-03-11 16:00:00")
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    a = s.assessment(ev, "A", TID)
    assert a.level == level
    assert a.reason == (
        f"服务不落实率 {shown}：未落实 0 件、超期办结 {late} 件、超期未办结 0 件 / 20 件"
    )


def test_withdrawn_and_not_yet_due_are_left_out_of_the_rate():
    # 20 delivered in time, 1 not delivered, 1 withdrawn, 1 open within its limit (咨询
    # received 12-29: 12-30 = 1 working day to the period's end): 1 of 21 judged = 4.76 %
    # → 警示 (with the withdrawn and the open one counted it would be 1/23 = 4.35 %)
    reqs = [
        *s.requests("A", 21, 1, outcome="not_delivered"),
        _open("W1", "2022-03-01", "咨询", outcome="withdrawn"),
        _open("O1", "2022-12-29", "咨询"),
    ]
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    a = s.assessment(ev, "A", TID)
    assert (a.level, a.count, a.evidence) == ("warning", 1, ("A-R000",))
    assert a.value == pytest.approx(100 / 21)
    assert a.reason.endswith("未落实 1 件、超期办结 0 件、超期未办结 0 件 / 21 件")


def test_the_ruleset_limits_change_the_limit():
    # With [limits] 咨询 = 4 days, the request received 12-26 (4 working days) is no longer
    # overdue; the limits are declared once, for this threshold and the timeliness rule.
    reqs = [_open("N2", "2022-12-26", "咨询"), *s.requests("A", 9, 0)]
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    assert s.assessment(ev, "A", TID).count == 1
    over = {"limits": {"completion_days": {"咨询": 4, "投诉": 15}}}
    ev = s.evaluate({"units": s.units("A"), "requests": reqs}, over)
    assert s.assessment(ev, "A", TID).count == 0


def test_a_withdrawn_request_is_never_undelivered():
    # withdrawn with no closed_at, received 03-01: its limit passed long ago, but a
    # withdrawn request is not judged on completion (nor counted as not delivered)
    reqs = [_open("W1", "2022-03-01", "咨询", outcome="withdrawn"), *s.requests("A", 9, 0)]
    ev = s.evaluate({"units": s.units("A"), "requests": reqs})
    assert s.assessment(ev, "A", TID).count == 0


@pytest.mark.parametrize("value", [{"咨讯": 3}, {"咨询": -1}, {}])
def test_limits_are_checked_naming_the_table(value):
    raw = s.raw_ruleset()
    raw["limits"] = {"completion_days": value}
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert problems
    assert all("[limits] completion_days" in str(p) for p in problems)


def test_completion_days_here_is_named_as_moved_to_limits():
    raw = s.raw_ruleset()
    raw["thresholds"][TID]["completion_days"] = {"咨询": 3}
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert len(problems) == 1
    text = str(problems[0])
    assert "[thresholds.not-delivered] completion_days" in text
    assert "removed key" in text and "[limits] completion_days" in text


def test_applies_to_is_checked():
    raw = s.raw_ruleset()
    raw["thresholds"][TID]["applies_to"] = ["team"]
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert problems
    assert all("applies_to" in str(p) and "thresholds.not-delivered" in str(p) for p in problems)
