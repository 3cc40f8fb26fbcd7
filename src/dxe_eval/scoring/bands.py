"""Banded thresholds: limits for 警示, 责令改正 and 通报批评, a minimum of cases, a rate.

A candidate gets the highest band its value exceeds; comparison is strict, so
a value equal to a limit does not reach that band. Bands must increase
strictly (the ruleset check names the table otherwise). Under ``min_cases``
there is no finding, and the assessment keeps the reason for not judging.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import attrs
from attrs import field, frozen

from dxe_eval.model import LEVEL_ZH, LEVELS, Assessment
from dxe_eval.numbers import exact, fmt_pct, percent


def _optional_percent(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"'{attribute.name}' must be a percentage from 0 to 100, got {value}")


def kinds_validator(_: object, attribute: attrs.Attribute[Any], value: tuple[str, ...]) -> None:
    bad = [k for k in value if k not in ("unit", "person", "project")]
    if bad:
        raise ValueError(f"'{attribute.name}' has unknown kind(s) {bad}; use unit, person, project")


@frozen(kw_only=True)
class RateBands:
    """Limits in percent for each level (``None``: the level is not used) and ``min_cases``."""

    #: above this rate (percent): 警示
    warning: float | None = field(default=None, validator=_optional_percent)
    #: above this rate (percent): 责令改正
    rectify: float | None = field(default=None, validator=_optional_percent)
    #: above this rate (percent): 通报批评
    criticize: float | None = field(default=None, validator=_optional_percent)
    #: fewer cases than this in the period and there is no finding
    min_cases: int = field(default=10, validator=attrs.validators.ge(0))
    #: the candidate kinds judged: any of "unit", "person", "project"
    applies_to: tuple[str, ...] = field(default=("unit",), validator=kinds_validator)


def shown_rate(rate: Fraction, limits: list[float]) -> str:
    """A rate with one decimal, or more where one decimal would look equal to a limit."""
    for digits in (1, 2, 3):
        text = fmt_pct(rate, digits)
        if rate in (exact(x) for x in limits) or all(
            Fraction(text[:-1]) != exact(x) for x in limits
        ):
            return text
    return text


def band(value: Fraction, bands: RateBands) -> tuple[str, float] | None:
    """The highest level whose limit ``value`` strictly exceeds, with that limit."""
    found = None
    for level in LEVELS:
        limit = getattr(bands, level)
        if limit is not None and value > exact(limit):
            found = (level, float(limit))
    return found


def rate_assessment(
    bad: int,
    cases: int,
    bad_ids: tuple[str, ...],
    bands: RateBands,
    *,
    label_zh: str,
    label_en: str,
    cases_zh: str,
    detail_zh: str = "",
    detail_en: str = "",
) -> Assessment:
    """Judge a rate ``bad / cases`` against the bands; ``detail_zh`` / ``detail_en`` (what
    the bad cases are) end the reason of a judged rate."""
    if cases < bands.min_cases or cases == 0:
        return Assessment(
            level=None,
            value=float(percent(bad, cases)) if cases else None,
            limit=None,
            judged=False,
            count=bad,
            evidence=bad_ids[:10],
            reason=f"{cases_zh} {cases} 件，少于 {bands.min_cases} 件，不作判定",
            reason_en=f"{cases} cases, under min_cases {bands.min_cases}; not judged",
        )
    rate = percent(bad, cases)
    hit = band(rate, bands)
    value = float(rate)
    limits = [float(getattr(bands, lv)) for lv in LEVELS if getattr(bands, lv) is not None]
    pct = shown_rate(rate, limits)
    shown = f"{label_zh} {pct}（{bad}/{cases}）"
    if hit is None:
        below = f"，未超过 {min(limits):g}%" if limits else ""
        return Assessment(
            level=None,
            value=value,
            limit=None,
            count=bad,
            evidence=bad_ids[:10],
            reason=f"{shown}{below}{detail_zh}",
            reason_en=f"{label_en} {pct}: below every limit{detail_en}",
        )
    level, limit = hit
    return Assessment(
        level=level,
        value=value,
        limit=limit,
        count=bad,
        evidence=bad_ids[:10],
        reason=f"{label_zh} {pct}（> {limit:g}%），{LEVEL_ZH[level]}{detail_zh}",
        reason_en=f"{label_en} {pct} (> {limit:g}%): {level}{detail_en}",
    )
