from __future__ import annotations

import pytest

from tests.unit.rules import support as s


def ratings(uid: str, good: int, bad: int, *, start: int = 0, appeal_bad: int = 0):
    """``good`` 满意 and ``bad`` 不满意 ratings, then ``appeal_bad`` 差评 overturned on appeal."""
    rows = []
    n = start
    for rating, count, upheld in (("满意", good, False), ("不满意", bad, False),
                                  ("非常不满意", appeal_bad, True)):
        for _ in range(count):
            n += 1
            row = {"response_id": f"{uid}-S{n:03d}", "unit_id": uid,
                   "answered_on": "2022-08-01", "rating": rating}
            if upheld:
                row["appeal_upheld"] = "是"
            rows.append(row)
    return rows


def records(**units: tuple[int, int] | tuple[int, int, int]):
    surveys = []
    for uid, spec in units.items():
        surveys += ratings(uid, spec[0], spec[1], appeal_bad=spec[2] if len(spec) > 2 else 0)
    return {"units": [s.unit(u) for u in units], "surveys": surveys}


def test_boundaries():
    ev = s.evaluate(records(U90=(45, 5), U98=(49, 1), U94=(47, 3)))
    # 45/50 = 90 % → exactly zero_at → 0
    assert s.points(ev, "U90", "satisfaction") == 0.0
    # 49/50 = 98 % → exactly full_at → 30
    assert s.points(ev, "U98", "satisfaction") == 30.0
    # 47/50 = 94 % → (94 − 90)/(98 − 90) = 1/2 → 15
    assert s.points(ev, "U94", "satisfaction") == 15.0
    r = s.result(ev, "U94", "satisfaction")
    assert r.evidence == ("U94-S048", "U94-S049", "U94-S050")  # the 差评


def test_overturned_bad_review_is_not_counted():
    ev = s.evaluate(records(UA=(49, 1, 1), UB=(49, 2)))
    # UA: the overturned 差评 is dropped: 49/50 = 98 % → 30
    r = s.result(ev, "UA", "satisfaction")
    assert r.points == 30.0
    assert r.evidence == ("UA-S050",)
    assert "申诉撤销差评 1 条不计" in r.reason
    # UB: the same 差评 kept: 49/51 = 96.078 % → 30 × (4900/51 − 90)/8 = 9300/408 = 22.794 → 22.79
    assert s.points(ev, "UB", "satisfaction") == 22.79


@pytest.mark.parametrize(("fallback", "points", "applicable"),
                         [("not_applicable", 0.0, False), ("full", 30.0, True),
                          ("zero", 0.0, True), ("score", 15.0, True)])
def test_min_responses_fallback(fallback, points, applicable):
    # 50 valid ratings, under min_responses = 60; 47/50 = 94 % would give 15 if scored
    ev = s.evaluate(records(U1=(47, 3)),
                    {"rules": {"satisfaction": {"min_responses": 60, "fallback": fallback}}})
    r = s.result(ev, "U1", "satisfaction")
    assert (r.points, r.applicable) == (points, applicable)
    if fallback != "score":
        assert "少于 60 条" in r.reason


def test_no_ratings_at_all_is_not_scored_even_with_score_fallback():
    ev = s.evaluate({"units": [s.unit("U1")]},
                    {"rules": {"satisfaction": {"fallback": "score"}}})
    r = s.result(ev, "U1", "satisfaction")
    assert not r.applicable
