"""Facts declared as :class:`FactSpec` and fused into one pass per record type.

A built-in rule or threshold whose facts are counts and id lists over one record type
declares them (``facts``); its ``collect`` is :func:`spec_facts` of that spec, and the
engine computes every enabled spec over one record type in one query
(:func:`fused_facts`). Both ways must give the same frame; a plugin rule with only
``collect`` keeps working beside them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

import attrs
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dxe_eval import engine
from dxe_eval.engine import default_data, judged_kinds, prepare, run
from dxe_eval.evidence import CID, EVERY_ROW, KIND, Evidence, FactSpec, fused_facts, spec_facts
from dxe_eval.generate import Sizes, generate
from dxe_eval.model import Rule, RuleResult
from dxe_eval.report.json import to_dict
from dxe_eval.service import RECEIVED_IN_PERIOD
from tests import builders


class _Rows:
    """Just what the spec functions read of an :class:`Evidence`: one record type's rows."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame

    def attributed_lazy(self, name: str) -> pl.LazyFrame:
        assert name == "requests"
        return self.frame.lazy()


def _by_candidate(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort([KIND, CID])


def test_counts_and_lists_worked_by_hand() -> None:
    rows = pl.DataFrame(
        {
            KIND: ["unit", "unit", "unit", "unit", "person"],
            CID: ["U1", "U1", "U1", "U2", "P1"],
            "request_id": ["R3", "R1", "R2", "R4", "R5"],
            "in_year": [True, True, None, False, True],
            "late": [True, True, False, True, None],
        }
    )
    ev = cast(Evidence, _Rows(rows))
    a = FactSpec(
        record_type="requests",
        where=pl.col("in_year"),
        counts={"n": EVERY_ROW, "late": pl.col("late")},
        ids={"late_ids": ("request_id", pl.col("late"))},
    )
    b = FactSpec(
        record_type="requests",
        where=~pl.col("late"),  # R2 (U1) only: False → kept; R5's null → not kept
        counts={"on_time": EVERY_ROW},
        finish=lambda f: f.with_columns(pl.col("on_time").alias("twice") * 2),
    )
    # a: U1 has R3, R1 in the year (R2's null is not), both late → n 2, late 2, [R1, R3]
    # sorted; U2's one row is not in the year → no row; P1: R5 in the year, late null →
    # n 1, late 0 (a null is not counted), no id → [] (not null)
    expected_a = pl.DataFrame(
        {
            KIND: ["person", "unit"],
            CID: ["P1", "U1"],
            "n": [1, 2],
            "late": [0, 2],
            "late_ids": [[], ["R1", "R3"]],
        },
        schema_overrides={"n": pl.UInt32, "late": pl.UInt32, "late_ids": pl.List(pl.String)},
    )
    # b: U1's R2 alone: on_time 1, twice 2
    expected_b = pl.DataFrame(
        {KIND: ["unit"], CID: ["U1"], "on_time": [1], "twice": [2]},
        schema_overrides={"on_time": pl.UInt32, "twice": pl.UInt32},
    )
    fused = fused_facts(ev, [a, b])
    for got, alone, expected in zip(
        fused, (spec_facts(ev, a), spec_facts(ev, b)), (expected_a, expected_b), strict=True
    ):
        assert_frame_equal(_by_candidate(got), expected)
        assert_frame_equal(_by_candidate(alone), expected)
    assert fused_facts(ev, []) == []


def _specs(prepared: engine.Prepared, rs: Any, reg: Any) -> list[tuple[str, Any, Any, Any]]:
    """Every enabled built-in rule and threshold that declares facts: (id, obj, params, kinds)."""
    out = []
    for rule_id, params in rs.rules.items():
        rule = reg.rules[rule_id]
        if rule.facts is not None:
            out.append((rule_id, rule, params, frozenset(rule.applies_to)))
    for threshold_id, params in rs.thresholds.items():
        threshold = reg.thresholds[threshold_id]
        if threshold.facts is not None:
            out.append((threshold_id, threshold, params, judged_kinds(threshold, params)))
    return out


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("generated")
    generate(folder, Sizes(units=30, people=300, projects=60, requests=3000, surveys=600), seed=5)
    return folder


@pytest.mark.parametrize("where", ["example", "generated"])
def test_fused_is_alone_for_every_built_in_spec(where: str, generated: Path) -> None:
    reg = builders.registry()
    rs = builders.ruleset(reg=reg)
    data = default_data() if where == "example" else generated
    prepared = prepare(data, rs, reg, reuse=False)
    ev = prepared.evidence
    specs = _specs(prepared, rs, reg)
    declared = {i for i, *_ in specs}
    # the request and survey rules and thresholds of the default ruleset, at least
    assert {"timeliness", "follow-up", "ledger", "late-response", "not-delivered"} <= declared
    assert {"satisfaction", "bad-review-rate"} <= declared
    by_type: dict[str, list[tuple[str, Any, Any, Any, FactSpec]]] = {}
    for i, obj, params, kinds in specs:
        spec = obj.facts(ev, params)
        by_type.setdefault(spec.record_type, []).append((i, obj, params, kinds, spec))
    for group in by_type.values():
        fused = fused_facts(ev, [s for *_, s in group])
        for (i, obj, params, kinds, spec), frame in zip(group, fused, strict=True):
            alone = spec_facts(ev, spec)
            assert alone.height > 0, i  # a test that sees rows
            assert_frame_equal(_by_candidate(frame), _by_candidate(alone), check_row_order=False)
            # and the rule's collect, for the kinds the engine asks it for
            scoped = ev.for_kinds(kinds)
            collected = obj.collect(scoped, params).filter(pl.col(KIND).is_in(sorted(kinds)))
            mine = frame.filter(pl.col(KIND).is_in(sorted(kinds)))
            assert_frame_equal(_by_candidate(mine), _by_candidate(collected))


@pytest.mark.parametrize("where", ["example", "generated"])
def test_a_run_with_fused_facts_is_the_run_without(
    where: str, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = builders.registry()
    rs = builders.ruleset(reg=reg)
    data = default_data() if where == "example" else generated
    fused = to_dict(run(prepare(data, rs, reg, reuse=False), rs, reg))
    monkeypatch.setattr(engine, "fuse_facts", lambda *args: None)
    alone = to_dict(run(prepare(data, rs, reg, reuse=False), rs, reg))
    assert fused == alone


@attrs.frozen(kw_only=True)
class _CountParams:
    points: float = 0.0


def _count_collect(ev: Evidence, params: _CountParams) -> pl.DataFrame:
    return (
        ev.attributed("requests")
        .filter(pl.col(RECEIVED_IN_PERIOD))
        .group_by([KIND, CID])
        .agg(pl.len().alias("n"), pl.col("request_id").head(2).alias("first"))
    )


def _count_score(facts: Mapping[str, Any], params: _CountParams) -> RuleResult:
    n = int(facts.get("n") or 0)
    # a collect-only rule's list column reaches it as the Python list it always was (the
    # IdList of a declared FactSpec's ids is for declared specs only)
    assert n == 0 or type(facts["first"]) is list
    return RuleResult(points=0.0, max=params.points, reason=f"{n} 件", reason_en=f"{n}")


def test_a_collect_only_plugin_rule_beside_fused_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    base = builders.registry()
    counting = Rule(
        id="request-count",
        title="需求数",
        title_en="Requests",
        applies_to={"unit"},
        params=_CountParams,
        collect=_count_collect,
        score=_count_score,
        plugin="test",
    )
    reg = attrs.evolve(base, rules={**base.rules, "request-count": counting})
    rs = builders.ruleset({"rules": {"request-count": {"points": 0.0}}}, reg=reg)
    fused_calls: list[int] = []
    real = engine.fused_facts

    def spy(ev: Evidence, specs: Any, **kw: Any) -> list[pl.DataFrame]:
        fused_calls.append(len(specs))
        return real(ev, specs, **kw)

    monkeypatch.setattr(engine, "fused_facts", spy)
    prepared = prepare(default_data(), rs, reg, reuse=False)
    ev = run(prepared, rs, reg)
    # one query per record type and candidate kind, the plugin rule apart. Requests: units
    # 5 specs (timeliness, follow-up, ledger, and late-response and not-delivered, which
    # judge units only), people 3 (timeliness, follow-up, ledger), projects 1
    # (timeliness); surveys: units 2 (satisfaction, bad-review-rate), people 1, projects 1
    assert fused_calls == [5, 3, 1, 2, 1, 1]
    # its reason is its own count: the unit's requests received in the period, counted
    # here straight from the evidence
    req = prepared.evidence.attributed("requests").filter(
        pl.col(RECEIVED_IN_PERIOD) & (pl.col(KIND) == "unit")
    )
    counts = dict(req.group_by(CID).len().iter_rows())
    seen = 0
    for card in ev.scorecards:
        if card.candidate.kind != "unit":
            continue
        (entry,) = (r for r in card.rules if r.rule == "request-count")
        assert entry.result.reason == f"{counts.get(card.candidate.candidate_id, 0)} 件"
        seen += counts.get(card.candidate.candidate_id, 0) > 0
    assert seen > 0
    # and the built-in rules' results are those of a run without fusing
    monkeypatch.setattr(engine, "fuse_facts", lambda *args: None)
    alone = run(prepare(default_data(), rs, reg, reuse=False), rs, reg)
    assert to_dict(alone) == to_dict(ev)
