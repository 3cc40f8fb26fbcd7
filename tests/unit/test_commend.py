"""Hand-worked tests of the commendation: eligibility, quotas, caps, ties and the tie-break chain.

The default ruleset (rulesets/hubei-2022.toml) is used throughout: min total 85,
满意率 ≥ 95 %, 差评率 ≤ 2 %, 60 % of the weight judged; units top 15 % per category
(≥ 10 responses), people top 20 % per category with one per ten staff (≥ 5 responses),
projects ten overall (≥ 5 responses, completed in the period); tie-break satisfaction,
timeliness, caseload, satisfied ratings; the default ``tie_at_cutoff`` is ``"decide"`` (a
tie at the cut-off is pending, for the leading group to decide).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
import pytest

from dxe_eval.commend import CommendationResult, Measures, commend, eligibility, quota_for
from dxe_eval.model import Finding, Scorecard
from dxe_eval.ruleset import ListPolicy
from tests import builders
from tests.builders import card

GOOD = Measures(caseload=20, responses=20, satisfied=20, bad=0)


def good(cards: list[Scorecard], **special: Measures) -> dict[tuple[str, str], Measures]:
    """GOOD measures for every card, except those named in ``special``."""
    return {
        (c.candidate.kind, c.candidate.candidate_id): special.get(c.candidate.candidate_id, GOOD)
        for c in cards
    }


def finding(cid: str, threshold: str, level: str, kind: str = "unit") -> Finding:
    return Finding(
        candidate_id=cid,
        kind=kind,
        unit_id=cid,
        threshold=threshold,
        level=level,
        value=None,
        limit=None,
        reason="",
    )


def ruleset(*, tie: str | None = None, **policies: dict[str, Any]) -> Any:
    """The default ruleset; ``unit={...}`` etc. evolve a list's policy (so a share can become a
    count, which a TOML merge cannot express)."""
    rs = builders.ruleset()
    com = rs.commendation
    changes: dict[str, Any] = {k: attrs.evolve(com.policy(k), **v) for k, v in policies.items()}
    if tie is not None:
        changes["tie_at_cutoff"] = tie
    return attrs.evolve(rs, commendation=attrs.evolve(com, **changes))


def ids(result: CommendationResult, kind: str, near: bool = False) -> list[str]:
    entries = (result.near_misses if near else result.lists)[kind]
    return [e.candidate_id for e in entries]


def entry(result: CommendationResult, cid: str) -> Any:
    for entries in (*result.lists.values(), *result.near_misses.values()):
        for e in entries:
            if e.candidate_id == cid:
                return e
    raise AssertionError(cid)


# ---- quotas ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "share", "expected"),
    [
        (7, 15.0, 1),  # 7 × 15 % = 1.05 → 1
        (13, 15.0, 1),  # 13 × 15 % = 1.95 → 1 (rounded down, not to nearest)
        (2, 15.0, 1),  # 2 × 15 % = 0.3 → 0, but at least one where any is eligible
        (20, 15.0, 3),  # 20 × 15 % = 3 exactly
        (14, 15.0, 2),  # 14 × 15 % = 2.1 → 2
        (0, 15.0, 0),  # nobody eligible, nobody commended
        (10, 20.0, 2),  # 10 × 20 % = 2
    ],
)
def test_quota_share_rounds_down_with_at_least_one(
    eligible: int, share: float, expected: int
) -> None:
    assert quota_for(ListPolicy(share=share), eligible) == expected


def test_quota_count_and_none() -> None:
    assert quota_for(ListPolicy(count=10), 12) == 10
    assert quota_for(ListPolicy(count=10), 4) == 4  # never more than the eligible
    assert quota_for(ListPolicy(), 6) == 6  # no quota: all eligible


def test_unit_quotas_per_peer_group() -> None:
    # 所: 7 eligible → 1.05 → 1;  局: 13 eligible → 1.95 → 1;  院: 2 eligible → 0.3 → 1;
    # 中心: 14 eligible → 2.1 → 2;  站: one unit, not eligible (total 80) → quota 0.
    # Totals fall with the id inside each group, so the first ids win.
    cards: list[Scorecard] = []
    for cat, n in (("所", 7), ("局", 13), ("院", 2), ("中心", 14)):
        cards += [card(f"{cat}{i:02d}", 99.0 - i, cat=cat) for i in range(n)]
    cards.append(card("站00", 80.0, cat="站"))
    result = commend(cards, good(cards), [], ruleset())
    assert result.quotas["unit"] == {"中心": 2, "局": 1, "所": 1, "站": 0, "院": 1}
    assert ids(result, "unit") == ["中心00", "中心01", "局00", "所00", "院00"]
    # every other eligible unit is a near miss, over its group's quota
    assert len(ids(result, "unit", near=True)) == (14 - 2) + (13 - 1) + (7 - 1) + (2 - 1)
    assert entry(result, "所01").note.startswith("超出名额 1")
    assert [x.candidate_id for x in result.excluded] == ["站00"]
    # ranks are per group: the top of each group is first
    assert {entry(result, c).rank for c in ("中心00", "局00", "所00", "院00")} == {1}


def test_project_count_over_all_groups() -> None:
    # ten excellent projects over all categories: 12 eligible, the two lowest are near misses
    cards = [
        card(f"X{i:02d}", 99.0 - i, kind="project", cat=("所", "局")[i % 2], unit=f"U{i}")
        for i in range(12)
    ]
    result = commend(cards, good(cards), [], ruleset())
    assert result.quotas["project"] == {"全部": 10}
    assert ids(result, "project") == [f"X{i:02d}" for i in range(10)]
    assert ids(result, "project", near=True) == ["X10", "X11"]


# ---- ties at the cut-off -----------------------------------------------------------------------


def _tie_at_cutoff() -> list[Scorecard]:
    # 7 eligible units → quota 1. U05 and U02 are equal on total 96, satisfaction 30,
    # timeliness 20 and caseload 20: a tie (并列第 1 名) decided only by id.
    return [
        card("U05", 96.0),
        card("U02", 96.0),
        card("U03", 95.0),
        card("U04", 94.0),
        card("U01", 93.0),
        card("U06", 92.0),
        card("U07", 91.0),
    ]


def test_tie_at_cutoff_by_id_cuts_by_id() -> None:
    cards = _tie_at_cutoff()
    result = commend(cards, good(cards), [], ruleset(tie="by_id"))
    assert result.quotas["unit"] == {"所": 1}
    assert ids(result, "unit") == ["U02"]
    u05 = entry(result, "U05")
    assert (u05.rank, u05.tied, u05.decided_by) == (1, True, "id")
    assert "按编号截断" in u05.note
    assert ids(result, "unit", near=True) == ["U05", "U03", "U04", "U01", "U06", "U07"]


def test_tie_at_cutoff_all_admits_the_tie_and_nobody_else() -> None:
    cards = _tie_at_cutoff()
    result = commend(cards, good(cards), [], ruleset(tie="all"))
    assert ids(result, "unit") == ["U02", "U05"]  # two, over the quota of 1
    assert all(e.rank == 1 and e.tied for e in result.lists["unit"])
    assert "一并入选" in entry(result, "U05").note
    assert ids(result, "unit", near=True)[0] == "U03"  # rank 3 is not let in


@pytest.mark.parametrize(
    ("tie", "expected", "equal"),
    [
        ("by_id", ["A1", "B1", "B2"], "id"),
        ("all", ["A1", "B1", "B2", "B3", "B4"], "tie"),
        ("decide", ["A1", "B1", "B2", "B3", "B4"], "tie"),
    ],
)
def test_three_way_tie_straddling_the_cutoff(tie: str, expected: list[str], equal: str) -> None:
    # Count 3. A1 98 → rank 1; B1, B2, B3, B4 all 95 and equal on the whole chain → rank 2
    # (并列, four of them); C1 94 → rank 6.
    # by_id:  A1, then B1 and B2 fill the quota of 3; B3, B4 are cut by id.
    # all:    A1, B1, B2 fill the quota; B3 and B4 share the last admitted rank 2 and come
    #         in; C1 (rank 6) does not.
    # decide: A1 listed; B1…B4 tie for the 2 places left: all four pending; C1 over.
    # Only under by_id does the id decide: the equal entries are otherwise marked "tie".
    cards = [
        card("B3", 95.0),
        card("C1", 94.0),
        card("B1", 95.0),
        card("A1", 98.0),
        card("B4", 95.0),
        card("B2", 95.0),
    ]
    result = commend(cards, good(cards), [], ruleset(tie=tie, unit={"share": None, "count": 3}))
    assert ids(result, "unit") == expected
    ranks = {
        e.candidate_id: (e.rank, e.tied, e.decided_by)
        for e in (*result.lists["unit"], *result.near_misses["unit"])
    }
    assert ranks == {
        "A1": (1, False, ""),
        "B1": (2, True, "total"),
        "B2": (2, True, equal),
        "B3": (2, True, equal),
        "B4": (2, True, equal),
        "C1": (6, False, "total"),
    }
    assert "C1" in ids(result, "unit", near=True)
    status = {e.candidate_id: e.status for e in result.lists["unit"]}
    if tie == "decide":
        assert status == {
            "A1": "listed",
            "B1": "pending",
            "B2": "pending",
            "B3": "pending",
            "B4": "pending",
        }
        assert entry(result, "B3").note.startswith("并列，待定（剩余名额 2，请领导小组决定）")
    else:
        assert set(status.values()) == {"listed"}


def test_decide_lists_a_tie_that_fits_and_holds_one_that_does_not() -> None:
    # Count 3: A1, A2 tie at rank 1 and both fit (2 ≤ 3): listed, not pending. B1 and B2
    # tie at rank 3 for the 1 place left: both pending ("剩余名额 1"). D1 (rank 5) is a near
    # miss: the places are spent on the pending tie.
    cards = [
        card("A1", 99.0),
        card("A2", 99.0),
        card("B1", 95.0),
        card("B2", 95.0),
        card("D1", 90.0),
    ]
    result = commend(cards, good(cards), [], ruleset(unit={"share": None, "count": 3}))
    status = {e.candidate_id: (e.rank, e.status) for e in result.lists["unit"]}
    assert status == {
        "A1": (1, "listed"),
        "A2": (1, "listed"),
        "B1": (3, "pending"),
        "B2": (3, "pending"),
    }
    assert "剩余名额 1" in entry(result, "B2").note
    assert entry(result, "D1").status == "near"
    assert entry(result, "D1").note.startswith("超出名额 3")


def test_decide_holds_a_tie_for_a_unit_s_last_place() -> None:
    # People, count 5; U1 has 10 staff (one person), U2 no staff count (no cap).
    # P1 and P2 (U1) tie at rank 1: 2 tied for U1's 1 place → both pending for the unit's
    # place ("本单位剩余名额 1"), which is spent; P3 (U2, rank 3) is listed.
    # P4 (U1, rank 4): U1's place is spent → over the unit's cap.
    units = [card("U1", 70.0, staff=10), card("U2", 70.0)]
    people = [
        card("P1", 99.0, kind="person", unit="U1"),
        card("P2", 99.0, kind="person", unit="U1"),
        card("P3", 97.0, kind="person", unit="U2"),
        card("P4", 96.0, kind="person", unit="U1"),
    ]
    cards = units + people
    rs = ruleset(person={"share": None, "count": 5})
    result = commend(cards, good(cards), [], rs)
    status = {e.candidate_id: e.status for e in result.lists["person"]}
    assert status == {"P1": "pending", "P2": "pending", "P3": "listed"}
    assert "本单位剩余名额 1" in entry(result, "P1").note
    assert entry(result, "P4").status == "near"
    assert "超过单位名额" in entry(result, "P4").note


# ---- the cap per unit for people ---------------------------------------------------------------


def test_person_cap_per_unit_from_staff_count() -> None:
    # U1 has 25 staff → 25 // 10 = 2 people; U2 has 9 → 0 people; U3 has no staff_count → no cap.
    # Count 3 (instead of the 20 % share). In rank order:
    #   P4 99 (U2) cap 0 → near miss;  P1 95 (U1) in;  P2 94 (U1) in;
    #   P3 93 (U1) U1's cap of 2 reached → near miss;  P5 92 (U3) in — the quota of 3 is full;
    #   P6 91 (U3) over the quota → near miss.
    # People skipped for the cap do not use up the quota.
    units = [
        card("U1", 70.0, staff=25),
        card("U2", 70.0, staff=9),
        card("U3", 70.0),
    ]
    people = [
        card(pid, total, kind="person", unit=uid)
        for pid, total, uid in (
            ("P1", 95.0, "U1"),
            ("P2", 94.0, "U1"),
            ("P3", 93.0, "U1"),
            ("P4", 99.0, "U2"),
            ("P5", 92.0, "U3"),
            ("P6", 91.0, "U3"),
        )
    ]
    cards = units + people
    result = commend(cards, good(cards), [], ruleset(person={"share": None, "count": 3}))
    assert ids(result, "person") == ["P1", "P2", "P5"]
    assert ids(result, "person", near=True) == ["P4", "P3", "P6"]
    assert "名额 0" in entry(result, "P4").note
    assert "名额 2" in entry(result, "P3").note
    assert entry(result, "P6").note.startswith("超出名额 3")


def test_cap_does_not_apply_to_units_or_projects() -> None:
    # per_unit_staff set on the project list too: projects are still not capped per unit
    units = [card("U1", 70.0, staff=5)]
    projects = [card(f"X{i}", 95.0 - i, kind="project", unit="U1") for i in range(3)]
    cards = units + projects
    result = commend(cards, good(cards), [], ruleset(project={"per_unit_staff": 10}))
    assert ids(result, "project") == ["X0", "X1", "X2"]


# ---- eligibility and vetoes --------------------------------------------------------------------


def test_veto_by_criticize_only_by_default() -> None:
    # U1 has a 通报批评 (any threshold): vetoed. U2 an unrectified 差评 judged 责令改正 and U3
    # only a warning: neither vetoes under the default [effects] (veto_levels criticize,
    # veto_thresholds empty). Scores are otherwise perfect.
    cards = [card("U1", 99.0), card("U2", 98.0), card("U3", 97.0)]
    findings = [
        finding("U1", "bad-review-rate", "criticize"),
        finding("U2", "unrectified", "rectify"),
        finding("U3", "late-response", "warning"),
    ]
    result = commend(cards, good(cards), findings, ruleset(unit={"share": None}))
    assert ids(result, "unit") == ["U2", "U3"]
    reasons = {x.candidate_id: x.reasons for x in result.excluded}
    assert len(reasons["U1"]) == 1 and "一票否决：通报批评" in reasons["U1"][0]
    # a ruleset may still veto by threshold
    rs = ruleset(unit={"share": None})
    rs = attrs.evolve(rs, effects=attrs.evolve(rs.effects, veto_thresholds=("unrectified",)))
    result = commend(cards, good(cards), findings, rs)
    assert ids(result, "unit") == ["U3"]
    assert "unrectified" in {x.candidate_id: x.reasons for x in result.excluded}["U2"][0]
    # a finding of another candidate does not touch U3 even when it has the same id but other kind
    person_finding = finding("U3", "late-response", "criticize", kind="person")
    again = commend(cards, good(cards), [*findings, person_finding], ruleset(unit={"share": None}))
    assert ids(again, "unit") == ["U2", "U3"]


def test_a_bad_review_still_unrectified_at_the_end_excludes() -> None:
    # U1 and U2: one valid 差评 each still unrectified at the period's end (S9, S8) →
    # excluded with their own reason naming the count and the id, with no finding at all;
    # with the ruleset's no_unrectified_bad off → eligible. U3 has none.
    cards = [card("U1", 99.0), card("U2", 98.0), card("U3", 97.0)]

    def open_bad(rid: str) -> Measures:
        return Measures(
            caseload=20, responses=50, satisfied=49, bad=1, open_bad=1, open_bad_ids=(rid,)
        )

    m = good(cards, U1=open_bad("S9"), U2=open_bad("S8"))
    assert ruleset().commendation.unit.no_unrectified_bad  # the shipped ruleset's
    result = commend(cards, m, [], ruleset(unit={"share": None}))
    reasons = {x.candidate_id: x.reasons for x in result.excluded}
    assert ids(result, "unit") == ["U3"] and set(reasons) == {"U1", "U2"}
    assert reasons["U1"] == (
        "期末仍有 1 条差评未整改（S9） (1 bad review(s) still unrectified at the period's end: S9)",
    )
    result = commend(cards, m, [], ruleset(unit={"share": None, "no_unrectified_bad": False}))
    assert ids(result, "unit") == ["U1", "U2", "U3"]


def test_excluded_with_every_reason() -> None:
    # U1: total 80 < 85 and 满意率 18/20 = 90 % < 95 % → both reasons.
    # U2: total 80, 满意率 15/20 = 75 %, 差评率 3/20 = 15 % > 2 %, 8 responses < 10,
    #     and a 通报批评 → five reasons, in the documented order.
    # U3: 19/20 = 95 % and 1/50 = 2 % are exactly at the limits → eligible.
    cards = [
        card("U1", 80.0),
        card("U2", 80.0),
        card("U3", 85.0),
        card("U4", 90.0),
    ]
    m = good(
        cards,
        U1=Measures(caseload=20, responses=20, satisfied=18, bad=0),
        U2=Measures(caseload=20, responses=8, satisfied=6, bad=2),
        U3=Measures(caseload=20, responses=50, satisfied=49, bad=1),
    )
    # U2 with 8 responses: 6/8 = 75 %, 2/8 = 25 %
    findings = [finding("U2", "escalation", "criticize")]
    result = commend(cards, m, findings, ruleset(unit={"share": None, "min_responses": 10}))
    reasons = {x.candidate_id: x.reasons for x in result.excluded}
    assert set(reasons) == {"U1", "U2"}
    assert len(reasons["U1"]) == 2
    assert reasons["U1"][0].startswith("总分 80 低于 85")
    assert reasons["U1"][1].startswith("满意率 90.0% 低于 95%")
    assert len(reasons["U2"]) == 5
    assert [r.split(" ")[0] for r in reasons["U2"]] == [
        "总分",
        "满意率",
        "差评率",
        "有效测评",
        "一票否决：通报批评（escalation）",
    ]
    assert "25.0%" in reasons["U2"][2]
    assert ids(result, "unit") == ["U4", "U3"]


def _judged(cid: str, sat: bool, time: bool, kind: str = "unit") -> Scorecard:
    """A card of total 99 whose satisfaction (30) and timeliness (20) apply or not."""
    c = card(cid, 99.0, kind=kind)
    rules = tuple(
        attrs.evolve(r, result=attrs.evolve(r.result, applicable=a))
        for r, a in zip(c.rules, (sat, time), strict=True)
    )
    return attrs.evolve(c, rules=rules)


def test_enough_of_the_weight_must_have_judged() -> None:
    # the rules that apply to a unit here: satisfaction 30 + timeliness 20 = 50.
    # U1 both judged: 50/50 = 100 %. U2 only satisfaction: 30/50 = 60 %, exactly the
    # minimum (≥) → eligible. U3 only timeliness: 20/50 = 40 % < 60 % → excluded, the
    # reason names the share. U4 neither: 0 %.
    cards = [
        _judged("U1", True, True),
        _judged("U2", True, False),
        _judged("U3", False, True),
        _judged("U4", False, False),
    ]
    result = commend(cards, good(cards), [], ruleset(unit={"share": None}))
    reasons = {x.candidate_id: x.reasons for x in result.excluded}
    assert set(reasons) == {"U3", "U4"}
    assert reasons["U3"] == (
        "参与评分的规则权重 20/50（40.0%），低于 60% (the rules that judged it carry 40.0% "
        "of the weight of the rules that apply to its kind, below 60%)",
    )
    assert "（0.0%）" in reasons["U4"][0]
    assert ids(result, "unit") == ["U1", "U2"]
    # per list: with min_judged_share 40 U3 is eligible too; with 0 nothing is checked
    assert "U3" in ids(
        commend(cards, good(cards), [], ruleset(unit={"share": None, "min_judged_share": 40.0})),
        "unit",
    )
    assert ids(
        commend(cards, good(cards), [], ruleset(unit={"share": None, "min_judged_share": 0.0})),
        "unit",
    ) == ["U1", "U2", "U3", "U4"]


def test_only_a_project_completed_in_the_period_is_eligible() -> None:
    # the period is 2022: X1 completed 2022-06-30 (eligible); X2 not completed; X3
    # completed only in 2023; X4 completed in 2021, judged in 2021's evaluation
    base = card("X1", 95.0, kind="project")
    cards = [base] + [
        attrs.evolve(
            card(cid, 95.0, kind="project"),
            candidate=attrs.evolve(base.candidate, candidate_id=cid, completed_on=done),
        )
        for cid, done in (("X2", None), ("X3", dt.date(2023, 1, 5)), ("X4", dt.date(2021, 11, 30)))
    ]
    result = commend(cards, good(cards), [], ruleset())
    reasons = {x.candidate_id: x.reasons for x in result.excluded}
    assert ids(result, "project") == ["X1"]
    assert reasons["X2"] == ("项目未完成 (the project is not completed by the period's end)",)
    assert reasons["X3"] == reasons["X2"]
    assert reasons["X4"] == (
        "项目不在本评价期内完成（2021-11-30 完成） (completed before the period, on 2021-11-30)",
    )


def test_no_survey_response_is_a_reason() -> None:
    cards = [card("U1", 99.0)]
    m = good(cards, U1=Measures(caseload=20))
    result = commend(cards, m, [], ruleset(unit={"min_responses": 1}))
    (x,) = result.excluded
    assert x.reasons[0].startswith("无有效满意度测评")
    assert x.reasons[1].startswith("有效测评 0 份")


def test_duplicate_findings_give_one_reason() -> None:
    cards = [card("U1", 99.0)]
    f = finding("U1", "unrectified", "criticize")
    rs = ruleset()
    assert len(eligibility(cards[0], GOOD, [f, f], rs.commendation.unit, rs)) == 1


# ---- the tie-break chain -----------------------------------------------------------------------


def test_decided_by_each_link() -> None:
    # No quota (all eligible units are listed), so the list shows the whole ranking.
    #   id   total sat time caseload   vs the one above    rank
    #   A    95    30  20   20         —                   1
    #   B    90    30  20   20         total               2
    #   C    90    29  20   20         satisfaction        3
    #   D    90    29  19   30         timeliness          4
    #   E    90    29  19   20         caseload            5 (并列)
    #   F    90    29  19   20         tie (equal)         5 (并列)
    #   G    90    29  19   20         tie (equal)         5 (并列)
    #   H    86    30  20   20         total               8
    cards = [
        card("H", 86.0),
        card("G", 90.0, sat=29, time=19),
        card("A", 95.0),
        card("F", 90.0, sat=29, time=19),
        card("D", 90.0, sat=29, time=19),
        card("C", 90.0, sat=29),
        card("B", 90.0),
        card("E", 90.0, sat=29, time=19),
    ]
    m = good(cards, D=Measures(caseload=30, responses=20, satisfied=20))
    result = commend(cards, m, [], ruleset(unit={"share": None}))
    got = [(e.candidate_id, e.rank, e.tied, e.decided_by) for e in result.lists["unit"]]
    assert got == [
        ("A", 1, False, ""),
        ("B", 2, False, "total"),
        ("C", 3, False, "satisfaction"),
        ("D", 4, False, "timeliness"),
        ("E", 5, True, "caseload"),
        ("F", 5, True, "tie"),
        ("G", 5, True, "tie"),
        ("H", 8, False, "total"),
    ]


def test_chain_compares_rounded_points() -> None:
    # satisfaction 29.996 rounds to 30.00: equal to 30 on the chain, so nothing decides
    # (并列; listed in id order, marked "tie")
    cards = [card("U2", 90.0), card("U1", 90.0, sat=29.996)]
    result = commend(cards, good(cards), [], ruleset(unit={"share": None}))
    got = [(e.candidate_id, e.rank, e.tied, e.decided_by) for e in result.lists["unit"]]
    assert got == [("U1", 1, True, ""), ("U2", 1, True, "tie")]


def test_custom_chain_and_links_after_id_ignored() -> None:
    # chain: caseload first, then id; satisfaction after id never decides
    cards = [card("U1", 90.0, sat=30), card("U2", 90.0, sat=20)]
    m = good(cards, U2=Measures(caseload=50, responses=20, satisfied=20))
    rs = ruleset(unit={"share": None})
    rs = attrs.evolve(
        rs, commendation=attrs.evolve(rs.commendation, tie_break=("caseload", "id", "satisfaction"))
    )
    got = [(e.candidate_id, e.decided_by, e.tied) for e in commend(cards, m, [], rs).lists["unit"]]
    assert got == [("U2", "", False), ("U1", "caseload", False)]
    # equal caseload: they are 并列, although satisfaction differs; the id orders them but
    # decides nothing (tie_at_cutoff "decide"), unless ties are cut by id
    got = [
        (e.candidate_id, e.decided_by, e.tied)
        for e in commend(cards, good(cards), [], rs).lists["unit"]
    ]
    assert got == [("U1", "", True), ("U2", "tie", True)]
    by_id = attrs.evolve(rs, commendation=attrs.evolve(rs.commendation, tie_at_cutoff="by_id"))
    got = [
        (e.candidate_id, e.decided_by, e.tied)
        for e in commend(cards, good(cards), [], by_id).lists["unit"]
    ]
    assert got == [("U1", "", True), ("U2", "id", True)]


def test_satisfied_ratings_decide_after_caseload() -> None:
    # the shipped chain ends in the number of satisfied ratings: U1 and U2 are equal on
    # the total, satisfaction, timeliness and caseload; U2 has 30 satisfied ratings to
    # U1's 20 → U2 first, U1 decided against it by satisfied_ratings
    cards = [card("U1", 90.0), card("U2", 90.0)]
    m = good(cards, U2=Measures(caseload=20, responses=30, satisfied=30))
    got = [
        (e.candidate_id, e.decided_by, e.tied)
        for e in commend(cards, m, [], ruleset(unit={"share": None})).lists["unit"]
    ]
    assert got == [("U2", "", False), ("U1", "satisfied_ratings", False)]


def test_result_does_not_depend_on_input_order() -> None:
    cards = [*_tie_at_cutoff(), card("P1", 95.0, kind="person", unit="U01")]
    findings = [
        finding("U03", "late-response", "criticize"),
        finding("U03", "unrectified", "rectify"),
    ]
    rs = ruleset()
    a = commend(cards, good(cards), findings, rs)
    b = commend(list(reversed(cards)), good(cards), list(reversed(findings)), rs)
    assert a == b


def test_disabled_list_is_absent() -> None:
    cards = [card("X1", 95.0, kind="project")]
    result = commend(cards, good(cards), [], ruleset(project={"enabled": False}))
    assert "project" not in result.lists
    assert result.excluded == ()
