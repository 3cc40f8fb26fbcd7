"""Small samples: a rate from fewer than ``min_cases`` cases is completed at the peers' rate.

A rate from few cases is mostly luck: 3 of 3 on time is no better evidence
than 97 of 100. A rate that scores (满意率, a late share) from ``n`` cases,
``k`` of them counted, ``1 ≤ n < m`` (``m = min_cases``), is completed to
``m`` cases at the pooled rate ``p`` of the candidate's peer group (same kind,
same category, this period; the candidate's own cases included)::

    adjusted = (k + (m − n) · p) / m

From ``m`` cases up the rate is the candidate's own; with ``n = 0`` there is
no rate (the rule does not apply). Everything is exact (fractions of counts);
the reason shows ``k/n``, ``p`` and the adjusted rate.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from fractions import Fraction

import polars as pl

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.numbers import fmt_pct


def with_pools(facts: pl.DataFrame, ev: Evidence, columns: Sequence[str]) -> pl.DataFrame:
    """``facts`` (one row per candidate) with ``pool_<column>`` for each count column: its
    sum over the candidates of the same kind and category (the peer group)."""
    if not columns:
        return facts
    groups = ev.candidate_frame().select(KIND, CID, pl.col("category").alias("_category"))
    return (
        facts.join(groups, on=[KIND, CID], how="left")
        .with_columns(pl.col(c).sum().over([KIND, "_category"]).alias(f"pool_{c}") for c in columns)
        .drop("_category")
    )


@functools.lru_cache(maxsize=1 << 16)
def completed_rate(k: int, n: int, pool_k: int, pool_n: int, min_cases: int) -> Fraction | None:
    """The rate ``k / n`` in percent, completed to ``min_cases`` cases at the pooled rate
    ``pool_k / pool_n`` when ``n`` is below it; ``None`` when ``n`` is 0."""
    ratio = completed_ratio(k, n, pool_k, pool_n, min_cases)
    return None if ratio is None else Fraction(*ratio)


def completed_ratio(
    k: int, n: int, pool_k: int, pool_n: int, min_cases: int
) -> tuple[int, int] | None:
    """:func:`completed_rate` as the integers of the fraction (numerator, positive
    denominator), for a caller that keeps to whole numbers."""
    if n <= 0:
        return None
    if n >= min_cases:
        return 100 * k, n
    if pool_n <= 0:  # an empty pool: the candidate's own rate
        pool_k, pool_n = k, n
    # (k + (m − n) · pool_k / pool_n) / m, in percent
    return 100 * (k * pool_n + (min_cases - n) * pool_k), min_cases * pool_n


def pooled(k: int, n: int, pool_k: int, pool_n: int) -> Fraction:
    """The peer group's pooled rate in percent (the candidate's own when the pool is empty)."""
    return Fraction(100 * pool_k, pool_n) if pool_n > 0 else Fraction(100 * k, n)


@functools.lru_cache(maxsize=1 << 16)
def describe(
    k: int,
    n: int,
    pool_k: int,
    pool_n: int,
    min_cases: int,
    *,
    unit_zh: str = "件",
    pct: Callable[[Fraction], str] = fmt_pct,
) -> tuple[str, str]:
    """The working in Chinese and English: ``k/n`` and, under ``min_cases``, the peer rate
    and the adjusted rate ("3/3，不足 10 件，按同类平均 96.0% 补足：97.2%"); rates shown by
    ``pct``."""
    rate = completed_rate(k, n, pool_k, pool_n, min_cases)
    assert rate is not None  # n ≥ 1
    pool = pct(pooled(k, n, pool_k, pool_n)) if n < min_cases else ""
    return working(k, n, pool, pct(rate), min_cases, unit_zh)


def working(
    k: int, n: int, pool: str, rate: str, min_cases: int, unit_zh: str = "件"
) -> tuple[str, str]:
    """The wording of :func:`describe`, with the peer group's rate and the (adjusted) rate
    already written out (``pool`` is not shown from ``min_cases`` cases up)."""
    if n >= min_cases:
        return f"{k}/{n}（{rate}）", f"{k} of {n} ({rate})"
    return (
        f"{k}/{n}，不足 {min_cases} {unit_zh}，按同类平均 {pool} 补足：{rate}",
        f"{k} of {n}, under {min_cases}: completed to {min_cases} at the peer group's "
        f"{pool}: {rate}",
    )
