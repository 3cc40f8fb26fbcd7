"""项目有小结 — each project completed in the period has a timely written summary.

Counted: projects whose ``completed_on`` falls in the period (a project counts
for itself, its unit and its leader). A project is summarised in time when its
first summary (``summary_on``) was submitted no more than ``days`` calendar
days after completion. A summary dated before the completion date, or of a
project with no completion date, is not counted: it is named in a data note
(the index stage sets it aside: ``Evidence.set_aside``). A
project not completed by the period's end is not judged yet on itself (not
applicable, whatever ``when_empty`` says): "not yet", not "not applicable".
Evidence: the projects without a timely summary.
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
    share_parts,
    when_empty_validator,
)


def summarised_expr(days: int) -> pl.Expr:
    """A first summary at most ``days`` calendar days after completion."""
    gap = (pl.col("summary_on") - pl.col("completed_on")).dt.total_days()
    return pl.col("summary_on").is_not_null() & (gap <= days)


@frozen(kw_only=True)
class SummaryParams:
    """``[rules.summary]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=6.0, validator=attrs.validators.ge(0))
    #: calendar days after completion within which the summary must be submitted
    days: int = field(default=30, validator=attrs.validators.ge(0))
    #: with no project completed in the period: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def collect(ev: Evidence, params: SummaryParams) -> pl.DataFrame:
    done, not_yet = completed_in_period(ev), not_yet_expr(ev)
    good = done & summarised_expr(params.days).fill_null(False)
    return (
        ev.attributed("projects")
        .filter(done | not_yet)
        .group_by([KIND, CID])
        .agg(
            done.sum().alias("completed"),
            good.sum().alias("summarised"),
            not_yet.any().alias("not_yet"),
            pl.col("project_id").filter(done & ~good).sort().alias("missing_ids"),
        )
    )


def score(facts: Mapping[str, Any], params: SummaryParams) -> RuleResult:
    n = int(facts.get("completed") or 0)
    if n == 0:
        if facts.get("not_yet"):
            return not_yet_result(params.points)
        return empty_result(
            params.points, params.when_empty, "本期完成的项目", "projects completed in the period"
        )
    good = int(facts.get("summarised") or 0)
    missing = tuple(facts.get("missing_ids") or ())
    got, reason, reason_en = share_parts(
        good,
        n,
        params.points,
        "本期完成项目",
        "按时提交小结",
        "completed projects summarised in time",
    )
    return RuleResult(
        points=got,
        max=params.points,
        evidence=missing,
        reason=f"{reason}；时限：完成后 {params.days} 日内提交小结",
        reason_en=f"{reason_en} (within {params.days} days of completion)",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="summary",
            title="项目有小结",
            title_en="Completed projects are summarised",
            needs=("projects.completed_on",),
            applies_to={"unit", "person", "project"},
            params=SummaryParams,
            collect=collect,
            score=score,
            collect_per_kind=True,
            collect_keys=("days",),
            points_from=("completed", "summarised", "not_yet"),
            description=__doc__ or "",
        ),
    )
