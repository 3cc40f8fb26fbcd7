from __future__ import annotations

import pytest

from dxe_eval.ruleset import build_ruleset
from tests.unit.rules import support as s


def ratings(uid: str, good: int, bad: int, *, start: int = 0, appeal_bad: int = 0):
    """``good`` 满意 and ``bad`` 不满意 ratings, then ``appeal_bad`` 差评 overturned on appeal."""
    rows = []
    n = start
    for rating, count, upheld in (
        ("满意", good, False),
        ("不满意", bad, False),
        ("非常不满意", appeal_bad, True),
    ):
        for _ in range(count):
            n += 1
            row = {
                "response_id": f"{uid}-S{n:03d}",
                "unit_id": uid,
                "answered_on": "2022-08-01",
                "rating": rating,
            }
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


def test_small_sample_is_completed_at_the_peer_group():
    # 处室: U1 has 3 满意 of 3; U2 has 54 满意 and 3 不满意 (57). Pooled 满意率 of the 处室
    # units: (3 + 54) / (3 + 57) = 57/60 = 95 %.
    # U1 (3 < 10): (3 + (10 − 3) × 95 %) / 10 = 9.65 / 10 = 96.5 % →
    #     30 × (96.5 − 90) / (98 − 90) = 24.375 → 24.38 (half-up)
    # U2 (57 ≥ 10, its own rate): 54/57 = 94.736…% → 30 × 4.736…/8 = 17.763… → 17.76
    # U3, alone in 市州局 with 3 of 3: its pool is itself, 100 % → 30
    units = {
        "units": [s.unit("U1"), s.unit("U2"), s.unit("U3", "市州局")],
        "surveys": [*ratings("U1", 3, 0), *ratings("U2", 54, 3), *ratings("U3", 3, 0)],
    }
    ev = s.evaluate(units)
    r = s.result(ev, "U1", "satisfaction")
    assert r.points == 24.38
    assert "满意 3/3，不足 10 条，按同类平均 95.0% 补足：96.5%" in r.reason
    assert "completed to 10" in r.reason_en
    assert s.points(ev, "U2", "satisfaction") == 17.76
    assert s.points(ev, "U3", "satisfaction") == 30.0
    # min_cases = 0: the candidate's own rate, 100 % → 30
    own = s.evaluate(units, {"rules": {"satisfaction": {"min_cases": 0}}})
    assert s.points(own, "U1", "satisfaction") == 30.0


def test_a_person_with_three_perfect_ratings_scores_below_one_with_forty():
    # one unit, three people (the peer group of the people of 处室): P1 3 满意 of 3, P2 40
    # of 40, P3 8 满意 and 2 不满意 of 10. Pool: 51 / 53 = 96.226…%.
    # P1: (3 + 7 × 51/53) / 10 = (159 + 357) / 530 = 516/530 = 97.358…% →
    #     30 × 7.358…/8 = 27.594… → 27.59; P2 40 of 40 = 100 % → 30.
    rows = []
    for pid, good, bad in (("P1", 3, 0), ("P2", 40, 0), ("P3", 8, 2)):
        for i, rating in enumerate(["满意"] * good + ["不满意"] * bad):
            rows.append(
                {
                    "response_id": f"{pid}-{i:02d}",
                    "unit_id": "U1",
                    "handler_id": pid,
                    "answered_on": "2022-08-01",
                    "rating": rating,
                }
            )
    people = [s.person("P1"), s.person("P2"), s.person("P3")]
    ev = s.evaluate({"units": [s.unit("U1")], "people": people, "surveys": rows})
    assert s.points(ev, "P1", "satisfaction") == 27.59
    assert s.points(ev, "P2", "satisfaction") == 30.0


def test_no_ratings_at_all_is_not_applicable():
    ev = s.evaluate({"units": [s.unit("U1")]})
    r = s.result(ev, "U1", "satisfaction")
    assert not r.applicable
    assert "无有效评价" in r.reason


@pytest.mark.parametrize("key", ["min_responses", "fallback"])
def test_a_removed_key_is_named_with_what_replaced_it(key):
    raw = s.raw()
    raw["rules"]["satisfaction"][key] = 10 if key == "min_responses" else "score"
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert len(problems) == 1
    text = str(problems[0])
    assert f"[rules.satisfaction] {key}" in text and "removed key" in text
    assert "replaced by min_cases" in text


def test_a_request_rated_twice_counts_once_as_its_latest_rating():
    # R1 rated 不满意 on 03-08 (never rectified), then 满意 on 03-10 (a 追评): only the 满意
    # counts. With 9 other 满意 ratings: 10 valid, 10 satisfied → 满意率 100 % → 30 points;
    # no 差评 anywhere (差评率 0/10, nothing unrectified, nothing open at the period's end).
    # R2 rated twice the same day: the later row (S-R2b, 满意) counts over S-R2a (非常不满意).
    reqs = [
        {
            "request_id": r,
            "unit_id": "U1",
            "received_at": "2022-03-07 09:00:00",
            "closed_at": "2022-03-07 10:00:00",
            "outcome": "delivered",
            "kind": "咨询",
        }
        for r in ("R1", "R2")
    ]
    rows = [
        {
            "response_id": "S-R1a",
            "unit_id": "U1",
            "answered_on": "2022-03-08",
            "rating": "不满意",
            "request_id": "R1",
        },
        {
            "response_id": "S-R2a",
            "unit_id": "U1",
            "answered_on": "2022-03-08",
            "rating": "非常不满意",
            "request_id": "R2",
        },
        {
            "response_id": "S-R2b",
            "unit_id": "U1",
            "answered_on": "2022-03-08",
            "rating": "满意",
            "request_id": "R2",
        },
        {
            "response_id": "S-R1b",
            "unit_id": "U1",
            "answered_on": "2022-03-10",
            "rating": "满意",
            "request_id": "R1",
        },
        *(
            {"response_id": f"S{i}", "unit_id": "U1", "answered_on": "2022-03-08", "rating": "满意"}
            for i in range(8)
        ),
    ]
    ev = s.evaluate({"units": [s.unit("U1")], "requests": reqs, "surveys": rows})
    assert s.points(ev, "U1", "satisfaction") == 30.0
    m = ev.measures[("unit", "U1")]
    assert (m.responses, m.satisfied, m.bad, m.open_bad) == (10, 10, 0, 0)
    assert {f.threshold for f in ev.findings_of("U1")} == set()
    card = ev.scorecard("U1")
    assert card is not None and card.assessments["unrectified"].level is None
    [note] = [w for w in ev.warnings if w.startswith("满意度测评")]
    assert note.startswith(
        "满意度测评 2 条被同一服务需求的追评取代，不计入任何评分、预警和表彰："
        "S-R1a（服务需求 R1 以 2022-03-10 的评价 S-R1b 为准）、"
        "S-R2a（服务需求 R2 以 2022-03-08 的评价 S-R2b 为准）"
    )
