"""The quick what-if comparison gives what ``compare(a, run(b))`` gives.

``whatif.compare_to`` (through ``rescore.quick_comparison``) re-scores only the
changed rules, once per distinct value of the facts their points come from, and
ranks and cuts the lists on integer totals. Every
test here holds it to the plain way, on a generated set where lists are cut by
shares of peer groups, ties at the cut-off, caps on people by staff, vetoes and
(in one variant) deductions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxe_eval import rescore
from dxe_eval.engine import Prepared, prepare, run
from dxe_eval.generate import Sizes, generate
from dxe_eval.manager import Registry
from dxe_eval.ruleset import Ruleset, load_ruleset
from dxe_eval.whatif import compare, compare_to
from tests import builders

VARIANTS = ("default", "ties_admitted", "caps_and_categories", "vetoes_and_deductions", "chain")

# the people's list opened wide: from 60 points, no survey or request minimum
_OPEN = {
    "min_total": 60.0,
    "min_satisfaction_rate": None,
    "max_bad_review_rate": None,
    "min_responses": 0,
    "min_requests": 0,
}


def _variant(rs: Ruleset, name: str) -> Ruleset:
    c = rs.commendation
    if name == "ties_admitted":
        # ranked by total then id, the totals out of 5 points: equal totals are common,
        # and the tie at the cut-off is admitted
        c = attrs.evolve(
            c,
            tie_at_cutoff="all",
            tie_break=("id",),
            person=attrs.evolve(
                c.person, **{**_OPEN, "min_total": 2.0}, share=None, count=40, per_unit_staff=None
            ),
        )
        return attrs.evolve(rs, total=5.0, commendation=c)
    elif name == "caps_and_categories":
        # at most one person per 20 staff, 60 % of each peer group
        c = attrs.evolve(
            c,
            unit=attrs.evolve(c.unit, per="category"),
            person=attrs.evolve(c.person, **_OPEN, per_unit_staff=20, share=60.0, per="category"),
            project=attrs.evolve(c.project, **{**_OPEN, "min_total": 50.0}, count=7, share=None),
        )
    elif name == "vetoes_and_deductions":
        # every unit eligible but for its findings, which also take points off
        effects = attrs.evolve(
            rs.effects,
            deductions={"warning": 1.5, "rectify": 3.25},
            veto_levels=("rectify",),
        )
        c = attrs.evolve(c, unit=attrs.evolve(c.unit, **{**_OPEN, "min_total": 0.0}, share=50.0))
        return attrs.evolve(rs, effects=effects, commendation=c)
    elif name == "chain":
        # totals out of 5 points tie often; the chain, led by a rule's points, cuts the tie
        # at the cut-off by id order
        c = attrs.evolve(
            c,
            tie_at_cutoff="by_id",
            tie_break=("satisfaction", "caseload", "satisfaction_rate", "id"),
            person=attrs.evolve(
                c.person, **{**_OPEN, "min_total": 2.0}, share=None, count=40, per_unit_staff=None
            ),
        )
        return attrs.evolve(rs, total=5.0, commendation=c)
    return attrs.evolve(rs, commendation=c)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, Sizes(units=20, people=150, projects=40, requests=900, surveys=300), seed=4)
    return folder


@pytest.fixture(scope="module")
def runs(generated: Path) -> dict[str, tuple[Registry, Ruleset, Prepared, Any]]:
    reg = builders.registry()
    out = {}
    for name in VARIANTS:
        rs = _variant(load_ruleset(builders.DEFAULT_RULESET, reg), name)
        prepared = prepare(generated, rs, reg)
        out[name] = (reg, rs, prepared, run(prepared, rs, reg))
    return out


def _same_as_run(reg: Registry, prepared: Prepared, a: Any, b: Ruleset) -> None:
    quick = rescore.quick_comparison(prepared, a, b, reg)
    assert quick is not None  # the quick way was taken
    assert quick == compare(a, run(prepared, b, reg))
    assert compare_to(prepared, a, b, reg) == quick


# one change per rule of the default ruleset, each a parameter its points depend on
CHANGES = [
    ("satisfaction", {"points": 25.0}),
    ("satisfaction", {"points": 0.0}),
    # people have about 2 ratings each: under 10 their 满意率 is completed at the peer
    # group's; from 1 it is their own, and leads the "chain" variant's tie-break with
    # points A never had
    ("satisfaction", {"min_cases": 1}),
    ("satisfaction", {"full_at": 99.5, "zero_at": 96.0}),
    ("satisfaction", {"min_cases": 4}),
    ("timeliness", {"points": 30.0}),
    ("timeliness", {"zero_at": 12.5}),
    ("timeliness", {"weights": {"response": 0.5, "completion": 0.5}}),
    ("timeliness", {"min_cases": 0}),
    ("timeliness", {"days": 1}),  # new facts: the late counts change
    ("ledger", {"points": 2.0}),
    ("follow-up", {"days": 10}),
    ("standard", {"points": 9.5}),
    ("supervision", {"points": 0.0}),
    ("key-projects", {"points": 6.5}),
    ("key-projects", {"when_empty": "zero"}),
    ("summary", {"when_empty": "zero"}),
    ("evaluation", {"points": 7.25}),
    ("publicity", {"points": 1.0}),
    ("media-bonus", {"cap": 0.75}),  # declares no points_from: every candidate scored
]


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize(("rule", "changes"), CHANGES, ids=lambda x: str(x))
def test_one_rule_changed(runs, variant: str, rule: str, changes: dict[str, Any]) -> None:
    reg, rs, prepared, a = runs[variant]
    _same_as_run(reg, prepared, a, rs.with_params(f"rules.{rule}", **changes))


def test_the_lists_do_change(runs) -> None:
    # the comparisons above are not all empty: a large change moves people in and out
    reg, rs, prepared, a = runs["caps_and_categories"]
    b = rs.with_params("rules.satisfaction", points=5.0)
    quick = rescore.quick_comparison(prepared, a, b, reg)
    assert quick is not None
    assert any(lc.entered or lc.left for lc in quick.lists)
    assert any(r.rank_change for r in quick.candidates)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    weights=st.lists(st.integers(0, 400), min_size=10, max_size=10),
    variant=st.sampled_from(VARIANTS),
)
def test_any_weights(runs, weights: list[int], variant: str) -> None:
    # every weighted rule's points at once, in tenths from 0 to 40
    reg, rs, prepared, a = runs[variant]
    b = rs
    weighted = [r for r in rs.rules if not reg.rules[r].bonus]
    for rule, tenths in zip(weighted, weights, strict=False):
        b = b.with_params(f"rules.{rule}", points=tenths / 10)
    _same_as_run(reg, prepared, a, b)


def test_the_judged_share_moves_with_the_weights(runs) -> None:
    # eligibility asks the rules that judged a candidate to carry 60 % of the weight of
    # those that apply to its kind: with satisfaction at 5 points (and timeliness 45),
    # people without a rating pass it, and people with ratings but no request fail it.
    # The quick way must see it as a run does.
    from dxe_eval.totals import judged_reason, judged_weight

    reg, rs, prepared, a = runs["caps_and_categories"]
    b = rs.with_params("rules.satisfaction", points=5.0).with_params(
        "rules.timeliness", points=45.0
    )
    full = run(prepared, b, reg)

    def short(ev: Any) -> set[str]:
        share = ev.ruleset.commendation.person.min_judged_share
        return {
            c.candidate.candidate_id
            for c in ev.scorecards
            if c.candidate.kind == "person" and judged_reason(*judged_weight(c), share)
        }

    assert short(a) != short(full)
    _same_as_run(reg, prepared, a, b)


def test_a_rule_without_points_from_is_scored_for_everyone(runs) -> None:
    reg, rs, prepared, _ = runs["default"]
    rule = attrs.evolve(reg.rules["satisfaction"], points_from=None)
    plain = attrs.evolve(reg, rules={**reg.rules, "satisfaction": rule})
    a2 = run(prepared, rs, plain)
    _same_as_run(plain, prepared, a2, rs.with_params("rules.satisfaction", points=20.0))


@pytest.mark.parametrize(
    "change",
    [
        lambda rs: rs.with_params("thresholds.bad-review-rate", warning=1.0),
        lambda rs: attrs.evolve(rs, total=90.0),
        lambda rs: attrs.evolve(
            rs, commendation=attrs.evolve(rs.commendation, tie_at_cutoff="all")
        ),
        lambda rs: attrs.evolve(rs, rules={k: v for k, v in rs.rules.items() if k != "ledger"}),
    ],
    ids=["threshold", "total", "commendation", "rule switched off"],
)
def test_other_changes_go_the_long_way(runs, change: Any) -> None:
    reg, rs, prepared, a = runs["default"]
    b = change(rs)
    assert rescore.quick_comparison(prepared, a, b, reg) is None
    assert compare_to(prepared, a, b, reg) == compare(a, run(prepared, b, reg))


@pytest.mark.parametrize(
    "rule", [r for r, rule in builders.registry().rules.items() if rule.points_from is not None]
)
def test_points_from_holds_on_the_generated_facts(runs, rule: str) -> None:
    # the declaration itself: candidates with the same values of a rule's points_from
    # columns get the same points and applicability, under the default parameters and
    # under changed ones (only the rules that declare points_from, and every one of them
    # in the default ruleset: a test that asserts it)
    from dxe_eval.engine import facts_for

    reg, rs, prepared, _ = runs["default"]
    r = reg.rules[rule]
    assert rule in rs.rules, f"{rule} declares points_from but the default ruleset omits it"
    for params in (rs.rules[rule], attrs.evolve(rs.rules[rule], points=13.37)):
        index = facts_for(prepared, "rule", r, params, frozenset(r.applies_to))
        seen: dict[tuple[Any, ...], tuple[float, bool]] = {}
        for facts in index.values():
            result = r.score(facts, params)
            key = tuple(facts.get(c) for c in r.points_from)
            assert seen.setdefault(key, (result.points, result.applicable)) == (
                result.points,
                result.applicable,
            )
        assert len(seen) < len(index)  # candidates do share values: the grouping pays


def test_a_points_from_that_does_not_hold_is_caught_and_not_trusted(runs) -> None:
    # satisfaction declared to depend on no fact at all: every candidate with ratings
    # would share the first one's points. The run under A shows it does not hold; the
    # rule is then scored for every candidate, with a warning.
    reg, rs, prepared, _ = runs["default"]
    rule = attrs.evolve(reg.rules["satisfaction"], points_from=())
    wrong = attrs.evolve(reg, rules={**reg.rules, "satisfaction": rule})
    a = run(prepared, rs, wrong)
    b = rs.with_params("rules.satisfaction", points=20.0)
    with pytest.warns(RuntimeWarning, match="'satisfaction'.*does not hold"):
        quick = rescore.quick_comparison(prepared, a, b, wrong)
    assert quick == compare(a, run(prepared, b, wrong))
