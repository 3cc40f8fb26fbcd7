"""响应不及时 — the share of requests answered late, as the ``timeliness`` rule defines late.

``days`` (working days after receipt within which the first response must come)
is the ``timeliness`` rule's ``days`` unless this table sets its own: the ruleset
loader fills it in (``INHERITS``), from the rule's table, or the rule's default
when the rule is not enabled. ``dxe-eval check`` warns when both tables set it to
different values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import EVERY_ROW, Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Assessment, Finding, Threshold
from dxe_eval.scoring.bands import RateBands, rate_assessment
from dxe_eval.service import DEFAULT_RESPONSE_DAYS, RECEIVED_IN_PERIOD, late_expr


@frozen(kw_only=True)
class LateResponseParams(RateBands):
    """``[thresholds.late-response]``: bands on the late-response rate (percent)."""

    #: parameters left out (``None``) that take a rule's: name → (rule id, its parameter)
    INHERITS: ClassVar[Mapping[str, tuple[str, str]]] = {"days": ("timeliness", "days")}

    warning: float | None = 5.0
    rectify: float | None = 10.0
    criticize: float | None = 20.0
    #: working days after receipt within which the first response must come (left out:
    #: the timeliness rule's days)
    days: int | None = field(
        default=None, validator=attrs.validators.optional(attrs.validators.ge(0))
    )


def response_days(params: LateResponseParams) -> int:
    """``days``, or (params made outside a ruleset, not filled in) the timeliness rule's
    default."""
    if params.days is not None:
        return params.days
    return DEFAULT_RESPONSE_DAYS


def facts(ev: Evidence, params: LateResponseParams) -> FactSpec:
    """The requests received in the period, and those answered late."""
    late = late_expr(response_days(params))
    return FactSpec(
        record_type="requests",
        where=pl.col(RECEIVED_IN_PERIOD),
        counts={"cases": EVERY_ROW, "bad": late},
        ids={"bad_ids": ("request_id", late)},
    )


def collect(ev: Evidence, params: LateResponseParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def assess(
    facts: Mapping[str, Any], params: LateResponseParams, prior: tuple[Finding, ...]
) -> Assessment:
    return rate_assessment(
        int(facts.get("bad") or 0),
        int(facts.get("cases") or 0),
        tuple(facts.get("bad_ids") or ()),
        params,
        label_zh="响应超时率",
        label_en="late-response rate",
        cases_zh="服务需求",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="late-response",
            title="响应不及时",
            title_en="Late response",
            needs=("requests.responded_at",),
            applies_to={"unit", "person", "project"},
            params=LateResponseParams,
            collect=collect,
            facts=facts,
            assess=assess,
            collect_per_kind=True,
            collect_keys=("days",),
            description=__doc__ or "",
        ),
    )
