"""绩效有评价 — each project completed in the period has a performance evaluation.

Counted: projects whose ``completed_on`` falls in the period (a project counts
for itself, its unit and its leader). A project is evaluated when it has at
least one evaluation dated on or after its completion date; one dated before
it, or of a project with no completion date, is not counted and is named in a
data note (``Evidence.set_aside``). A project not completed by the period's
end is not judged yet on itself (not applicable, whatever ``when_empty``
says). Evidence: the projects not evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.scoring.share import (
    completed_in_period,
    empty_result,
    not_yet_expr,
    not_yet_result,
    share_result,
    when_empty_validator,
)


@frozen(kw_only=True)
class EvaluationParams:
    """``[rules.evaluation]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=5.0, validator=attrs.validators.ge(0))
    #: with no project completed in the period: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def collect(ev: Evidence, params: EvaluationParams) -> pl.DataFrame:
    done, not_yet = completed_in_period(ev), not_yet_expr(ev)
    good = done & pl.col("evaluated_on_first").is_not_null()
    return (
        ev.attributed("projects")
        .filter(done | not_yet)
        .group_by([KIND, CID])
        .agg(
            done.sum().alias("completed"),
            good.sum().alias("evaluated"),
            not_yet.any().alias("not_yet"),
            pl.col("project_id").filter(done & ~good).sort().alias("missing_ids"),
        )
    )


def score(facts: Mapping[str, Any], params: EvaluationParams) -> RuleResult:
    n = int(facts.get("completed") or 0)
    if n == 0:
        if facts.get("not_yet"):
            return not_yet_result(params.points)
        return empty_result(
            params.points, params.when_empty, "本期完成的项目", "projects completed in the period"
        )
    good = int(facts.get("evaluated") or 0)
    missing = tuple(facts.get("missing_ids") or ())
    return share_result(
        good,
        n,
        params.points,
        what_zh="本期完成项目",
        good_zh="已开展绩效评价",
        what_en="completed projects evaluated",
        evidence=missing,
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="evaluation",
            title="绩效有评价",
            title_en="Project performance is evaluated",
            needs=("projects.completed_on",),
            applies_to={"unit", "person", "project"},
            params=EvaluationParams,
            collect=collect,
            score=score,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("completed", "evaluated", "not_yet"),
            description=__doc__ or "",
        ),
    )
