"""Properties of the commendation over generated candidates, measures, findings and policies."""

from __future__ import annotations

import functools
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

from dxe_eval.commend import CommendationResult, Measures, commend, eligibility
from dxe_eval.model import KINDS, LEVELS, Finding, Scorecard
from tests import builders

CATEGORIES = ("所", "局", "院")
# few distinct values, so that ties on the total and along the chain are common
TOTALS = (80.0, 86.0, 90.0, 92.25, 95.0)
THRESHOLDS = ("late-response", "bad-review-rate", "unrectified", "escalation")


@functools.cache
def base_ruleset() -> Any:
    return builders.ruleset()


@st.composite
def measures_st(draw: st.DrawFn) -> Measures:
    responses = draw(st.sampled_from((0, 5, 10, 20, 50)))
    satisfied = draw(st.integers(0, responses)) if draw(st.booleans()) else responses
    bad = draw(st.integers(0, responses - satisfied))
    return Measures(
        caseload=draw(st.sampled_from((5, 20))), responses=responses, satisfied=satisfied, bad=bad
    )


@st.composite
def scene(
    draw: st.DrawFn,
) -> tuple[list[Scorecard], dict[tuple[str, str], Measures], list[Finding]]:
    n_units = draw(st.integers(1, 5))
    unit_cat = {f"U{i}": draw(st.sampled_from(CATEGORIES)) for i in range(n_units)}
    cards: list[Scorecard] = []

    def add(cid: str, kind: str, unit: str, staff: int | None = None) -> None:
        cards.append(
            builders.card(
                cid,
                draw(st.sampled_from(TOTALS)),
                kind=kind,
                cat=unit_cat[unit],
                unit=unit,
                staff=staff,
                sat=draw(st.sampled_from((29.0, 30.0))),
                time=draw(st.sampled_from((19.0, 20.0))),
                name=cid,
            )
        )

    for uid in unit_cat:
        add(uid, "unit", uid, draw(st.none() | st.integers(0, 40)))
    for i in range(draw(st.integers(0, 12))):
        add(f"P{i}", "person", draw(st.sampled_from(sorted(unit_cat))))
    for i in range(draw(st.integers(0, 12))):
        add(f"X{i}", "project", draw(st.sampled_from(sorted(unit_cat))))
    measures = {(c.candidate.kind, c.candidate.candidate_id): draw(measures_st()) for c in cards}
    findings: list[Finding] = []
    for c in draw(st.lists(st.sampled_from(cards), max_size=4)):
        findings.append(
            Finding(
                candidate_id=c.candidate.candidate_id,
                kind=c.candidate.kind,
                unit_id=c.candidate.unit_id,
                threshold=draw(st.sampled_from(THRESHOLDS)),
                level=draw(st.sampled_from(LEVELS)),
                value=None,
                limit=None,
                reason="",
            )
        )
    return cards, measures, findings


@st.composite
def ruleset_st(draw: st.DrawFn, tie: str | None = None) -> Any:
    rs = base_ruleset()
    com = rs.commendation
    changes: dict[str, Any] = {}
    for kind in KINDS:
        quota = draw(st.sampled_from(("share", "count", "none")))
        changes[kind] = attrs.evolve(
            com.policy(kind),
            share=draw(st.sampled_from((15.0, 20.0, 50.0))) if quota == "share" else None,
            count=draw(st.integers(0, 4)) if quota == "count" else None,
            per=draw(st.sampled_from(("all", "category"))),
            min_responses=draw(st.sampled_from((0, 5, 10))),
            per_unit_staff=draw(st.sampled_from((None, 5, 10))),
        )
    changes["tie_at_cutoff"] = tie or draw(st.sampled_from(("decide", "all", "by_id")))
    return attrs.evolve(rs, commendation=attrs.evolve(com, **changes))


def _places(result: CommendationResult) -> dict[tuple[str, str], tuple[str, int, bool]]:
    """Group, rank and tie flag of every eligible candidate (commended or near miss)."""
    out = {}
    for lists in (result.lists, result.near_misses):
        for kind, entries in lists.items():
            for e in entries:
                out[(kind, e.candidate_id)] = (e.group, e.rank, e.tied)
    return out


@given(scene(), ruleset_st(), st.randoms(use_true_random=False))
def test_lists_do_not_depend_on_the_order_of_scorecards(s: Any, rs: Any, rnd: Any) -> None:
    cards, measures, findings = s
    shuffled_cards, shuffled_findings = list(cards), list(findings)
    rnd.shuffle(shuffled_cards)
    rnd.shuffle(shuffled_findings)
    assert commend(cards, measures, findings, rs) == commend(
        shuffled_cards, measures, shuffled_findings, rs
    )


@given(scene(), ruleset_st(tie="by_id"))
def test_no_list_exceeds_its_quota_by_id(s: Any, rs: Any) -> None:
    cards, measures, findings = s
    result = commend(cards, measures, findings, rs)
    for kind, entries in result.lists.items():
        per_group: dict[str, int] = {}
        for e in entries:
            per_group[e.group] = per_group.get(e.group, 0) + 1
        for group, n in per_group.items():
            assert n <= result.quotas[kind][group]


@given(scene(), ruleset_st(tie="decide"))
def test_deciding_lists_no_more_than_the_quota_and_the_id_decides_nothing(s: Any, rs: Any) -> None:
    # under "decide" the listed (not pending) entries of a group never exceed its quota;
    # a pending entry is tied with another pending one (at the cut-off, or for a unit's
    # last place); and no entry's place is decided by the id
    cards, measures, findings = s
    result = commend(cards, measures, findings, rs)
    for kind, entries in result.lists.items():
        listed: dict[str, int] = {}
        for e in entries:
            listed[e.group] = listed.get(e.group, 0) + (e.status == "listed")
            if e.status == "pending":
                assert e.tied and "请领导小组决定" in e.note
        for group, n in listed.items():
            assert n <= result.quotas[kind][group]
    for lists in (result.lists, result.near_misses):
        for entries in lists.values():
            assert all(e.decided_by != "id" for e in entries)


@given(scene(), ruleset_st())
def test_only_by_id_lets_the_id_decide(s: Any, rs: Any) -> None:
    cards, measures, findings = s
    result = commend(cards, measures, findings, rs)
    marks = {
        e.decided_by
        for lists in (result.lists, result.near_misses)
        for entries in lists.values()
        for e in entries
    }
    if rs.commendation.tie_at_cutoff != "by_id":
        assert "id" not in marks
    else:
        assert "tie" not in marks


@given(scene(), ruleset_st(), st.sampled_from(KINDS), st.data())
def test_adding_a_candidate_below_everyone_moves_no_one(
    s: Any, rs: Any, kind: str, data: st.DataObject
) -> None:
    cards, measures, findings = s
    before = commend(cards, measures, findings, rs)
    unit = data.draw(
        st.sampled_from(
            sorted(c.candidate.candidate_id for c in cards if c.candidate.kind == "unit")
        )
    )
    cat = next(c.candidate.category for c in cards if c.candidate.candidate_id == unit)
    # below every generated total, with perfect measures: eligible unless min_total says not
    low = data.draw(st.sampled_from((85.0, 10.0)))
    new = builders.card(
        "ZZ-new",
        low,
        kind=kind,
        cat=cat,
        unit="ZZ-new" if kind == "unit" else unit,
        staff=50,
        name="ZZ-new",
    )
    m = {**measures, (kind, "ZZ-new"): Measures(caseload=50, responses=50, satisfied=50)}
    after = commend([*cards, new], m, findings, rs)
    old_places = _places(before)
    new_places = _places(after)
    assert {k: v for k, v in new_places.items() if k != (kind, "ZZ-new")} == old_places
    # quotas only grow with the number eligible, and the newcomer comes last: nobody drops out
    for k, entries in before.lists.items():
        assert {e.candidate_id for e in entries} <= {e.candidate_id for e in after.lists[k]}


@given(scene(), ruleset_st())
def test_a_commended_candidate_is_always_eligible(s: Any, rs: Any) -> None:
    cards, measures, findings = s
    result = commend(cards, measures, findings, rs)
    by_id = {(c.candidate.kind, c.candidate.candidate_id): c for c in cards}
    for kind, entries in result.lists.items():
        for e in entries:
            card = by_id[(kind, e.candidate_id)]
            mine = [f for f in findings if (f.kind, f.candidate_id) == (kind, e.candidate_id)]
            assert (
                eligibility(
                    card,
                    measures.get((kind, e.candidate_id), Measures()),
                    mine,
                    rs.commendation.policy(kind),
                    rs,
                )
                == ()
            )
    excluded = {(x.kind, x.candidate_id) for x in result.excluded}
    listed = {
        (k, e.candidate_id)
        for k, es in (*result.lists.items(), *result.near_misses.items())
        for e in es
    }
    # every candidate of an enabled list is either ranked or excluded, never both
    assert not excluded & listed
    assert excluded | listed == set(by_id)


@given(
    st.integers(0, 20_000),
    st.integers(0, 20_000),
    st.floats(0, 100, allow_nan=False) | st.sampled_from((0.0, 60.0, 100.0, 33.3)),
)
def test_the_least_judged_weight_is_the_judged_share_test(
    judged: int, weight: int, share: float
) -> None:
    # the what-if path compares a candidate's judged weight with least_judged once worked
    # out per kind; the full run asks judged_reason: they agree on every count
    from dxe_eval.totals import judged_reason, least_judged

    judged = min(judged, weight)
    assert (judged >= least_judged(weight, share)) == (judged_reason(judged, weight, share) is None)
