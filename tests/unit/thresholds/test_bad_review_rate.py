"""差评率较高 (bad-review-rate): bands 2 / 5 / 10 %, strict ">", min_cases 10 valid ratings.

差评 = rating 1 or 2; 差评 overturned on appeal leave numerator and denominator.
Rates (exact):

    1/51 = 1.96 % → none          1/50 = 2 % (at) → none      1/49 = 2.04 % → 警示
    1/21 = 4.76 % → 警示           1/20 = 5 %      → 警示       1/19 = 5.26 % → 责令改正
    2/21 = 9.52 % → 责令改正       2/20 = 10 %     → 责令改正   2/19 = 10.53 % → 通报批评
    9/9 under min_cases → not judged;  10/10 → 通报批评 only
"""

from __future__ import annotations

import pytest

from tests.unit.thresholds import support as s

TID = "bad-review-rate"

PROFILES = {
    "W-": (1, 51, None),
    "W=": (1, 50, None),
    "W+": (1, 49, "warning"),
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
    rows = [r for u, (bad, n, _) in PROFILES.items() for r in s.surveys(u, n, bad)]
    return s.evaluate({"units": s.units(*PROFILES), "surveys": rows})


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
    assert s.levels(ev, "MIN9") == {}


def test_highest_band_only(ev):
    found = [f for f in ev.findings_of("ALL10") if f.threshold == TID]
    assert [(f.level, f.limit) for f in found] == [("criticize", 10.0)]


def test_overturned_leave_the_denominator_and_rating_two_is_bad():
    # 47 满意 + 1 不满意 (rating 2) + 1 非常不满意 overturned + 1 基本满意 (3, not bad):
    # valid = 49, bad = 1 → 1/49 = 2.04 % > 2 → 警示.
    # (Were the overturned one counted as valid: 1/50 = 2 % → none; as bad: 2/50 → 警示
    # with count 2.) 基本满意 is not a 差评.
    rows = s.surveys("A", 49, 1, rating=2)
    rows[1]["rating"] = 3
    rows.append(
        {
            "response_id": "A-X",
            "unit_id": "A",
            "answered_on": "2022-03-08",
            "rating": "非常不满意",
            "appeal_upheld": True,
        }
    )
    ev = s.evaluate({"units": s.units("A"), "surveys": rows})
    a = s.assessment(ev, "A", TID)
    assert (a.level, a.count, a.evidence) == ("warning", 1, ("A-S000",))
    assert a.value == pytest.approx(100 / 49)


def test_only_surveys_answered_in_the_period():
    # 10 ratings in 2022, none bad; 5 bad ones answered in Dec 2021 are ignored.
    rows = s.surveys("A", 10, 0)
    rows += [
        {"response_id": f"A-O{i}", "unit_id": "A", "answered_on": "2021-12-20", "rating": 1}
        for i in range(5)
    ]
    ev = s.evaluate({"units": s.units("A"), "surveys": rows})
    a = s.assessment(ev, "A", TID)
    assert (a.level, a.count, a.value) == (None, 0, 0.0)
