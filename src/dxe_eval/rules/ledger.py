"""工作有台账 — every delivered service is entered in the work ledger in time.

Counted: requests received in the period whose outcome is ``delivered``. A
request is ledgered in time when its first ledger entry is recorded no more
than ``days`` working days after the closing date (``ledger_wd``; an entry
made between receipt and closing is negative and in time: the work was
recorded as it went). An entry dated before the request's receipt is rejected
when the data are read. A delivered request with no
closing time (``closed_at`` empty) cannot be measured and counts as not
ledgered in time, like one with no ledger entry at all. Evidence: the
delivered requests not ledgered in time.
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


def ledgered_expr(days: int) -> pl.Expr:
    """Ledgered in time: a first entry at most ``days`` working days after closing (null → no)."""
    return pl.col("ledger_wd").is_not_null() & (pl.col("ledger_wd") <= days)


@frozen(kw_only=True)
class LedgerParams:
    """``[rules.ledger]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=8.0, validator=attrs.validators.ge(0))
    #: working days after the closing date within which the ledger entry must be recorded
    days: int = field(default=5, validator=attrs.validators.ge(0))
    #: with no delivered request: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def facts(ev: Evidence, params: LedgerParams) -> FactSpec:
    """The delivered requests received in the period: ledgered in time or missing."""
    good = ledgered_expr(params.days)
    return FactSpec(
        record_type="requests",
        where=pl.col(RECEIVED_IN_PERIOD) & (pl.col("outcome") == "delivered"),
        counts={"delivered": EVERY_ROW, "ledgered": good},
        ids={"missing_ids": ("request_id", ~good)},
    )


def collect(ev: Evidence, params: LedgerParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def score(facts: Mapping[str, Any], params: LedgerParams) -> RuleResult:
    n = int(facts.get("delivered") or 0)
    if n == 0:
        return empty_result(
            params.points, params.when_empty, "已办结的服务需求", "delivered requests"
        )
    good = int(facts.get("ledgered") or 0)
    missing = facts.get("missing_ids") or ()
    got, reason, reason_en = share_parts(
        good,
        n,
        params.points,
        "已办结服务需求",
        "按时登记台账",
        "delivered requests ledgered in time",
    )
    return RuleResult(
        points=got,
        max=params.points,
        evidence=missing,
        reason=f"{reason}；时限：办结后 {params.days} 个工作日内登记台账，无办结时间的按未登记计",
        reason_en=f"{reason_en} (within {params.days} working days of closing)",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="ledger",
            title="工作有台账",
            title_en="Work is ledgered",
            needs=("requests.closed_at", "requests.outcome", "ledger.request_id"),
            applies_to={"unit", "person"},
            params=LedgerParams,
            collect=collect,
            facts=facts,
            score=score,
            collect_per_kind=True,
            collect_keys=("days",),
            points_from=("delivered", "ledgered"),
            description=__doc__ or "",
        ),
    )
