"""Exact arithmetic for points and rates: fractions inside, half-up rounding at the edge.

Rates are computed as exact fractions of counts, so that a limit of 5 % is
reached by 1 case in 20 and not missed by float noise; points are rounded
half-up to two decimals before anything is compared or ranked.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

Number = int | float | Fraction

_CENT = Decimal("0.01")


def exact(x: Number) -> Fraction:
    """The exact value a person means by ``x`` (``0.1`` is one tenth, not its binary neighbour)."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return _from_float(x)
    return Fraction(x)


# Points, weights and limits take few distinct values across a province's candidates, and
# parsing a float's text into a fraction is the costly part: remember the answers
# (fractions are immutable, so a shared one is safe).
@lru_cache(maxsize=1 << 16)
def _from_float(x: float) -> Fraction:
    return Fraction(repr(x))


@lru_cache(maxsize=1 << 16)
def round2(x: Number) -> float:
    """Round half-up to two decimals."""
    return fraction_round2(exact(x))


def fraction_round2(f: Fraction) -> float:
    """:func:`round2` of a fraction, not remembered: for a caller that remembers its own
    results (hashing a fraction costs about as much as rounding it)."""
    d = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(_CENT, rounding=ROUND_HALF_UP)
    return float(d)


def percent(part: int, whole: int) -> Fraction:
    """``part`` of ``whole`` in percent, exactly (``whole`` must be positive)."""
    return Fraction(100 * part, whole)


def share_points(part: int, whole: int, points: Number) -> Fraction:
    """Points in proportion to a share: ``points × part / whole``."""
    return exact(points) * Fraction(part, whole)


def linear(value: Fraction, zero_at: Number, full_at: Number, points: Number) -> Fraction:
    """Zero at or below ``zero_at``, full at or above ``full_at``, a straight line between."""
    lo, hi, pts = exact(zero_at), exact(full_at), exact(points)
    if value >= hi:
        return pts
    if value <= lo:
        return Fraction(0)
    return pts * (value - lo) / (hi - lo)


@lru_cache(maxsize=1 << 16)
def fmt_pct(x: Fraction | float, digits: int = 1) -> str:
    """``Fraction(231, 10)`` → ``"23.1%"``, half-up."""
    f = exact(x)
    q = Decimal(1).scaleb(-digits)
    d = (Decimal(f.numerator) / Decimal(f.denominator)).quantize(q, rounding=ROUND_HALF_UP)
    return f"{d}%"


@lru_cache(maxsize=1 << 16)
def fmt_pct_short(x: Fraction | float) -> str:
    """A percentage with up to two decimals and no trailing zeros: ``"2.5%"``, ``"3.33%"``."""
    f = exact(x)
    return pct_short(f.numerator, f.denominator)


@lru_cache(maxsize=1 << 16)
def pct_short(num: int, den: int) -> str:
    """:func:`fmt_pct_short` of the percentage ``num / den`` (``den`` positive), from its
    integers: no fraction to make or hash."""
    d = (Decimal(num) / Decimal(den)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = str(d)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{text}%"


def fmt_points(x: Number) -> str:
    """``17.5`` → ``"17.5"``, ``20.0`` → ``"20"``."""
    return f"{round2(x):g}"


@lru_cache(maxsize=1 << 16)
def cents(x: float) -> int | None:
    """``x`` in whole hundredths when :func:`exact` means a whole number of them, else ``None``.

    Points are rounded to cents, so sums of them are exact in integers; a float
    equal to ``c / 100`` is the one a person writes as ``c / 100`` (its shortest
    repr has at most two decimals) below 10¹³, where such values are all
    distinct floats.
    """
    if isinstance(x, bool) or not isinstance(x, int | float) or abs(x) >= 1e13:
        return None
    c = round(x * 100)
    return c if c / 100 == x else None


def half_up_div(num: int, den: int) -> int:
    """``num / den`` rounded half-up to a whole number (``den`` positive)."""
    return (2 * num + den) // (2 * den) if num >= 0 else -((-2 * num + den) // (2 * den))
