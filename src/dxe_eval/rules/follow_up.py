"""事后有回访 — served enterprises are visited or called back after delivery.

Counted: requests received in the period whose outcome is ``delivered``. A
request is followed up in time when its first visit that reached the
enterprise (``reached`` not false) on or after the closing date comes no more
than ``days`` working days after it (``visit_wd``). A visit dated before the
closing date is accepted but is no follow-up: the service was not yet done
(the reason counts the requests visited only before closing). A delivered
request with no closing time (``closed_at`` empty) cannot be measured and
counts as not followed up in time, like one with no visit at all. Evidence:
the delivered requests not followed up in time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import EVERY_ROW, Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.scoring.share import empty_result, share_parts, when_empty_validator
from dxe_eval.service import RECEIVED_IN_PERIOD


def visited_expr(days: int) -> pl.Expr:
    """Visited in time: a first reached visit at most ``days`` working days after closing."""
    return pl.col("visit_wd").is_not_null() & (pl.col("visit_wd") <= days)


@frozen(kw_only=True)
class FollowUpParams:
    """``[rules.follow-up]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=10.0, validator=attrs.validators.ge(0))
    #: working days after the closing date within which the enterprise must be visited
    days: int = field(default=3, validator=attrs.validators.ge(0))
    #: with no delivered request: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def facts(ev: Evidence, params: FollowUpParams) -> FactSpec:
    """The delivered requests received in the period: visited in time, early, missing."""
    good = visited_expr(params.days)
    early = ~good & pl.col("visit_early")
    return FactSpec(
        record_type="requests",
        where=pl.col(RECEIVED_IN_PERIOD) & (pl.col("outcome") == "delivered"),
        counts={"delivered": EVERY_ROW, "visited": good, "early": early},
        ids={"missing_ids": ("request_id", ~good)},
    )


def collect(ev: Evidence, params: FollowUpParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def score(facts: Mapping[str, Any], params: FollowUpParams) -> RuleResult:
    n = int(facts.get("delivered") or 0)
    if n == 0:
        return empty_result(
            params.points, params.when_empty, "已办结的服务需求", "delivered requests"
        )
    good = int(facts.get("visited") or 0)
    missing = facts.get("missing_ids") or ()
    got, reason, reason_en = share_parts(
        good,
        n,
        params.points,
        "已办结服务需求",
        "按时回访",
        "delivered requests followed up in time",
    )
    early = int(facts.get("early") or 0)
    early_zh = f"；其中 {early} 件只在办结前回访，不算回访" if early else ""
    early_en = f"; {early} visited only before closing, no follow-up" if early else ""
    return RuleResult(
        points=got,
        max=params.points,
        evidence=missing,
        reason=f"{reason}{early_zh}；时限：办结后 {params.days} 个工作日内回访（联系上），"
        f"无办结时间的按未回访计",
        reason_en=f"{reason_en}{early_en} (a reached visit within {params.days} working "
        f"days of closing)",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="follow-up",
            title="事后有回访",
            title_en="Served enterprises are followed up",
            needs=("requests.closed_at", "requests.outcome", "visits.request_id"),
            applies_to={"unit", "person"},
            params=FollowUpParams,
            collect=collect,
            facts=facts,
            score=score,
            collect_per_kind=True,
            collect_keys=("days",),
            points_from=("delivered", "visited"),
            description=__doc__ or "",
        ),
    )
