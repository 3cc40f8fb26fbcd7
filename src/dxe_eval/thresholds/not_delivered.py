"""服务不落实 — the share of requests not delivered.

Among the requests received in the period (counted for every candidate they
are attributed to), a request is *not delivered* when its outcome is
``not_delivered``, or when it is not closed (no ``closed_at``, or outcome
``open``) and its completion limit has passed at the period's end: more than
``completion_days[kind]`` working days in ``(received date, period end]``. A
request without a kind gets the largest limit. Bands on the rate (percent),
strict ``>``, with ``min_cases`` as for every banded threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence, per_candidate
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Assessment, Finding, Threshold
from dxe_eval.records import KINDS as REQUEST_KINDS
from dxe_eval.thresholds.bands import RateBands, rate_assessment

#: completion limits in working days per kind of request (12345 practice)
DEFAULT_COMPLETION: dict[str, int] = {
    "咨询": 3, "求助": 7, "建议": 7, "投诉": 15, "举报": 15, "服务": 15,
}


def completion_days_valid(
    _: object, attribute: attrs.Attribute[Any], value: dict[str, int]
) -> None:
    if not value:
        raise ValueError(f"'{attribute.name}' must name at least one kind of request")
    known = sorted(set(REQUEST_KINDS.values()))
    unknown = sorted(k for k in value if k not in known)
    if unknown:
        raise ValueError(f"'{attribute.name}' has unknown kind(s) {unknown}; use {known}")
    negative = sorted(k for k, v in value.items() if v < 0)
    if negative:
        raise ValueError(f"'{attribute.name}' must not be negative for {negative}")


@frozen(kw_only=True)
class NotDeliveredParams(RateBands):
    """``[thresholds.not-delivered]``: bands on the undelivered rate (percent)."""

    warning: float | None = 3.0
    rectify: float | None = 5.0
    criticize: float | None = 10.0
    #: completion limits in working days per kind of request; a request without a kind
    #: gets the largest
    completion_days: dict[str, int] = field(factory=lambda: dict(DEFAULT_COMPLETION),
                                            validator=completion_days_valid)


def not_delivered_expr(ev: Evidence, completion_days: Mapping[str, int]) -> pl.Expr:
    """A request is not delivered: outcome ``not_delivered``, or open past its completion limit.

    Needs the column ``_received_idx`` (the working-day index of ``received_on``).
    """
    largest = max(completion_days.values())
    limit = (pl.col("kind").cast(pl.String)
             .replace_strict(dict(completion_days), default=largest, return_dtype=pl.Int64)
             .fill_null(largest))
    open_ = pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)
    taken = pl.lit(ev.workdays.index_of(ev.period_end)) - pl.col("_received_idx")
    overdue = open_ & (taken > limit)
    return (pl.col("outcome") == "not_delivered").fill_null(False) | overdue


def collect(ev: Evidence, params: NotDeliveredParams) -> pl.DataFrame:
    # the flag is a column before the group-by: evaluated per group, the calendar lookup and
    # the limit per kind cost hundreds of megabytes at a province's size
    req = (
        ev.attributed_lazy("requests")
        .filter(ev.in_period("received_at"))
        .select(KIND, CID, "request_id", "kind", "closed_at", "outcome",
                ev.workdays.index_expr("received_on").alias("_received_idx"))
        .select(KIND, CID, "request_id", not_delivered_expr(ev, params.completion_days)
                .alias("_bad"))
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
                  collect=collect, assess=assess, collect_per_kind=True,
                  collect_keys=("completion_days",),
                  description=__doc__ or ""),
    )
