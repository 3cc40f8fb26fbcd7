"""The card arithmetic, in one place: base, bonus, deductions, total, and the judged share.

The engine makes every scorecard with :func:`scorecard`; the what-if fast path
(:mod:`dxe_eval.rescore`) works B's totals out in cents with :func:`totals_in_cents`,
the same sum as :func:`card_cents`; the commendation (:mod:`dxe_eval.commend`) and the
fast path read a total in cents with :func:`hundredths`, the list's minimum with
:func:`least_total`, and the share of the weight that judged a candidate with
:func:`judged_weight`, :func:`judged_reason` and :func:`least_judged`.

Exact: each rule's points are rounded half-up to cents; the base is the weighted
points' sum over their maxima times the total, half-up to cents; the total is
base + bonus − deductions, never below 0.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from fractions import Fraction

from dxe_eval.model import Assessment, Candidate, Finding, Scorecard, ScoredRule
from dxe_eval.numbers import cents, exact, fmt_pct, half_up_div, round2
from dxe_eval.ruleset import ListPolicy, Ruleset

# the same few hundred point values recur on every scorecard: convert each once
_exact = functools.lru_cache(maxsize=1 << 16)(exact)
_ZERO = exact(0)


def scorecard(
    cand: Candidate,
    rules: list[ScoredRule],
    ruleset: Ruleset,
    findings: Iterable[Finding],
    assessments: dict[str, Assessment],
) -> Scorecard:
    """A candidate's scorecard: its rules' results, and base, bonus, deductions and total
    worked out by :func:`card_numbers` (the findings' deductions from ``ruleset``)."""
    weighted: list[tuple[float, float]] = []
    bonuses: list[float] = []
    for scored in rules:  # one pass: this runs for every candidate of every run
        result = scored.result
        if scored.bonus:
            bonuses.append(result.points)
        elif result.applicable:
            weighted.append((result.points, result.max))
    deductions = ruleset.effects.deductions
    base2, bonus2, deductions2, total2 = card_numbers(
        tuple(weighted),
        tuple(bonuses),
        tuple(deductions.get(f.level, 0.0) for f in findings) if findings else (),
        ruleset.total,
    )
    return Scorecard(
        candidate=cand,
        rules=tuple(rules),
        base=base2,
        bonus=bonus2,
        deductions=deductions2,
        total=total2,
        assessments=assessments,
    )


@functools.lru_cache(maxsize=1 << 16)
def card_numbers(
    weighted: tuple[tuple[float, float], ...],
    bonuses: tuple[float, ...],
    deductions: tuple[float, ...],
    total: float,
) -> tuple[float, float, float, float]:
    """Base, bonus, deductions and total of a scorecard, exactly (many cards share them)."""
    fast = card_cents(weighted, bonuses, deductions, total)
    if fast is not None:
        return fast
    got = sum((_exact(points) for points, _ in weighted), _ZERO)
    most = sum((_exact(maximum) for _, maximum in weighted), _ZERO)
    base = got * _exact(total) / most if most else _ZERO
    bonus = sum((_exact(points) for points in bonuses), _ZERO)
    deducted = sum((_exact(d) for d in deductions), _ZERO)
    base2, bonus2, deductions2 = round2(base), round2(bonus), round2(deducted)
    whole = max(_ZERO, _exact(base2) + _exact(bonus2) - _exact(deductions2))
    return base2, bonus2, deductions2, round2(whole)


def card_cents(
    weighted: tuple[tuple[float, float], ...],
    bonuses: tuple[float, ...],
    deductions: tuple[float, ...],
    total: float,
) -> tuple[float, float, float, float] | None:
    """:func:`card_numbers` in whole cents, when every value is a whole number of cents
    (rules round their points to cents); ``None`` otherwise. The same values, exactly."""
    got = most = 0
    for points, maximum in weighted:  # one pass: a miss of the card cache runs this
        got_c, most_c = cents(points), cents(maximum)
        if got_c is None or most_c is None:
            return None
        got += got_c
        most += most_c
    bonus = sum_cents(bonuses) if bonuses else 0
    deducted = sum_cents(deductions) if deductions else 0
    if bonus is None or deducted is None:
        return None
    whole = _exact(total)
    # base = got / most × total, in cents, half-up
    base = half_up_div(got * whole.numerator * 100, most * whole.denominator) if most else 0
    return base / 100, bonus / 100, deducted / 100, max(0, base + bonus - deducted) / 100


def sum_cents(values: Iterable[float]) -> int | None:
    """The sum of ``values`` in whole cents, or ``None`` when one is not whole cents."""
    total = 0
    for value in values:
        c = cents(value)
        if c is None:
            return None
        total += c
    return total


def totals_in_cents(
    got: Sequence[int],
    most: Sequence[int],
    bonus: Sequence[int],
    deducted: Sequence[int],
    total: float,
) -> list[int]:
    """Totals in cents, position by position, from each card's weighted points (``got``),
    their maxima (``most``), bonus and deductions in cents: :func:`card_cents`'s sum for
    many cards at once (base = got / most × total half-up to cents, as
    :func:`~dxe_eval.numbers.half_up_div` for got ≥ 0)."""
    whole = exact(total)
    num, den = whole.numerator * 100, whole.denominator
    return [
        max(0, ((2 * g * num + m * den) // (2 * m * den) if m else 0) + x - d)
        for g, m, x, d in zip(got, most, bonus, deducted, strict=True)
    ]


def hundredths(x: float) -> int | Fraction:
    """``x`` rounded half-up to cents, in cents: a whole number when it is one (nearly
    always: points and totals are rounded to cents), else the exact fraction."""
    c = cents(x)
    return c if c is not None else _exact(round2(x)) * 100


def least_total(policy: ListPolicy) -> int | Fraction:
    """The list's minimum total in cents, exactly: a total whose :func:`hundredths` is below
    it makes the candidate ineligible."""
    return _exact_hundredths(policy.min_total)


def _exact_hundredths(x: float) -> int | Fraction:
    """A limit in cents, exactly (not rounded)."""
    c = cents(x)
    return c if c is not None else _exact(x) * 100


@functools.lru_cache(maxsize=256)
def limit_fraction(limit: float) -> Fraction:
    """A policy limit as the exact value its text means."""
    return Fraction(str(limit))


def judged_weight(card: Scorecard) -> tuple[int | Fraction, int | Fraction]:
    """The weight (maxima, in cents) of the card's weighted rules that judged it (applicable),
    and of all its weighted rules: those that apply to its kind."""
    judged: int | Fraction = 0
    weight: int | Fraction = 0
    in_cents = _MAX_CENTS  # a few distinct maxima, met on every card
    for scored in card.rules:
        if scored.bonus:
            continue
        result = scored.result
        most = in_cents.get(result.max)
        if most is None:
            most = in_cents[result.max] = _exact_hundredths(result.max)
        weight += most
        if result.applicable:
            judged += most
    return judged, weight


#: rules' maxima in cents, exactly (the values are a few and never change meaning)
_MAX_CENTS: dict[float, int | Fraction] = {}


@functools.lru_cache(maxsize=1 << 12)
def judged_reason(judged: int | Fraction, weight: int | Fraction, least: float) -> str | None:
    """Why too little of the weight judged the candidate: ``judged`` of ``weight`` (cents)
    under ``least`` percent; ``None`` when enough did (or ``least`` is 0)."""
    if least <= 0:
        return None
    share = Fraction(100) * judged / weight if weight else Fraction(0)
    if share >= limit_fraction(least):
        return None
    return (
        f"参与评分的规则权重 {float(judged) / 100:g}/{float(weight) / 100:g}（{fmt_pct(share)}），"
        f"低于 {least:g}% (the rules that judged it carry {fmt_pct(share)} of the weight of "
        f"the rules that apply to its kind, below {least:g}%)"
    )


def least_judged(weight: int, least: float) -> int:
    """The least weight in whole cents that, of ``weight`` cents, is ``least`` percent or
    more: a candidate whose judged weight is below it gets a :func:`judged_reason`."""
    if least <= 0:
        return 0
    if not weight:  # nothing applies: no share is enough
        return 1
    need = limit_fraction(least) * weight / 100
    return math.ceil(need)
