"""满意度 — satisfaction of the served enterprises (好差评 five levels).

满意率 = (非常满意 + 满意 + 基本满意) / valid ratings; a 差评 overturned on appeal
is not counted at all. From fewer than ``min_cases`` valid ratings (but at
least one) the rate is completed to ``min_cases`` ratings at the pooled 满意率
of the candidate's peer group (same kind, same category, this period; see
:mod:`dxe_eval.scoring.small_sample`), and the reason says so. Full points at
``full_at`` percent or more, zero at ``zero_at`` or less, linear between. With
no valid rating the rule does not apply (its weight is spread over the
candidate's other rules). Thresholds and the commendation read the raw rate.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.numbers import fmt_pct, fmt_points, linear, round2
from dxe_eval.schema import RATING_ZH
from dxe_eval.scoring.small_sample import completed_rate, describe, with_pools

_SMALL = (
    "replaced by min_cases: under min_cases valid ratings the 满意率 is completed at the "
    "peer group's rate 由 min_cases 取代：有效评价不足 min_cases 条时按同类平均满意率补足"
)


@frozen(kw_only=True, cache_hash=True)
class SatisfactionParams:
    """``[rules.satisfaction]``."""

    REMOVED_KEYS: ClassVar[Mapping[str, str]] = {"min_responses": _SMALL, "fallback": _SMALL}

    #: maximum points (the rule's weight)
    points: float = field(default=30.0, validator=attrs.validators.ge(0))
    #: 满意率 (percent) at or above which the points are full
    full_at: float = field(
        default=98.0, validator=[attrs.validators.ge(0), attrs.validators.le(100)]
    )
    #: 满意率 (percent) at or below which the points are zero
    zero_at: float = field(
        default=90.0, validator=[attrs.validators.ge(0), attrs.validators.le(100)]
    )
    #: fewer valid ratings than this (but at least one): the 满意率 is completed to this
    #: many at the peer group's pooled 满意率
    min_cases: int = field(default=10, validator=attrs.validators.ge(0))

    def __attrs_post_init__(self) -> None:
        if not self.zero_at < self.full_at:
            raise ValueError(f"'zero_at' ({self.zero_at}) must be below 'full_at' ({self.full_at})")


def facts(ev: Evidence, params: SatisfactionParams) -> FactSpec:
    """The survey responses answered in the period: valid, overturned, by rating."""
    valid = ~pl.col("overturned")
    return FactSpec(
        record_type="surveys",
        where=ev.in_period("answered_on"),
        counts={
            "valid": valid,
            "overturned": pl.col("overturned"),
            **{f"r{r}": valid & (pl.col("rating") == r) for r in range(1, 6)},
            # r3 + r4 + r5: with ``valid`` and the pools, all the points depend on
            "satisfied": valid & (pl.col("rating") >= 3),
        },
        ids={"bad_ids": ("response_id", valid & pl.col("bad"))},
        finish=lambda frame: with_pools(frame, ev, ("valid", "satisfied")),
    )


def collect(ev: Evidence, params: SatisfactionParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def score(facts: Mapping[str, Any], params: SatisfactionParams) -> RuleResult:
    get = facts.get
    counts = (
        int(get("r1") or 0),
        int(get("r2") or 0),
        int(get("r3") or 0),
        int(get("r4") or 0),
        int(get("r5") or 0),
    )
    valid = int(get("valid") or 0)
    small = valid < params.min_cases  # the pool matters only then: else one key per counts
    points, applicable, reason, reason_en = _parts(
        valid,
        counts,
        int(get("overturned") or 0),
        int(get("pool_valid") or 0) if small else 0,
        int(get("pool_satisfied") or 0) if small else 0,
        params,
    )
    return RuleResult(
        points=points,
        max=params.points,
        applicable=applicable,
        evidence=facts.get("bad_ids") or (),
        reason=reason,
        reason_en=reason_en,
    )


@functools.lru_cache(maxsize=1 << 16)
def _parts(
    valid: int,
    counts: tuple[int, ...],
    overturned: int,
    pool_valid: int,
    pool_satisfied: int,
    params: SatisfactionParams,
) -> tuple[float, bool, str, str]:
    """Points, applicability and reasons for the rating counts ``counts`` (levels 1…5):
    the same counts recur across thousands of candidates."""
    by_level = dict(zip(range(1, 6), counts, strict=True))
    satisfied = by_level[5] + by_level[4] + by_level[3]
    detail = "、".join(f"{RATING_ZH[r]} {by_level[r]}" for r in (5, 4, 3, 2, 1))
    appeal = f"；申诉撤销差评 {overturned} 条不计" if overturned else ""
    pts = params.points
    rate = completed_rate(satisfied, valid, pool_satisfied, pool_valid, params.min_cases)
    if rate is None:
        return (
            0.0,
            False,
            f"无有效评价{appeal}，本项不适用，分值按比例分摊到其他项目",
            "no valid rating; not applicable, its weight is spread over the other rules",
        )
    got = linear(rate, params.zero_at, params.full_at, pts)
    if valid >= params.min_cases:
        shown = f"满意率 {fmt_pct(rate)}"
        shown_en = f"satisfaction {fmt_pct(rate)} ({satisfied} of {valid} valid ratings)"
    else:
        zh, en = describe(
            satisfied, valid, pool_satisfied, pool_valid, params.min_cases, unit_zh="条"
        )
        shown, shown_en = f"满意 {zh}", f"satisfied {en}"
    return (
        min(round2(got), float(pts)),
        True,
        f"{shown}（{detail} / 有效评价 {valid}{appeal}）；"
        f"≥ {params.full_at:g}% 满分、≤ {params.zero_at:g}% 为 0，得 {fmt_points(got)} 分",
        f"{shown_en}: {fmt_points(got)} points",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="satisfaction",
            title="满意度",
            title_en="Satisfaction",
            applies_to={"unit", "person", "project"},
            params=SatisfactionParams,
            collect=collect,
            facts=facts,
            score=score,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("valid", "satisfied", "pool_valid", "pool_satisfied"),
            description=__doc__ or "",
        ),
    )
