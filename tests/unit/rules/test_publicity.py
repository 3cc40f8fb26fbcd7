from __future__ import annotations

from tests.unit.rules import support as s


def media(iid, tier="provincial", on="2022-06-08", uid=None, project=None):
    row = {"item_id": iid, "outlet": "湖北日报", "tier": tier, "published_on": on}
    if uid:
        row["unit_id"] = uid
    if project:
        row["project_id"] = project
    return row


RECORDS = {
    "units": [s.unit("U1"), s.unit("U2"), s.unit("U3")],
    "projects": [s.project("J2", "U2")],
    "media": [
        media("M2", uid="U1"),
        media("M1", tier="city", uid="U1"),
        media("M3", project="J2"),  # a project's item counts for its unit U2
        media("M4", uid="U3", on="2021-12-31"),  # before the period
    ],
}


def test_any_item_gives_full_points():
    ev = s.evaluate(RECORDS)
    r = s.result(ev, "U1", "publicity")
    assert r.points == 5.0
    assert r.evidence == ("M1", "M2")
    r2 = s.result(ev, "U2", "publicity")
    assert r2.points == 5.0
    assert r2.evidence == ("M3",)


def test_nothing_in_period_is_zero():
    r = s.result(s.evaluate(RECORDS), "U3", "publicity")
    assert r.applicable
    assert r.points == 0.0
    assert r.evidence == ()


def test_points_parameter():
    over = {"rules": {"publicity": {"points": 4}, "standard": {"points": 9}}}
    # weights must still add up to 100: 9 + 8 + 8 + 6 + 10 + 5 + 4 + 30 + 20
    r = s.result(s.evaluate(RECORDS, over), "U1", "publicity")
    assert (r.points, r.max) == (4.0, 4.0)
