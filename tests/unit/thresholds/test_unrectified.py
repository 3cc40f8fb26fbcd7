"""逾期未整改 (unrectified): 差评 by count and share, and 责令改正 not rectified in time.

Working days are counted in (start, end]. March 2022 and November 2021 hold no holiday:
- a 差评 answered Mon 2022-03-07: rectified Mon 03-14 = 03-08…03-11 (4) + 03-14 = 5 → in time;
  rectified Tue 03-15 = 6 → late; never rectified → late (its deadline passed long before
  the period's end).
- a 责令改正 issued Mon 2021-11-01: 11-02…05 (4), 08…12 (9), 15…19 (14), Mon 11-22 = 15: its
  deadline is 2021-11-22, before the 2022 period. Rectified 11-22: in time; rectified 11-23
  or 12-10: late, but judged in 2021 and never counted again in 2022; never rectified, or
  rectified only in 2023: still open at 2022-12-31 → 通报批评 in 2022.
- a 责令改正 issued Tue 2022-03-01: 03-02…04 (3), 07…11 (8), 14…18 (13), Mon 03-21 = 14,
  Tue 03-22 = 15: its deadline 2022-03-22 falls in the period. Rectified 03-23 (late) →
  通报批评 in 2022.

差评 levels (defaults warning_count 1, rectify_count 3, rectify_share 20 % from
share_min_bad 5 valid 差评):
- ONE: 1 unrectified of 1 差评 → 1 ≥ 1: 警示 (fewer than 5 差评: no share judged);
- THREE: 3 unrectified of 3 → 3 ≥ 3: 责令改正;
- SHARE: 2 unrectified of 5 差评 (3 in time) → 2 < 3, but 2/5 = 40 % > 20 %: 责令改正;
- FIFTH: 1 unrectified of 5 差评 → 1/5 = 20 %, not > 20 %: 警示.
"""

from __future__ import annotations

import pytest

from dxe_eval.ruleset import build_ruleset
from tests.unit.thresholds import support as s

TID = "unrectified"


def _bad(unit: str, rid: str, rectified: str | None, **extra) -> dict:
    return {
        "response_id": rid,
        "unit_id": unit,
        "answered_on": "2022-03-07",
        "rating": 1,
        "rectified_on": rectified,
        **extra,
    }


def _sanction(unit: str, level: str, issued: str, rectified: str | None) -> dict:
    return {"candidate_id": unit, "level": level, "issued_on": issued, "rectified_on": rectified}


def _bads(unit: str, late: int, in_time: int) -> list[dict]:
    return [_bad(unit, f"{unit}-{i}", None) for i in range(late)] + [
        _bad(unit, f"{unit}-ok{i}", "2022-03-08") for i in range(in_time)
    ]


@pytest.fixture(scope="module")
def ev():
    surveys = [
        _bad("OK5", "OK5-1", "2022-03-14"),  # 5 working days: in time
        _bad("LATE6", "LATE6-1", "2022-03-15"),  # 6: late → 警示
        _bad("NEVER", "NEVER-1", None),  # never: late → 警示
        _bad("APPEAL", "APPEAL-1", None, appeal_upheld=True),  # overturned: never unrectified
        _bad("OLD", "OLD-1", None, answered_on="2021-12-20"),  # before the period: ignored
        _bad("BOTH", "BOTH-1", None),
        *_bads("THREE", 3, 0),
        *_bads("SHARE", 2, 3),
        *_bads("FIFTH", 1, 4),
        *(_bad("MANY", f"MANY-{i:02d}", None) for i in range(12)),
    ]
    sanctions = [
        _sanction("S15", "rectify", "2021-11-01", "2021-11-22"),  # 15: in time
        _sanction("S16", "rectify", "2021-11-01", "2021-11-23"),  # late in 2021: judged then
        _sanction("SNULL", "rectify", "2021-11-01", None),  # still open → 通报批评
        _sanction("S2023", "rectify", "2021-11-01", "2023-01-05"),  # open at 12-31 → 通报批评
        _sanction("SWARN", "warning", "2021-11-01", None),  # a warning: not judged here
        _sanction("S22", "rectify", "2022-03-01", "2022-03-23"),  # deadline 03-22: late
        _sanction("S22OK", "rectify", "2022-03-01", "2022-03-22"),  # by its deadline
        _sanction("SDEC", "rectify", "2022-12-20", None),  # deadline 2023: not yet
        _sanction("BOTH", "rectify", "2022-03-01", None),  # open → 通报批评 wins
    ]
    units = [
        "OK5",
        "LATE6",
        "NEVER",
        "APPEAL",
        "OLD",
        "BOTH",
        "MANY",
        "THREE",
        "SHARE",
        "FIFTH",
        "S15",
        "S16",
        "SNULL",
        "S2023",
        "SWARN",
        "S22",
        "S22OK",
        "SDEC",
    ]
    return s.evaluate({"units": s.units(*units), "surveys": surveys, "sanctions": sanctions})


@pytest.mark.parametrize(
    ("unit", "level"),
    [
        ("OK5", None),
        ("LATE6", "warning"),
        ("NEVER", "warning"),
        ("APPEAL", None),
        ("OLD", None),
        ("THREE", "rectify"),
        ("SHARE", "rectify"),
        ("FIFTH", "warning"),
        ("MANY", "rectify"),
        ("S15", None),
        ("S16", None),
        ("SNULL", "criticize"),
        ("S2023", "criticize"),
        ("SWARN", None),
        ("S22", "criticize"),
        ("S22OK", None),
        ("SDEC", None),
        ("BOTH", "criticize"),
    ],
)
def test_levels(ev, unit, level):
    assert s.assessment(ev, unit, TID).level == level
    assert s.levels(ev, unit).get(TID) == level


def test_one_unrectified_review_is_a_warning_naming_the_count(ev):
    a = s.assessment(ev, "LATE6", TID)
    assert (a.value, a.limit, a.count, a.evidence) == (1.0, 5.0, 1, ("LATE6-1",))
    assert a.reason == (
        "差评 1 条未在 5 个工作日内整改（本期有效差评 1 条，不足 5 条，"
        "不按比例判定），达到 1 条、不足 3 条，警示"
    )


def test_which_rule_fired_is_in_the_reason(ev):
    assert s.assessment(ev, "THREE", TID).reason == (
        "差评 3 条未在 5 个工作日内整改，达到 3 条，责令改正"
    )
    assert s.assessment(ev, "SHARE", TID).reason == (
        "差评 2 条未在 5 个工作日内整改，占本期有效差评 5 条的 40.0%（> 20%），责令改正"
    )
    assert "占本期有效差评 5 条的 20.0%，未超过 20%" in s.assessment(ev, "FIFTH", TID).reason


def test_an_overdue_order_is_named_with_its_dates(ev):
    a = s.assessment(ev, "S22", TID)
    assert (a.value, a.limit, a.count, a.evidence) == (1.0, 15.0, 1, ("S22@2022-03-01",))
    assert a.reason == (
        "责令改正 1 次未在 15 个工作日内整改（2022-03-01 下达，期限 2022-03-22，"
        "2022-03-23 才整改），通报批评"
    )
    assert "2021-11-01 下达，期限 2021-11-22，未整改" in s.assessment(ev, "SNULL", TID).reason
    assert "期末未整改，2023-01-05 整改" in s.assessment(ev, "S2023", TID).reason


def test_highest_level_wins_and_mentions_the_other(ev):
    a = s.assessment(ev, "BOTH", TID)
    assert a.evidence == ("BOTH@2022-03-01", "BOTH-1")
    assert "另有差评 1 条未在 5 个工作日内整改" in a.reason
    assert [f.level for f in ev.findings_of("BOTH")] == ["criticize"]


def test_evidence_capped_at_ten_with_full_count(ev):
    a = s.assessment(ev, "MANY", TID)
    assert a.count == 12 and a.value == 12.0
    assert a.evidence == tuple(f"MANY-{i:02d}" for i in range(10))
    assert "差评 12 条" in a.reason


def test_deadline_parameter():
    # deadline_days = 6: the 差评 rectified on the 6th working day is now in time.
    rows = [_bad("A", "A-1", "2022-03-15")]
    ev = s.evaluate(
        {"units": s.units("A"), "surveys": rows}, {"thresholds": {TID: {"deadline_days": 6}}}
    )
    assert s.assessment(ev, "A", TID).level is None


def test_count_and_share_parameters():
    # warning_count 2: one unrectified 差评 is nothing; rectify_share None and
    # rectify_count 4: SHARE's 2 of 5 is only a warning
    rows = _bads("A", 1, 0) + _bads("B", 2, 3)
    over = {"thresholds": {TID: {"warning_count": 2, "rectify_count": 4, "rectify_share": None}}}
    ev = s.evaluate({"units": s.units("A", "B"), "surveys": rows}, over)
    assert s.assessment(ev, "A", TID).level is None
    assert s.assessment(ev, "B", TID).level == "warning"


def test_min_cases_skips_reviews_not_sanctions():
    # min_cases = 2 valid ratings: one unrectified 差评 alone is not judged ...
    rows = [_bad("A", "A-1", None), _bad("B", "B-1", None)]
    sanctions = [_sanction("B", "rectify", "2021-11-01", None)]
    ev = s.evaluate(
        {"units": s.units("A", "B"), "surveys": rows, "sanctions": sanctions},
        {"thresholds": {TID: {"min_cases": 2}}},
    )
    a = s.assessment(ev, "A", TID)
    assert a.level is None and not a.judged and "少于 2 条" in a.reason
    # ... but an overdue 责令改正 is judged regardless
    assert s.assessment(ev, "B", TID).level == "criticize"


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("deadline_days", -1, "deadline_days"),
        ("rectify_count", 0, "rectify_count"),
        ("rectify_share", 120.0, "rectify_share"),
        ("warning_count", 4, "warning_count"),
    ],
)
def test_params_validation_names_the_field(key, value, said):
    raw = s.raw_ruleset()
    raw["thresholds"][TID][key] = value
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert problems and all(said in str(p) for p in problems)


def test_unrectified_bad_review_not_yet_due_at_period_end() -> None:
    """A 差评 answered 2022-12-26 (Mon) with no rectified_on: (12-26, 12-31] holds
    12-27..12-30, four working days, not more than 5 → not yet overdue, no finding.
    One answered 12-22 (Thu): (12-22, 12-31] holds 12-23, 26, 27, 28, 29, 30 = 6 > 5 → 警示."""
    from tests import builders

    records = {
        "units": builders.units(("U1", "处室"), ("U2", "处室")),
        "surveys": [
            {"response_id": "S1", "unit_id": "U1", "answered_on": "2022-12-26", "rating": "不满意"},
            {"response_id": "S2", "unit_id": "U2", "answered_on": "2022-12-22", "rating": "不满意"},
        ],
    }
    ev = builders.evaluate(records)
    levels = {f.candidate_id: f.level for f in ev.findings if f.threshold == "unrectified"}
    assert levels == {"U2": "warning"}
