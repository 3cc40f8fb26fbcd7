"""媒体宣传加分 — bonus for media items published in the period, by tier, capped.

Each item published in the period gives the points of its tier (``national``,
``provincial``, ``industry``, ``city``). The same story reported several
times counts once, at its highest tier: items are the same story when they
share a non-empty ``url``, else a non-empty ``title``; an item with neither
is a story of its own. A unit's bonus includes its projects' items. The sum
is capped at ``cap``, which is also the rule's maximum. Evidence: the items
that earned points.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.numbers import exact, fmt_points, round2

TIERS = ("national", "provincial", "industry", "city")
TIER_ZH = {"national": "国家级", "provincial": "省级", "industry": "行业", "city": "市级"}

_ge0 = attrs.validators.ge(0.0)


@frozen(kw_only=True)
class MediaBonusParams:
    """``[rules.media-bonus]``."""

    #: the most bonus points a candidate can get (the rule's maximum)
    cap: float = field(default=5.0, validator=_ge0)
    #: points per story in national media (central media, 中国市场监管报)
    national: float = field(default=3.0, validator=_ge0)
    #: points per story in provincial main media (湖北日报, 湖北广播电视台/长江云)
    provincial: float = field(default=1.5, validator=_ge0)
    #: points per story in the sector's media (0: the notice names national and
    #: provincial media only)
    industry: float = field(default=0.0, validator=_ge0)
    #: points per story in city media
    city: float = field(default=0.0, validator=_ge0)

    def value(self, tier: str) -> float:
        return float(getattr(self, tier)) if tier in TIERS else 0.0


def story_expr() -> pl.Expr:
    """The story an item reports: its url, else its title, else the item itself."""
    url = pl.col("url").str.strip_chars().fill_null("")
    title = pl.col("title").str.strip_chars().fill_null("")
    return (
        pl.when(url != "")
        .then(pl.lit("url:") + url)
        .when(title != "")
        .then(pl.lit("title:") + title)
        .otherwise(pl.lit("id:") + pl.col("item_id"))
    )


def collect(ev: Evidence, params: MediaBonusParams) -> pl.DataFrame:
    values = {t: params.value(t) for t in TIERS}
    media = (
        ev.attributed("media")
        .filter(ev.in_period("published_on"))
        .with_columns(
            story_expr().alias("_story"),
            pl.col("tier")
            .cast(pl.String)
            .replace_strict(values, default=0.0, return_dtype=pl.Float64)
            .alias("_value"),
        )
    )
    # the best item of each story: highest value, then the smallest id
    stories = (
        media.sort(["_value", "item_id"], descending=[True, False])
        .group_by([KIND, CID, "_story"], maintain_order=True)
        .agg(
            pl.col("item_id").first().alias("_id"),
            pl.col("tier").cast(pl.String).first().alias("_tier"),
            pl.col("_value").first().alias("_value"),
            pl.col("item_id").slice(1).alias("_dups"),
        )
    )
    return (
        stories.sort("_id")
        .group_by([KIND, CID])
        .agg(
            pl.col("_id").alias("counted_ids"),
            pl.col("_tier").alias("counted_tiers"),
            pl.col("_value").alias("counted_values"),
            pl.col("_dups")
            .list.explode(keep_nulls=False, empty_as_null=False)
            .sort()
            .alias("duplicate_ids"),
        )
    )


def score(facts: Mapping[str, Any], params: MediaBonusParams) -> RuleResult:
    cap = params.cap
    ids = list(facts.get("counted_ids") or ())
    tiers = list(facts.get("counted_tiers") or ())
    values = list(facts.get("counted_values") or ())
    dups = tuple(facts.get("duplicate_ids") or ())
    if not ids:
        return RuleResult(
            points=0.0,
            max=cap,
            reason="本期无媒体宣传报道，不加分",
            reason_en="no media item published in the period: no bonus",
        )
    total = sum((exact(v) for v in values), Fraction(0))
    got = min(total, exact(cap))
    items = "、".join(
        f"{i}（{TIER_ZH.get(t, t)} {fmt_points(v)} 分）"
        for i, t, v in zip(ids, tiers, values, strict=True)
    )
    dup_zh = f"；同一报道按最高级别计一次，{'、'.join(dups)} 不重复计" if dups else ""
    dup_en = f"; {len(dups)} repeat(s) of the same story not counted again" if dups else ""
    capped = total > exact(cap)
    cap_zh = (
        f"合计 {fmt_points(total)} 分，超过上限 {fmt_points(cap)} 分，按上限计"
        if capped
        else f"合计 {fmt_points(total)} 分（上限 {fmt_points(cap)} 分）"
    )
    cap_en = (
        f"{fmt_points(total)} points, capped at {fmt_points(cap)}"
        if capped
        else f"{fmt_points(total)} points (cap {fmt_points(cap)})"
    )
    earned = tuple(sorted(i for i, v in zip(ids, values, strict=True) if v > 0))
    return RuleResult(
        points=min(round2(got), float(cap)),
        max=cap,
        evidence=earned,
        reason=f"计入报道 {len(ids)} 篇：{items}{dup_zh}；{cap_zh}，加 {fmt_points(got)} 分",
        reason_en=f"{len(ids)} media stories counted{dup_en}: {cap_en}; bonus {fmt_points(got)}",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="media-bonus",
            title="媒体宣传加分",
            title_en="Media bonus",
            applies_to={"unit", "project"},
            params=MediaBonusParams,
            collect=collect,
            score=score,
            bonus=True,
            collect_per_kind=True,
            collect_keys=TIERS,
            description=__doc__ or "",
        ),
    )
