"""Each rule's points are rounded half-up to cents before a scorecard adds them up.

The engine does it for every rule, a plugin's included: a rule may return any
float in ``[0, max]``; the card holds the rounded value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl

from dxe_eval.engine import prepare, run
from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.model import Rule, RuleResult
from dxe_eval.ruleset import build_ruleset
from tests import builders


@attrs.frozen(kw_only=True)
class _Params:
    points: float = 5.0
    give: float = 0.0


def _collect(ev: Evidence, params: _Params) -> pl.DataFrame:
    return pl.DataFrame(schema={KIND: pl.String, CID: pl.String})


def _score(facts: Mapping[str, Any], params: _Params) -> RuleResult:
    return RuleResult(points=params.give, max=params.points, reason="固定得分")


def _as_int(facts: Mapping[str, Any], params: _Params) -> RuleResult:
    return RuleResult(points=int(params.give), max=params.points, reason="整数得分")


def _rule(rule_id: str, score: Any) -> Rule:
    return Rule(
        id=rule_id,
        title=rule_id,
        title_en=rule_id,
        applies_to={"unit"},
        params=_Params,
        collect=_collect,
        score=score,
        plugin="test",
    )


def _evaluate(give_a: float, give_b: float, score: Any = _score) -> Any:
    base = builders.registry()
    reg = attrs.evolve(
        base, rules={"half-a": _rule("half-a", score), "half-b": _rule("half-b", score)}
    )
    raw = {
        "ruleset": {
            "id": "r",
            "title": "t",
            "total": 10,
            "period": {"start": dt.date(2022, 1, 1), "end": dt.date(2022, 12, 31)},
        },
        "rules": {
            "half-a": {"points": 5.0, "give": give_a},
            "half-b": {"points": 5.0, "give": give_b},
        },
        "commendation": {"tie_break": ["caseload"]},
    }
    rs, problems = build_ruleset(raw, reg, file="<test>")
    assert not problems, problems
    data = {"units": builders.units(("U1", "处室")), "people": [], "projects": []}
    return run(prepare(data, rs, reg), rs, reg)


def test_each_rule_is_rounded_before_the_sum() -> None:
    # 0.005 and 0.005: each rounds half-up to 0.01, the card adds 0.01 + 0.01 = 0.02
    # (the weights add up to the total 10, so base = the sum). Adding first would give
    # 0.01 and round to 0.01.
    ev = _evaluate(0.005, 0.005)
    assert builders.points(ev, "U1", "half-a") == 0.01
    assert builders.points(ev, "U1", "half-b") == 0.01
    card = ev.scorecard("U1")
    assert card is not None and card.total == 0.02


def test_thirds_are_rounded_on_the_card() -> None:
    # 5/3 = 1.6666… → 1.67; 10/3 = 3.3333… → 3.33; base 1.67 + 3.33 = 5.00
    ev = _evaluate(5 / 3, 10 / 3)
    assert builders.points(ev, "U1", "half-a") == 1.67
    assert builders.points(ev, "U1", "half-b") == 3.33
    card = ev.scorecard("U1")
    assert card is not None and card.total == 5.0


def test_whole_points_of_any_number_type_go_on_the_card() -> None:
    # a plugin may give an int (checked like a float): 2 and 3 are whole cents already,
    # 2 + 3 = 5 (the weights add up to the total 10)
    ev = _evaluate(2.0, 3.0, _as_int)
    assert builders.points(ev, "U1", "half-a") == 2
    card = ev.scorecard("U1")
    assert card is not None and card.total == 5.0
