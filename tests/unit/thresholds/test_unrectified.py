"""逾期未整改 (unrectified): 差评 in 5 working days (else 责令改正), an earlier 责令改正
in 15 working days (else 通报批评); the highest level wins.

Working days are counted in (start, end]. March 2022 and November 2021 hold no holiday:
- a 差评 answered Mon 2022-03-07: rectified Mon 03-14 = 03-08…03-11 (4) + 03-14 = 5 → in time;
  rectified Tue 03-15 = 6 → late; never rectified → late.
- a 责令改正 issued Mon 2021-11-01: 11-02…05 (4), 08…12 (9), 15…19 (14), Mon 11-22 = 15 → in
  time; Tue 11-23 = 16 → late; never rectified → late.
"""

from __future__ import annotations

import pytest

from dxe_eval.ruleset import build_ruleset
from tests.unit.thresholds import support as s

TID = "unrectified"


def _bad(unit: str, rid: str, rectified: str | None, **extra) -> dict:
    return {"response_id": rid, "unit_id": unit, "answered_on": "2022-03-07", "rating": 1,
            "rectified_on": rectified, **extra}


def _sanction(unit: str, level: str, issued: str, rectified: str | None) -> dict:
    return {"candidate_id": unit, "level": level, "issued_on": issued, "rectified_on": rectified}


@pytest.fixture(scope="module")
def ev():
    surveys = [
        _bad("OK5", "OK5-1", "2022-03-14"),            # 5 working days: in time
        _bad("LATE6", "LATE6-1", "2022-03-15"),        # 6: late → 责令改正
        _bad("NEVER", "NEVER-1", None),                # never: late → 责令改正
        _bad("APPEAL", "APPEAL-1", None, appeal_upheld=True),  # overturned: never unrectified
        _bad("OLD", "OLD-1", None, answered_on="2021-12-20"),  # before the period: ignored
        _bad("BOTH", "BOTH-1", None),
        *(_bad("MANY", f"MANY-{i:02d}", None) for i in range(12)),
    ]
    sanctions = [
        _sanction("S15", "rectify", "2021-11-01", "2021-11-22"),   # 15: in time
        _sanction("S16", "rectify", "2021-11-01", "2021-11-23"),   # 16: late → 通报批评
        _sanction("SNULL", "rectify", "2021-11-01", None),         # never → 通报批评
        _sanction("SWARN", "warning", "2021-11-01", None),         # a warning: not judged here
        _sanction("BOTH", "rectify", "2021-11-01", "2021-12-10"),  # late → 通报批评 wins
    ]
    units = ["OK5", "LATE6", "NEVER", "APPEAL", "OLD", "BOTH", "MANY",
             "S15", "S16", "SNULL", "SWARN"]
    return s.evaluate({"units": s.units(*units), "surveys": surveys, "sanctions": sanctions})


@pytest.mark.parametrize(("unit", "level"), [
    ("OK5", None), ("LATE6", "rectify"), ("NEVER", "rectify"), ("APPEAL", None),
    ("OLD", None), ("S15", None), ("S16", "criticize"), ("SNULL", "criticize"),
    ("SWARN", None), ("BOTH", "criticize"), ("MANY", "rectify"),
])
def test_levels(ev, unit, level):
    assert s.assessment(ev, unit, TID).level == level
    assert s.levels(ev, unit).get(TID) == level


def test_rectify_finding(ev):
    a = s.assessment(ev, "LATE6", TID)
    assert (a.value, a.limit, a.count, a.evidence) == (1.0, 5.0, 1, ("LATE6-1",))
    assert a.reason == "差评 1 条未在 5 个工作日内整改，责令改正"


def test_criticize_finding_names_the_sanction(ev):
    a = s.assessment(ev, "S16", TID)
    assert (a.value, a.limit, a.count, a.evidence) == (1.0, 15.0, 1, ("S16@2021-11-01",))
    assert "15 个工作日" in a.reason and "通报批评" in a.reason


def test_highest_level_wins_and_mentions_the_other(ev):
    a = s.assessment(ev, "BOTH", TID)
    assert a.evidence == ("BOTH@2021-11-01", "BOTH-1")
    assert "差评 1 条未在 5 个工作日内整改" in a.reason
    assert [f.level for f in ev.findings_of("BOTH")] == ["criticize"]


def test_evidence_capped_at_ten_with_full_count(ev):
    a = s.assessment(ev, "MANY", TID)
    assert a.count == 12 and a.value == 12.0
    assert a.evidence == tuple(f"MANY-{i:02d}" for i in range(10))
    assert "差评 12 条" in a.reason


def test_deadline_parameter():
    # deadline_days = 6: the 差评 rectified on the 6th working day is now in time.
    rows = [_bad("A", "A-1", "2022-03-15")]
    ev = s.evaluate({"units": s.units("A"), "surveys": rows},
                    {"thresholds": {TID: {"deadline_days": 6}}})
    assert s.assessment(ev, "A", TID).level is None


def test_min_cases_skips_reviews_not_sanctions():
    # min_cases = 2 valid ratings: one unrectified 差评 alone is not judged ...
    rows = [_bad("A", "A-1", None), _bad("B", "B-1", None)]
    sanctions = [_sanction("B", "rectify", "2021-11-01", None)]
    ev = s.evaluate({"units": s.units("A", "B"), "surveys": rows, "sanctions": sanctions},
                    {"thresholds": {TID: {"min_cases": 2}}})
    a = s.assessment(ev, "A", TID)
    assert a.level is None and not a.judged and "少于 2 条" in a.reason
    # ... but an overdue 责令改正 is judged regardless
    assert s.assessment(ev, "B", TID).level == "criticize"


def test_params_validation_names_the_field():
    raw = s.raw_ruleset()
    raw["thresholds"][TID]["deadline_days"] = -1
    _, problems = build_ruleset(raw, s.registry(), file="<test>")
    assert problems and all("deadline_days" in str(p) for p in problems)


def test_unrectified_bad_review_not_yet_due_at_period_end() -> None:
    """A 差评 answered 2022-12-26 (Mon) with no rectified_on: (12-26, 12-31] holds
    12-27..12-30, four working days, not more than 5 → not yet overdue, no finding.
    One answered 12-22 (Thu): (12-22, 12-31] holds 12-23, 26, 27, 28, 29, 30 = 6 > 5 → rectify."""
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
    assert levels == {"U2": "rectify"}
