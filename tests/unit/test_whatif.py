"""What-if runs: compare two rulesets, and weight sensitivity (fast path vs ``run``)."""

from __future__ import annotations

import random

import attrs
import pytest

from dxe_eval import rescore, whatif
from dxe_eval.engine import default_data, prepare, run
from dxe_eval.ruleset import load_ruleset
from tests import builders

DATA_RULESETS = builders.ROOT / "tests" / "data" / "rulesets"


@pytest.fixture(scope="module")
def setup():
    reg = builders.registry()
    rs = load_ruleset(builders.DEFAULT_RULESET, reg)
    return reg, rs, prepare(default_data(), rs, reg)


def test_vary_weights_keeps_the_total_and_tenths() -> None:
    weights = {"a": 30.0, "b": 20.0, "c": 50.0}
    rng = random.Random(1)
    for _ in range(200):
        w = whatif.vary_weights(weights, 100.0, 0.1, rng)
        assert sum(round(v * 10) for v in w.values()) == 1000
        assert all(abs(v * 10 - round(v * 10)) < 1e-9 for v in w.values())
        # ±10 % and renormalised: at most about ±20 % off
        assert all(0.79 * weights[k] <= v <= 1.21 * weights[k] for k, v in w.items())


def test_zero_spread_changes_nothing(setup) -> None:
    reg, rs, prepared = setup
    s = whatif.sensitivity(prepared, rs, reg, spread=0.0, runs=5)
    assert all(x.times == 5 for x in s.stays) and not s.enters


def test_weight_only_changes_reuse_collected_facts(setup) -> None:
    reg, rs, prepared = setup
    run(prepared, rs, reg)
    before = len(prepared.facts)
    changed = rs.with_params("rules.satisfaction", points=35.0).with_params(
        "rules.timeliness", points=15.0
    )
    run(prepared, changed, reg)
    whatif.sensitivity(prepared, rs, reg, runs=20, spread=0.3)
    assert len(prepared.facts) == before


def test_fast_path_totals_equal_run(setup) -> None:
    # each draw's totals the quick way (dxe_eval.rescore) are a whole run's
    reg, rs, prepared = setup
    base = run(prepared, rs, reg)
    rng = random.Random(7)
    weights = whatif.weighted_rules(rs, reg)
    for _ in range(8):
        b = whatif._with_weights(rs, whatif.vary_weights(weights, rs.total, 0.4, rng))
        quick = rescore.quick_comparison(prepared, base, b, reg)
        assert quick is not None
        slow = {
            (c.candidate.kind, c.candidate.candidate_id): c.total
            for c in run(prepared, b, reg).scorecards
        }
        assert {(r.kind, r.candidate_id): r.total_b for r in quick.candidates} == slow


def test_fast_path_equals_run_on_the_lists(setup) -> None:
    reg, rs, prepared = setup
    fast = whatif.sensitivity(prepared, rs, reg, runs=25, spread=0.5, seed=2)
    slow = whatif.sensitivity(prepared, rs, reg, runs=25, spread=0.5, seed=2, via_run=True)
    assert fast.stays == slow.stays and fast.enters == slow.enters
    assert fast.enters  # at ±50 % someone enters in some runs


def test_compare_lists_rank_and_list_changes(setup) -> None:
    reg, rs, prepared = setup
    b = load_ruleset(DATA_RULESETS / "timeliness-25.toml", reg)
    c, _, _ = whatif.compare_rulesets(prepared, rs, b, reg)
    assert any(r.rank_change for r in c.candidates)
    projects = {lc.kind: lc for lc in c.lists}["project"]
    # J01 (88.39 under A, timeliness 11.09 of 20) falls to 84.74 < 85 when timeliness
    # weighs 25 and satisfaction 25 (tests/e2e/test_policy.py works it out)
    assert [i for i, _ in projects.left] == ["J01"] and not projects.entered
    text = whatif.comparison_table(c)
    assert "表彰名单变化" in text and "落选 J01" in text


def test_compare_findings() -> None:
    reg = builders.registry()
    records = {
        "units": builders.units(("U1", "处室")),
        "surveys": [
            {
                "response_id": f"S{i}",
                "unit_id": "U1",
                "answered_on": "2022-03-01",
                "rating": 1 if i == 0 else 5,
                "rectified_on": "2022-03-02",
            }
            for i in range(20)
        ],
    }
    # 差评率 1/20 = 5 %: a warning under the default (> 2 %), none with warning = 5
    # (strict ">"); rectify moves to 6 so the bands still increase
    a = builders.ruleset()
    b = builders.ruleset({"thresholds": {"bad-review-rate": {"warning": 5.0, "rectify": 6.0}}})
    prepared = prepare(records, a, reg)
    c, _, _ = whatif.compare_rulesets(prepared, a, b, reg)
    assert [(f.candidate_id, f.threshold, f.level_a, f.level_b) for f in c.findings] == [
        ("U1", "bad-review-rate", "warning", None)
    ]


def test_ranks_by_total_share_ties(setup) -> None:
    reg, rs, prepared = setup
    ev = run(prepared, rs, reg)
    ranks = whatif.ranks_by_total(ev.scorecards)
    by_total: dict[tuple[str, float], set[int]] = {}
    for card in ev.scorecards:
        key = (card.candidate.kind, card.total)
        by_total.setdefault(key, set()).add(
            ranks[(card.candidate.kind, card.candidate.candidate_id)]
        )
    assert all(len(r) == 1 for r in by_total.values())


def test_comparison_table_shows_cells_as_written() -> None:
    # A gains 0.5: the change reads "+0.50"; totals keep two decimals ("89.70", not
    # "89.7"); an all-digit id "0099" is not read as the number 99.
    row = whatif.CandidateChange(
        candidate_id="0099",
        kind="unit",
        name="某局",
        total_a=89.2,
        total_b=89.7,
        change=0.5,
        rank_a=2,
        rank_b=1,
        rank_change=1,
        commended_a=False,
        commended_b=True,
    )
    c = whatif.Comparison(
        ruleset_a="a",
        ruleset_b="b",
        fingerprint_a="1",
        fingerprint_b="2",
        candidates=(row,),
        lists=(),
        findings=(),
    )
    line = next(x for x in whatif.comparison_table(c).splitlines() if x.startswith("0099"))
    assert line.split() == ["0099", "某局", "89.20", "89.70", "+0.50", "2", "1", "↑1", "新入选"]


@pytest.mark.parametrize("variant", ["by_id", "all", "units_below_minimum"])
def test_fast_path_equals_run_on_a_generated_set(tmp_path, variant) -> None:
    # The fast path leaves out the candidates that may never be listed and, per draw, the
    # people and projects below their list's minimum total; on a generated set (caps on
    # people by staff, shares of peer groups, ties at the cut-off) the lists stay those
    # of a whole run in every draw. "units_below_minimum": no unit reaches its minimum
    # and each unit may have at most one person per 20 staff, so the caps on people come
    # from units that are themselves never listed (they must still be seen); with people
    # eligible from a total of 60, about 23 are listed and 100 held back, most by the caps.
    from dxe_eval.generate import Sizes, generate

    generate(tmp_path, Sizes(units=20, people=150, projects=40, requests=900, surveys=300), seed=4)
    reg = builders.registry()
    rs = load_ruleset(builders.DEFAULT_RULESET, reg)
    c = rs.commendation
    if variant == "units_below_minimum":
        c = attrs.evolve(
            c,
            unit=attrs.evolve(c.unit, min_total=100.0),
            person=attrs.evolve(
                c.person,
                min_total=60.0,
                min_satisfaction_rate=None,
                max_bad_review_rate=None,
                min_responses=0,
                per_unit_staff=20,
                share=60.0,
            ),
        )
    else:
        c = attrs.evolve(c, tie_at_cutoff=variant)
    rs = attrs.evolve(rs, commendation=c)
    prepared = prepare(tmp_path, rs, reg)
    fast = whatif.sensitivity(prepared, rs, reg, runs=12, spread=0.5, seed=1)
    slow = whatif.sensitivity(prepared, rs, reg, runs=12, spread=0.5, seed=1, via_run=True)
    assert fast.stays == slow.stays and fast.enters == slow.enters
    assert any(x.kind == "person" for x in fast.stays)  # people are listed: the lists compared


def _tied_units(tie: str):
    """Two 处室 units with the same records (101.5 each, equal on the whole chain): the
    quota of one place (15 % of 2, at least 1) cannot hold both."""
    reg = builders.registry()
    units = builders.units(("U1", "处室"), ("U2", "处室"))
    records = {
        "units": units,
        "people": [],
        "projects": [],
        "capabilities": [
            {"item_id": f"C{u}", "unit_id": u, "name": "检定", "standard": "JJF"}
            for u in ("U1", "U2")
        ],
        "media": [
            {
                "item_id": f"M{u}",
                "unit_id": u,
                "outlet": "湖北日报",
                "tier": "provincial",
                "published_on": "2022-06-01",
            }
            for u in ("U1", "U2")
        ],
        "requests": [
            {
                "request_id": f"R{u}",
                "unit_id": u,
                "received_at": "2022-03-01 10:00:00",
                "responded_at": "2022-03-02 10:00:00",
                "closed_at": "2022-03-02 10:00:00",
                "kind": "咨询",
            }
            for u in ("U1", "U2")
        ],
        "surveys": [
            {"response_id": f"S{u}{i}", "unit_id": u, "answered_on": "2022-03-01", "rating": 5}
            for u in ("U1", "U2")
            for i in range(10)
        ],
    }
    rs = builders.ruleset({"commendation": {"tie_at_cutoff": tie}}, reg=reg)
    return reg, rs, prepare(records, rs, reg)


def test_a_pending_place_is_not_robust() -> None:
    # decide: U1 and U2 are both pending for the one place, in every draw (the weights do
    # not move: only the tie decides): in the list 5 times of 5, yet not robust
    reg, rs, prepared = _tied_units("decide")
    s = whatif.sensitivity(prepared, rs, reg, spread=0.0, runs=5)
    got = {x.candidate_id: (x.times, x.pending, x.base_tie, x.robust) for x in s.stays}
    assert got == {"U1": (5, 5, "pending", False), "U2": (5, 5, "pending", False)}
    assert s.stays[0].why_not_robust() == "并列，待定，由领导小组决定"
    table = whatif.sensitivity_table(s)
    assert "否：并列，待定，由领导小组决定" in table
    d = whatif.sensitivity_to_dict(s)
    assert {r["robust"] for r in d["stays"]} == {False}


def test_an_id_decided_place_is_not_robust() -> None:
    # by_id: U1 takes the place by id order every time (100 %), yet its place is not robust
    reg, rs, prepared = _tied_units("by_id")
    s = whatif.sensitivity(prepared, rs, reg, spread=0.0, runs=5)
    (u1,) = s.stays
    assert (u1.candidate_id, u1.times, u1.base_tie, u1.robust) == ("U1", 5, "id", False)
    assert u1.why_not_robust() == "并列，按编号决定"
