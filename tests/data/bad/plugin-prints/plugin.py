"""A bonus rule that prints to standard output while it collects and scores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from attrs import frozen

from dxe_eval import Rule, RuleResult, hookimpl


@frozen(kw_only=True)
class Params:
    cap: float = 1.0


def collect(ev: Any, params: Params) -> pl.DataFrame:
    print("chatty plugin: collecting")
    return ev.candidate_frame()


def score(facts: Mapping[str, Any], params: Params) -> RuleResult:
    print("chatty plugin: scoring")
    return RuleResult(points=0.0, max=params.cap, reason="—")


@hookimpl
def dxe_eval_register_rules() -> list[Rule]:
    return [
        Rule(
            id="chatty",
            title="多话",
            title_en="chatty",
            applies_to={"unit"},
            params=Params,
            collect=collect,
            score=score,
            bonus=True,
        )
    ]
