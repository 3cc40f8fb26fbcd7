"""服务不落实 — the share of requests not delivered.

Among the requests received in the period (counted for every candidate they
are attributed to), a request is *not delivered* when its outcome is
``not_delivered``, or when it is not closed (no ``closed_at``, or outcome
``open``) and its completion limit has passed at the period's end: more
working days in ``(received date, period end]`` than the ruleset's ``[limits]
completion_days`` for its kind (the index stage marks it ``completion_late``;
a request without a kind gets the largest limit; a withdrawn one is never
late). Bands on the rate (percent), strict ``>``, with ``min_cases`` as for
every banded threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import polars as pl
from attrs import frozen

from dxe_eval.evidence import CID, KIND, Evidence, per_candidate
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Assessment, Finding, Threshold
from dxe_eval.thresholds.bands import RateBands, rate_assessment


@frozen(kw_only=True)
class NotDeliveredParams(RateBands):
    """``[thresholds.not-delivered]``: bands on the undelivered rate (percent)."""

    REMOVED_KEYS: ClassVar[Mapping[str, str]] = {
        "completion_days": "the completion limits are declared once, in [limits] "
        "completion_days 办结时限改在 [limits] completion_days 中统一设定",
    }

    warning: float | None = 3.0
    rectify: float | None = 5.0
    criticize: float | None = 10.0


def not_delivered_expr() -> pl.Expr:
    """A request is not delivered: outcome ``not_delivered``, or open past its completion
    limit at the period's end (the index stage's ``completion_late`` of an open request)."""
    open_ = pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)
    return (pl.col("outcome") == "not_delivered").fill_null(False) | (
        open_ & pl.col("completion_late")
    )


def collect(ev: Evidence, params: NotDeliveredParams) -> pl.DataFrame:
    req = (
        ev.attributed_lazy("requests")
        .filter(ev.in_period("received_at"))
        .select(KIND, CID, "request_id", not_delivered_expr().alias("_bad"))
    )
    bad = pl.col("_bad")
    return per_candidate(
        req, [pl.len().alias("cases"), bad.sum().alias("bad")], {"bad_ids": ("request_id", bad)}
    )


def assess(facts: Mapping[str, Any], params: NotDeliveredParams,
           prior: tuple[Finding, ...]) -> Assessment:
    return rate_assessment(
        int(facts.get("bad") or 0), int(facts.get("cases") or 0),
        tuple(facts.get("bad_ids") or ()), params,
        label_zh="服务不落实率", label_en="undelivered rate", cases_zh="服务需求",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(id="not-delivered", title="服务不落实", title_en="Service not delivered",
                  needs=("requests.closed_at", "requests.outcome", "requests.kind"),
                  applies_to={"unit", "person", "project"}, params=NotDeliveredParams,
                  collect=collect, assess=assess, collect_per_kind=True, collect_keys=(),
                  description=__doc__ or ""),
    )
