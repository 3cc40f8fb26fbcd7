"""What a share rule does with an empty denominator, and the result it then gives.

Used by the built-in share rules (ledger, supervision, summary, follow-up,
evaluation, standard): ``when_empty`` is ``"full"``, ``"zero"`` or
``"not_applicable"`` (the rule's weight is spread over the candidate's other
rules), and the reason says which applied. Not applicable is not "not yet":
the project rules (summary, evaluation) judge the projects completed in the
period; a project not completed by the period's end is not judged yet on
itself, whatever ``when_empty`` says (:func:`not_yet_result`).
"""

from __future__ import annotations

import functools
from typing import Final

import attrs
import polars as pl

from dxe_eval.evidence import KIND, Evidence
from dxe_eval.model import RuleResult
from dxe_eval.numbers import fmt_pct, fmt_points, percent, round2, share_points

WHEN_EMPTY: Final = ("full", "zero", "not_applicable")

when_empty_validator = attrs.validators.in_(WHEN_EMPTY)


def empty_result(points: float, when_empty: str, what_zh: str, what_en: str) -> RuleResult:
    """The result for a candidate with nothing to count, as ``when_empty`` says."""
    if when_empty == "full":
        return RuleResult(
            points=points,
            max=points,
            reason=f"无{what_zh}，按规则集给满分 {fmt_points(points)} 分",
            reason_en=f"no {what_en}; full points by the ruleset",
        )
    if when_empty == "zero":
        return RuleResult(
            points=0.0,
            max=points,
            reason=f"无{what_zh}，按规则集计 0 分",
            reason_en=f"no {what_en}; zero points by the ruleset",
        )
    return RuleResult(
        points=0.0,
        max=points,
        applicable=False,
        reason=f"无{what_zh}，本项不适用，分值按比例分摊到其他项目",
        reason_en=f"no {what_en}; not applicable, its weight is spread over the other rules",
    )


def share_result(
    good: int,
    whole: int,
    points: float,
    *,
    what_zh: str,
    good_zh: str,
    what_en: str,
    evidence: tuple[str, ...] = (),
) -> RuleResult:
    """Points in proportion to ``good / whole``, with the working in the reason."""
    got, reason, reason_en = share_parts(good, whole, points, what_zh, good_zh, what_en)
    return RuleResult(points=got, max=points, evidence=evidence, reason=reason, reason_en=reason_en)


@functools.lru_cache(maxsize=1 << 16)
def share_parts(
    good: int, whole: int, points: float, what_zh: str, good_zh: str, what_en: str
) -> tuple[float, str, str]:
    """Points and reasons of a share: the same counts recur across thousands of candidates."""
    got = share_points(good, whole, points)
    rate = percent(good, whole)
    return (
        min(round2(got), float(points)),
        f"{good_zh} {good} / {what_zh} {whole}（{fmt_pct(rate)}），"
        f"{fmt_points(points)} × {fmt_pct(rate)} = {fmt_points(got)} 分",
        f"{good} of {whole} {what_en} ({fmt_pct(rate)}): {fmt_points(got)} points",
    )


def completed_in_period(ev: Evidence) -> pl.Expr:
    """A project (row of ``projects``) completed in the period."""
    return (pl.col("completed_on").is_not_null() & ev.in_period("completed_on")).fill_null(False)


def not_yet_expr(ev: Evidence) -> pl.Expr:
    """A project's own row (counted for the project itself) when it is not completed by the
    period's end (no ``completed_on``, or a later one)."""
    return (pl.col(KIND) == "project") & (
        pl.col("completed_on").is_null() | (pl.col("completed_on") > ev.period_end)
    )


def not_yet_result(points: float) -> RuleResult:
    """A project not completed by the period's end: not judged yet (not applicable, its
    weight spread over its other rules), whatever ``when_empty`` says."""
    return RuleResult(
        points=0.0,
        max=points,
        applicable=False,
        reason="项目尚未完成，暂不评价，分值按比例分摊到其他项目",
        reason_en="the project is not completed by the period's end: not judged yet",
    )
