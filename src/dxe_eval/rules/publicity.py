"""媒体有宣传 — the unit's work is publicised in the media during the period.

Full points when at least one media item published in the period counts for
the unit (its own items and those of its projects), zero otherwise. Evidence:
the media items that earned the points.
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
from dxe_eval.numbers import fmt_points


@frozen(kw_only=True)
class PublicityParams:
    """``[rules.publicity]``."""

    #: maximum points (the rule's weight), given in full for any media item in the period
    points: float = field(default=5.0, validator=attrs.validators.ge(0))


def collect(ev: Evidence, params: PublicityParams) -> pl.DataFrame:
    media = ev.attributed("media").filter(ev.in_period("published_on"))
    return media.group_by([KIND, CID]).agg(
        pl.len().alias("items"),
        pl.col("item_id").unique().sort().alias("item_ids"),
    )


def score(facts: Mapping[str, Any], params: PublicityParams) -> RuleResult:
    n = int(facts.get("items") or 0)
    pts = params.points
    if n == 0:
        return RuleResult(
            points=0.0,
            max=pts,
            reason="本期无媒体宣传报道，计 0 分",
            reason_en="no media item published in the period: 0 points",
        )
    ids = tuple(facts.get("item_ids") or ())
    shown = "、".join(ids[:5]) + ("等" if len(ids) > 5 else "")
    return RuleResult(
        points=pts,
        max=pts,
        evidence=ids,
        reason=f"本期媒体宣传报道 {n} 篇（{shown}），得满分 {fmt_points(pts)} 分",
        reason_en=f"{n} media item(s) published in the period: full {fmt_points(pts)} points",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="publicity",
            title="媒体有宣传",
            title_en="Work is publicised in the media",
            applies_to={"unit"},
            params=PublicityParams,
            collect=collect,
            score=score,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("items",),
            description=__doc__ or "",
        ),
    )
