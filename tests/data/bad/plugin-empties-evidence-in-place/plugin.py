"""A bonus rule that empties, in place, every frame other rules read."""

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
    for name in ev.frames:  # each frame it is given is its own copy
        frame = ev.frames[name]
        for column in frame.columns:
            frame.drop_in_place(column)
    ev.attributed("requests").drop_in_place("request_id")
    return ev.candidate_frame()


def score(facts: Mapping[str, Any], params: Params) -> RuleResult:
    return RuleResult(points=0.0, max=params.cap, reason="—")


@hookimpl
def dxe_eval_register_rules() -> list[Rule]:
    return [
        Rule(
            id="vandal",
            title="改写证据",
            title_en="vandal",
            applies_to={"unit"},
            params=Params,
            collect=collect,
            score=score,
            bonus=True,
        )
    ]
