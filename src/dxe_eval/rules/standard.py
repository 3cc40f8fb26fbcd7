"""服务有标准 — every capability item follows a published standard or specification.

Points in proportion to the share of the unit's capability items (能力清单, any
publication date: the list is standing, not per period) whose ``standard`` is
not empty. A unit with no capability item at all gets what ``when_empty``
says; the default ruleset gives zero, since the notice requires at least one
item per unit. Evidence: the items without a standard.
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
from dxe_eval.scoring.share import empty_result, share_result, when_empty_validator


def has_standard() -> pl.Expr:
    """A capability item names a standard: ``standard`` is neither missing nor blank."""
    return pl.col("standard").str.strip_chars().fill_null("") != ""


@frozen(kw_only=True)
class StandardParams:
    """``[rules.standard]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=8.0, validator=attrs.validators.ge(0))
    #: with no capability item at all: "full", "zero" or "not_applicable"
    when_empty: str = field(default="zero", validator=when_empty_validator)


def collect(ev: Evidence, params: StandardParams) -> pl.DataFrame:
    caps = ev.attributed("capabilities")
    good = has_standard()
    return caps.group_by([KIND, CID]).agg(
        pl.len().alias("items"),
        good.sum().alias("with_standard"),
        pl.col("item_id").filter(~good).sort().alias("missing_ids"),
    )


def score(facts: Mapping[str, Any], params: StandardParams) -> RuleResult:
    n = int(facts.get("items") or 0)
    if n == 0:
        return empty_result(params.points, params.when_empty, "能力清单事项", "capability items")
    good = int(facts.get("with_standard") or 0)
    missing = tuple(facts.get("missing_ids") or ())
    return share_result(
        good,
        n,
        params.points,
        what_zh="能力清单事项",
        good_zh="有服务标准",
        what_en="capability items with a standard",
        evidence=missing,
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="standard",
            title="服务有标准",
            title_en="Services follow a standard",
            needs=("capabilities.standard",),
            applies_to={"unit"},
            params=StandardParams,
            collect=collect,
            score=score,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("items", "with_standard"),
            description=__doc__ or "",
        ),
    )
