"""时效 — timeliness in two parts: the first response, and completion within the limit.

Counted: the requests received in the period, in working days (the day of
receipt is not counted; holidays are skipped, 调休 make-up days count).

- **Response**: a request is late when its first response comes after the end
  of the ``days``-th working day after receipt, or no response is recorded.
- **Completion**: a request is late when it was closed more working days after
  receipt than its kind's limit (the ruleset's ``[limits] completion_days``),
  or is still open and that limit has passed at the period's end. A withdrawn
  request is not judged; an open one still within its limit is not judged yet
  (the reason counts it). The index stage marks each request.

Each part scores full at 0 % late and zero at ``zero_at`` percent late or
more, linear between, on its late share; a share from fewer than
``min_cases`` requests is completed to ``min_cases`` at the peer group's
pooled share (:mod:`dxe_eval.scoring.small_sample`). The parts weigh
``weights`` (response 0.7, completion 0.3) of ``points``; each part's points
are rounded half-up to cents and added. A part with no judged request gives
its weight to the other; with none in either, ``when_empty`` applies.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, ClassVar

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import EVERY_ROW, Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.numbers import exact, fmt_points, half_up_div, pct_short
from dxe_eval.scoring.share import empty_result, when_empty_validator
from dxe_eval.scoring.small_sample import completed_ratio, with_pools, working
from dxe_eval.service import DEFAULT_RESPONSE_DAYS, RECEIVED_IN_PERIOD, late_expr

PARTS = ("response", "completion")
DEFAULT_WEIGHTS = {"response": 0.7, "completion": 0.3}


def _weights_valid(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, float]) -> None:
    if set(value) != set(PARTS):
        raise ValueError(
            f"'{attribute.name}' must weigh exactly {list(PARTS)}, got {sorted(value)}"
        )
    if any(isinstance(w, bool) or not isinstance(w, int | float) or w < 0 for w in value.values()):
        raise ValueError(f"'{attribute.name}' must be numbers from 0, got {dict(value)}")
    if sum((exact(w) for w in value.values()), Fraction(0)) != 1:
        raise ValueError(
            f"'{attribute.name}' must add up to 1, got "
            f"{' + '.join(f'{value[p]:g}' for p in PARTS)}（两部分权重之和应为 1）"
        )


@frozen(kw_only=True)
class TimelinessParams:
    """``[rules.timeliness]``."""

    REMOVED_KEYS: ClassVar[Mapping[str, str]] = {
        "per_point": "replaced by zero_at: each part is zero at zero_at percent late, so "
        "the deduction scales with points 由 zero_at 取代：超时占比达到 zero_at 时该部分为 0",
        "completion_days": "the completion limits are declared once, in [limits] "
        "completion_days 办结时限改在 [limits] completion_days 中统一设定",
    }

    #: maximum points (the rule's weight)
    points: float = field(default=20.0, validator=attrs.validators.ge(0))
    #: working days after receipt within which the first response must come
    days: int = field(default=DEFAULT_RESPONSE_DAYS, validator=attrs.validators.ge(0))
    #: percent late at or above which a part scores 0 (full at 0 %, linear between)
    zero_at: float = field(
        default=20.0, validator=[attrs.validators.gt(0), attrs.validators.le(100)]
    )
    #: the parts' shares of the points: response and completion, adding up to 1
    weights: dict[str, float] = field(
        factory=lambda: dict(DEFAULT_WEIGHTS), validator=_weights_valid
    )
    #: fewer requests than this in a part (but at least one): its late share is
    #: completed to this many at the peer group's pooled share
    min_cases: int = field(default=10, validator=attrs.validators.ge(0))
    #: with no request at all: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


_COUNTS = ("requests", "late", "judged", "overdue")


def facts(ev: Evidence, params: TimelinessParams) -> FactSpec:
    """The counts and evidence of both parts over the requests received in the period."""
    late = late_expr(params.days)
    judged, overdue = pl.col("completion_judged"), pl.col("completion_late")
    withdrawn = (pl.col("outcome") == "withdrawn").fill_null(False)
    return FactSpec(
        record_type="requests",
        where=pl.col(RECEIVED_IN_PERIOD),
        counts={
            "requests": EVERY_ROW,
            "late": late,
            "judged": judged,
            "overdue": overdue,
            "pending": ~judged & ~withdrawn,
            "withdrawn": withdrawn,
        },
        # the evidence of both parts in one list: late to answer, or past the limit
        ids={"evidence_ids": ("request_id", late | overdue)},
        finish=lambda frame: with_pools(frame, ev, _COUNTS),
    )


def collect(ev: Evidence, params: TimelinessParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def score(facts: Mapping[str, Any], params: TimelinessParams) -> RuleResult:
    get = facts.get
    n = int(get("requests") or 0)
    if n == 0:
        return empty_result(params.points, params.when_empty, "服务需求", "requests")
    small = params.min_cases
    n_r, k_r, n_c, k_c = n, get("late") or 0, get("judged") or 0, get("overdue") or 0
    # a part's pool matters only under min_cases: left out otherwise, candidates with the
    # same counts share one working (the reasons are the costly part)
    response = (k_r, n_r, 0, 0)
    if n_r < small:
        response = (k_r, n_r, get("pool_late") or 0, get("pool_requests") or 0)
    completion = None  # no request judged on completion
    if n_c:
        completion = (k_c, n_c, 0, 0)
        if n_c < small:
            completion = (k_c, n_c, get("pool_overdue") or 0, get("pool_judged") or 0)
    got, reason, reason_en = _parts(
        response,
        completion,
        float(params.points),
        params.days,
        float(params.zero_at),
        float(params.weights["response"]),
        float(params.weights["completion"]),
        small,
    )
    pending, withdrawn = get("pending") or 0, get("withdrawn") or 0
    if pending:
        reason += f"；另有 {pending} 件未办结、未到办结时限，暂不评价办结"
        reason_en += f"; {pending} open request(s) within the limit not judged yet"
    if withdrawn:
        reason += f"；撤回 {withdrawn} 件不评价办结"
        reason_en += f"; {withdrawn} withdrawn request(s) not judged on completion"
    return RuleResult(
        points=got,
        max=params.points,
        evidence=get("evidence_ids") or (),
        reason=reason,
        reason_en=reason_en,
    )


@functools.lru_cache(maxsize=1 << 16)
def _part(
    label: str,
    label_en: str,
    k: int,
    n: int,
    pool_k: int,
    pool_n: int,
    points: float,
    weight: float,
    zero_at: float,
    min_cases: int,
    late_zh: str,
) -> tuple[float, str, str]:
    """One part's points (its maximum ``points × weight``, rounded half-up to cents) and
    its working, exactly and in whole numbers: thousands of distinct counts meet here,
    and fractions cost as much to hash as to work with."""
    ratio = completed_ratio(k, n, pool_k, pool_n, min_cases)
    assert ratio is not None  # n ≥ 1
    share_num, share_den = ratio  # the late share, in percent
    most = _most(points, weight)
    shown = fmt_points(float(most))  # a weight of tenths: most has at most 3 decimals
    zero = exact(zero_at)
    # the part kept: 1 − share / zero_at, at least 0
    kept_num = share_den * zero.numerator - share_num * zero.denominator
    kept_den = share_den * zero.numerator
    share = pct_short(share_num, share_den)
    if kept_num <= 0:
        got = 0.0
        reckoning = f"≥ {zero_at:g}%，得 0"
    else:
        got = half_up_div(100 * most.numerator * kept_num, most.denominator * kept_den) / 100
        reckoning = f"{shown} × (1 − {share} ÷ {zero_at:g}%) = {fmt_points(got)}"
    pool = ""  # shown only under min_cases (an empty pool: the candidate's own rate)
    if n < min_cases:
        pool = pct_short(100 * pool_k, pool_n) if pool_n > 0 else pct_short(100 * k, n)
    zh, en = working(k, n, pool, share, min_cases)
    return (
        got,
        f"{label}（{shown} 分）：{late_zh} {zh}，{reckoning}",
        f"{label_en} ({shown}): late {en}: {fmt_points(got)}",
    )


@functools.lru_cache(maxsize=256)
def _most(points: float, weight: float) -> Fraction:
    """A part's maximum: ``points × weight``, exactly."""
    return exact(points) * exact(weight)


@functools.lru_cache(maxsize=1 << 16)
def _parts(
    response: tuple[int, int, int, int],
    completion: tuple[int, int, int, int] | None,
    points: float,
    days: int,
    zero_at: float,
    w_response: float,
    w_completion: float,
    min_cases: int,
) -> tuple[float, str, str]:
    """Points and reasons for the parts' counts ``(k, n, pool k, pool n)`` (``completion``
    ``None`` when no request is judged on it): the same counts recur across candidates."""
    # with nothing judged on completion, the response part weighs it all
    w_r = 1.0 if completion is None else w_response
    got_r, zh_r, en_r = _part(
        "响应", "response", *response, points, w_r, zero_at, min_cases, "超时"
    )
    if completion is None:
        total = got_r
        zh_c = "办结：没有已办结或已过办结时限的需求，权重并入响应"
        en_c = "completion: no request judged, its weight goes to the response part"
    else:
        got_c, zh_c, en_c = _part(
            "办结", "completion", *completion, points, w_completion, zero_at, min_cases, "超期"
        )
        # each part is whole cents: their sum in cents is exact
        total = (round(got_r * 100) + round(got_c * 100)) / 100
    got = min(total, points)
    return (
        got,
        f"{zh_r}；{zh_c}；合计 {fmt_points(got)} 分"
        f"；时限：接收次日起 {days} 个工作日内首次响应，办结按需求类型的时限（[limits]）",
        f"{en_r}; {en_c}; {fmt_points(got)} points",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="timeliness",
            title="时效",
            title_en="Timeliness",
            needs=(
                "requests.responded_at",
                "requests.closed_at",
                "requests.outcome",
                "requests.kind",
            ),
            applies_to={"unit", "person", "project"},
            params=TimelinessParams,
            collect=collect,
            facts=facts,
            score=score,
            collect_per_kind=True,
            collect_keys=("days",),
            points_from=(*_COUNTS, *(f"pool_{c}" for c in _COUNTS)),
            description=__doc__ or "",
        ),
    )
