"""Every built-in rule: registered as a plugin, documented parameters, points within [0, max]."""

from __future__ import annotations

import inspect
import math

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dxe_eval.engine import default_data, prepare, run
from dxe_eval.rules import (
    evaluation,
    follow_up,
    ledger,
    media_bonus,
    publicity,
    standard,
    summary,
    supervision,
)
from tests import builders
from tests.unit.rules import support as s

EXPECTED = {
    "standard": ("服务有标准", {"unit"}),
    "ledger": ("工作有台账", {"unit", "person"}),
    "supervision": ("推进有督办", {"unit", "project"}),
    "summary": ("项目有小结", {"unit", "person", "project"}),
    "follow-up": ("事后有回访", {"unit", "person"}),
    "evaluation": ("绩效有评价", {"unit", "person", "project"}),
    "publicity": ("媒体有宣传", {"unit"}),
    "media-bonus": ("媒体宣传加分", {"unit", "project"}),
}


def test_registered():
    rules = s.registry().rules
    for rid, (title, kinds) in EXPECTED.items():
        rule = rules[rid]
        assert rule.title == title
        assert rule.title_en
        assert rule.applies_to == kinds
        assert rule.bonus == (rid == "media-bonus")
        assert rule.plugin.startswith("dxe_eval.rules.")
        fields = {a.name for a in attrs.fields(rule.params)}
        assert set(rule.collect_keys or ()) <= fields


@pytest.mark.parametrize("rid", sorted(EXPECTED))
def test_every_param_documented(rid):
    cls = s.registry().rules[rid].params
    source = inspect.getsource(cls)
    for a in attrs.fields(cls):
        line = next(ln for ln in source.splitlines() if ln.strip().startswith(f"{a.name}:"))
        before = source.splitlines()[source.splitlines().index(line) - 1]
        assert before.strip().startswith("#:"), (rid, a.name)


def test_ruleset_table_matches_params():
    raw = s.raw()
    reg = s.registry()
    for rid in EXPECTED:
        names = {a.name for a in attrs.fields(reg.rules[rid].params)}
        assert set(raw["rules"][rid]) == names, rid


def test_bundled_example_points_within_bounds():
    reg = s.registry()
    rs = builders.ruleset(reg=reg, raw=s.raw())
    ev = run(prepare(default_data(), rs, reg), rs, reg)
    seen = set()
    for card in ev.scorecards:
        for scored in card.rules:
            r = scored.result
            maximum = reg.rules[scored.rule].maximum(rs.rules[scored.rule])
            assert 0 <= r.points <= r.max, (card.candidate.candidate_id, scored.rule)
            assert math.isclose(r.max, maximum)
            assert r.reason and r.reason_en
            assert list(r.evidence) == sorted(r.evidence)
            seen.add(scored.rule)
    assert set(EXPECTED) <= seen


SHARE_RULES = [
    (standard, standard.StandardParams(), "items", "with_standard"),
    (ledger, ledger.LedgerParams(), "delivered", "ledgered"),
    (follow_up, follow_up.FollowUpParams(), "delivered", "visited"),
    (supervision, supervision.SupervisionParams(), "counted", "on_time"),
    (summary, summary.SummaryParams(), "completed", "summarised"),
    (evaluation, evaluation.EvaluationParams(), "completed", "evaluated"),
]


@given(
    st.integers(0, 10_000),
    st.integers(0, 10_000),
    st.sampled_from(["full", "zero", "not_applicable"]),
    st.sampled_from([8.0, 8.125, 6.005]),
)
def test_share_scores_within_bounds(a, b, mode, weight):
    whole, good = max(a, b), min(a, b)
    for module, params, n_key, good_key in SHARE_RULES:
        params = attrs.evolve(params, when_empty=mode, points=weight)
        r = module.score({n_key: whole, good_key: good}, params)
        assert 0 <= r.points <= r.max == params.points
        if whole and good == whole:
            assert r.points == params.points


@given(st.lists(st.sampled_from([0.0, 1.5, 3.0]), max_size=8), st.floats(0, 10))
def test_media_bonus_within_cap(values, cap):
    params = media_bonus.MediaBonusParams(cap=cap)
    ids = [f"M{i}" for i in range(len(values))]
    r = media_bonus.score(
        {"counted_ids": ids, "counted_tiers": ["national"] * len(ids), "counted_values": values},
        params,
    )
    assert 0 <= r.points <= r.max == cap


def test_publicity_score_is_all_or_nothing():
    p = publicity.PublicityParams()
    assert publicity.score({}, p).points == 0.0
    assert publicity.score({"items": 2, "item_ids": ["M1", "M2"]}, p).points == 5.0
