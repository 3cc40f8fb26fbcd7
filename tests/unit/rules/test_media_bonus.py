from __future__ import annotations

import pytest

from dxe_eval.rules.media_bonus import MediaBonusParams
from tests.unit.rules import support as s


def media(iid, tier, *, uid=None, project=None, url=None, title=None, on="2022-06-08"):
    row = {"item_id": iid, "outlet": "某媒体", "tier": tier, "published_on": on}
    for key, value in (("unit_id", uid), ("project_id", project), ("url", url), ("title", title)):
        if value is not None:
            row[key] = value
    return row


RECORDS = {
    "units": [s.unit(u) for u in ("U1", "U2", "U3", "U4", "U5")],
    "projects": [s.project("J1", "U3"), s.project("J2", "U4")],
    "media": [
        # U1: M1 national and M2 provincial share a url: one story at 3
        media("M1", "national", uid="U1", url="http://a/1", title="甲"),
        media("M2", "provincial", uid="U1", url="http://a/1", title="乙"),
        # M3 provincial and M4 industry share a title (no url): one story at 1.5
        media("M3", "provincial", uid="U1", title="店小二上门"),
        media("M4", "industry", uid="U1", title="店小二上门"),
        # M5 city: 0 points
        media("M5", "city", uid="U1"),
        # M0 published before the period
        media("M0", "national", uid="U1", on="2021-12-31"),
        # U2: two national stories, 3 + 3 = 6 → capped at 5
        media("M6", "national", uid="U2", url="http://b/1"),
        media("M7", "national", uid="U2", url="http://b/2"),
        # U3: only its project J1's provincial item
        media("M8", "provincial", project="J1"),
        # U4: its own national item and its project's provincial item on the same url
        media("M9", "national", uid="U4", url="http://c/1"),
        media("M10", "provincial", project="J2", url="http://c/1"),
    ],
}


def test_highest_tier_per_story():
    r = s.result(s.evaluate(RECORDS), "U1", "media-bonus")
    # story http://a/1: max(3, 1.5) = 3; story 店小二上门: max(1.5, 1.5) = 1.5; M5 city 0
    # 3 + 1.5 + 0 = 4.5 (under the cap 5)
    assert r.points == 4.5
    assert r.max == 5.0
    assert r.evidence == ("M1", "M3")  # M5 earned nothing
    assert "M2" in r.reason and "M4" in r.reason  # named as repeats


def test_cap():
    r = s.result(s.evaluate(RECORDS), "U2", "media-bonus")
    # 3 + 3 = 6 > 5 → 5
    assert r.points == 5.0
    assert r.evidence == ("M6", "M7")
    assert "上限 5 分" in r.reason


def test_project_item_counts_for_its_unit():
    ev = s.evaluate(RECORDS)
    assert s.points(ev, "U3", "media-bonus") == 1.5
    assert s.points(ev, "J1", "media-bonus") == 1.5


def test_unit_and_project_item_on_the_same_story_count_once():
    ev = s.evaluate(RECORDS)
    # U4: M9 (national 3) and M10 (provincial 1.5) share a url → 3, not 4.5
    assert s.points(ev, "U4", "media-bonus") == 3.0
    assert s.result(ev, "U4", "media-bonus").evidence == ("M9",)
    # J2 only has M10
    assert s.points(ev, "J2", "media-bonus") == 1.5


def test_no_items():
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U5", "media-bonus")
    assert (r.points, r.max, r.evidence) == (0.0, 5.0, ())


def test_cap_is_the_maximum_and_bonus_is_added():
    ev = s.evaluate(RECORDS, {"rules": {"media-bonus": {"cap": 2.0, "city": 0.5}}})
    r = s.result(ev, "U1", "media-bonus")
    # 3 + 1.5 + 0.5 (M5 city now earns) = 5 → capped at 2
    assert (r.points, r.max) == (2.0, 2.0)
    assert r.evidence == ("M1", "M3", "M5")
    assert ev.scorecard("U1").bonus == 2.0


def test_params_validation_names_the_field():
    with pytest.raises(ValueError, match="national"):
        MediaBonusParams(national=-1)
    with pytest.raises(ValueError, match="cap"):
        MediaBonusParams(cap=-0.5)


def test_industry_media_earn_nothing_by_default():
    # the notice pays national and provincial media only: an industry-only story gives
    # 0 under the default ruleset (and under the parameter class's default); the unit's
    # 媒体有宣传 still counts the item (any media item publicises the work)
    records = {
        "units": [s.unit("U1")],
        "media": [media("M1", "industry", uid="U1", title="行业报道")],
    }
    ev = s.evaluate(records)
    r = s.result(ev, "U1", "media-bonus")
    assert (r.points, r.evidence) == (0.0, ())
    assert s.points(ev, "U1", "publicity") == 5.0
    assert MediaBonusParams().industry == 0.0
    # a ruleset may still pay it: 1.5 for the one story
    paid = s.evaluate(records, {"rules": {"media-bonus": {"industry": 1.5}}})
    assert s.points(paid, "U1", "media-bonus") == 1.5
