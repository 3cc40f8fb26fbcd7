"""A bonus rule whose score ends the program with success: SystemExit(0)."""

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
    return ev.candidate_frame()


def score(facts: Mapping[str, Any], params: Params) -> RuleResult:
    raise SystemExit(0)


@hookimpl
def dxe_eval_register_rules() -> list[Rule]:
    return [
        Rule(
            id="quitter",
            title="退出",
            title_en="quitter",
            applies_to={"unit"},
            params=Params,
            collect=collect,
            score=score,
            bonus=True,
        )
    ]
