"""差评率较高 — the share of 差评 among the valid ratings of the period.

差评 are the ratings 不满意 and 非常不满意 (2 and 1). A 差评
overturned on appeal (``appeal_upheld``) is removed from both the 差评 and the
valid ratings. Surveys answered in the period count. Bands on the rate
(percent), strict ``>``, with ``min_cases`` valid ratings at least.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from attrs import frozen

from dxe_eval.evidence import Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Assessment, Finding, Threshold
from dxe_eval.scoring.bands import RateBands, rate_assessment


@frozen(kw_only=True)
class BadReviewRateParams(RateBands):
    """``[thresholds.bad-review-rate]``: bands on the 差评率 (percent of valid ratings)."""

    warning: float | None = 2.0
    rectify: float | None = 5.0
    criticize: float | None = 10.0


def facts(ev: Evidence, params: BadReviewRateParams) -> FactSpec:
    """The survey responses answered in the period: valid ones, and valid bad ones."""
    valid = ~pl.col("overturned")
    bad = pl.col("bad") & valid
    return FactSpec(
        record_type="surveys",
        where=ev.in_period("answered_on"),
        counts={"cases": valid, "bad": bad},
        ids={"bad_ids": ("response_id", bad)},
    )


def collect(ev: Evidence, params: BadReviewRateParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def assess(
    facts: Mapping[str, Any], params: BadReviewRateParams, prior: tuple[Finding, ...]
) -> Assessment:
    return rate_assessment(
        int(facts.get("bad") or 0),
        int(facts.get("cases") or 0),
        tuple(facts.get("bad_ids") or ()),
        params,
        label_zh="差评率",
        label_en="bad-review rate",
        cases_zh="有效评价",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="bad-review-rate",
            title="差评率较高",
            title_en="High bad-review rate",
            applies_to={"unit", "person", "project"},
            params=BadReviewRateParams,
            collect=collect,
            facts=facts,
            assess=assess,
            collect_per_kind=True,
            collect_keys=(),
            description=__doc__ or "",
        ),
    )
