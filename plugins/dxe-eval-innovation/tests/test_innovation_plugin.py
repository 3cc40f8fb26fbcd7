"""Tests of the example plugin dxe-eval-innovation; skipped when it is not installed."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

plugin = pytest.importorskip("dxe_eval_innovation")

from dxe_eval.cases import run_cases  # noqa: E402
from dxe_eval.engine import evaluate  # noqa: E402
from dxe_eval.errors import RuleError  # noqa: E402
from dxe_eval.manager import get_registry  # noqa: E402

HERE = Path(__file__).resolve().parents[1]
RULESET = HERE / "rulesets" / "hubei-2022-innovation.toml"
DATA = HERE / "data" / "hubei-2022-innovation"


def registry():
    return get_registry(autoload=False, extra=[plugin])


def test_registers_record_type_rule_and_threshold() -> None:
    reg = registry()
    assert reg.record_types["innovations"].plugin == "dxe_eval_innovation"
    assert reg.rules["innovation-bonus"].bonus
    assert "stale-capability" in reg.thresholds


def test_entry_point_is_listed() -> None:
    eps = importlib.metadata.entry_points(group="dxe_eval")
    if "innovation" not in {ep.name for ep in eps}:
        pytest.skip("installed without its entry point metadata")
    info = {p.name: p for p in get_registry().plugins}["innovation"]
    assert info.distribution == "dxe-eval-innovation"
    assert info.enabled
    assert info.rules == ("innovation-bonus",)
    assert info.thresholds == ("stale-capability",)
    assert info.record_types == ("innovations",)


def test_example_data() -> None:
    ev = evaluate(DATA, RULESET, registry=registry())
    # U06: I003, I005 national (2 + 2) and I004 provincial (1) = 5 → cap 3
    assert ev.scorecard("U06").points("innovation-bonus") == 3.0
    # U08: I006 city 0.5; I007 was recognised in 2021 and is not counted
    assert ev.scorecard("U08").points("innovation-bonus") == 0.5
    # C900 of U11 was published in 2017, over three years before 2022-12-31
    stale = [f for f in ev.findings if f.threshold == "stale-capability"]
    assert [(f.candidate_id, f.level) for f in stale] == [("U11", "warning")]


def test_hand_worked_cases() -> None:
    results = list(run_cases(HERE / "rulesets", registry()))
    assert results and all(r.ok for r in results), [r.failures for r in results]


def test_a_scoring_error_names_the_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(facts, params):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(plugin, "score_innovations", broken)
    with pytest.raises(RuleError) as err:
        evaluate(DATA, RULESET, registry=registry())
    assert err.value.plugin == "dxe_eval_innovation"
    assert err.value.rule_id == "innovation-bonus"
    assert "boom" in str(err.value)
