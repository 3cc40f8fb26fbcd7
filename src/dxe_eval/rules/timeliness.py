"""时效 — response timeliness, counted in Chinese working days.

A request received in the period is late when its first response comes after
the end of the ``days``-th working day after receipt (the day of receipt is
not counted; holidays are skipped, 调休 make-up days count), or when no
response is recorded. Points: ``points`` minus ``per_point`` for each
percentage point of late requests, floor 0. ``completion_days`` is not read
by this rule nor by any threshold: the ``not-delivered`` threshold takes its
completion limits from its own ``completion_days``. It is kept so that
rulesets that set it still load, and is checked like that one.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import Evidence, per_candidate
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.numbers import exact, fmt_pct_short, fmt_points, percent, round2
from dxe_eval.rules.share import empty_result, when_empty_validator
from dxe_eval.thresholds.not_delivered import completion_days_valid

DEFAULT_COMPLETION = {"咨询": 3, "求助": 7, "建议": 7, "投诉": 15, "举报": 15, "服务": 15}


def late_expr(days: int) -> pl.Expr:
    """A request is late: no response recorded, or more than ``days`` working days taken."""
    return pl.col("response_wd").is_null() | (pl.col("response_wd") > days)


@frozen(kw_only=True)
class TimelinessParams:
    """``[rules.timeliness]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=20.0, validator=attrs.validators.ge(0))
    #: working days after receipt within which the first response must come
    days: int = field(default=2, validator=attrs.validators.ge(0))
    #: points taken off per percentage point of late requests
    per_point: float = field(default=1.0, validator=attrs.validators.ge(0))
    #: not read: set the completion limits in [thresholds.not-delivered] completion_days
    completion_days: dict[str, int] = field(factory=lambda: dict(DEFAULT_COMPLETION),
                                            validator=completion_days_valid)
    #: with no request at all: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def collect(ev: Evidence, params: TimelinessParams) -> pl.DataFrame:
    req = ev.attributed_lazy("requests").filter(ev.in_period("received_at"))
    late = late_expr(params.days)
    return per_candidate(
        req, [pl.len().alias("requests"), late.sum().alias("late")],
        {"late_ids": ("request_id", late)},
    )


def score(facts: Mapping[str, Any], params: TimelinessParams) -> RuleResult:
    n = int(facts.get("requests") or 0)
    if n == 0:
        return empty_result(params.points, params.when_empty, "服务需求", "requests")
    late = int(facts.get("late") or 0)
    late_ids = tuple(facts.get("late_ids") or ())
    got, reason, reason_en = _parts(late, n, params.points, params.per_point, params.days)
    return RuleResult(points=got, max=params.points, evidence=late_ids, reason=reason,
                      reason_en=reason_en)


@functools.lru_cache(maxsize=1 << 16)
def _parts(late: int, n: int, points: float, per_point: float, days: int
           ) -> tuple[float, str, str]:
    """Points and reasons for ``late`` of ``n``: the same counts recur across candidates."""
    rate = percent(late, n)
    got = max(exact(0), exact(points) - rate * exact(per_point))
    per = "" if per_point == 1 else f" × {per_point:g}"
    return (
        min(round2(got), float(points)),
        f"超时 {late} 件 / 服务需求 {n} 件（{fmt_pct_short(rate)}），"
        f"{fmt_points(points)} − {fmt_points(rate)}{per} = {fmt_points(got)} 分；"
        f"时限：接收次日起 {days} 个工作日内首次响应",
        f"{late} of {n} requests answered late (more than {days} working days "
        f"or not at all): {fmt_points(got)} points",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(id="timeliness", title="时效", title_en="Timeliness",
             needs=("requests.responded_at",),
             applies_to={"unit", "person", "project"}, params=TimelinessParams,
             collect=collect, score=score, collect_per_kind=True, collect_keys=("days",),
             points_from=("requests", "late"), description=__doc__ or ""),
    )
