"""创新成果 — an example dxe_eval plugin: a record type, a bonus rule and a threshold.

Installed (``pip install plugins/dxe-eval-innovation``), it is found through the
``dxe_eval`` entry-point group under the name ``innovation`` and registers:

- the record type ``innovations`` (创新成果): one file ``innovations.csv`` per data
  set, with ``item_id``, ``unit_id``, ``project_id``, ``kind``, ``level``,
  ``title`` and ``recognized_on`` (the date the result was recognised);
- the bonus rule ``innovation-bonus`` (创新加分): points per result recognised in
  the period by level (national, provincial, city), capped at ``cap``;
- the threshold ``stale-capability`` (能力清单久未更新): a unit with at least
  ``min_items`` capability items published more than ``years`` years before
  the period's end gets a warning (警示).

A ruleset applies them only when it names them (see
``rulesets/hubei-2022-innovation.toml``). Like every plugin, this one only
registers objects; dxe_eval calls them inside its guards, so an error here
names the plugin ``innovation`` and the rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.plugin import (
    CID,
    KIND,
    Assessment,
    Column,
    Evidence,
    Finding,
    RecordType,
    Rule,
    RuleResult,
    Threshold,
    choice,
    exact,
    fmt_points,
    hookimpl,
    round2,
)

__version__ = "0.1.0"

LEVELS = ("national", "provincial", "city")
LEVEL_ZH = {"national": "国家级", "provincial": "省级", "city": "市级"}

INNOVATIONS = RecordType(
    name="innovations",
    label="创新成果",
    id_column="item_id",
    doc="经认定的服务创新成果（标准、专利、服务模式、典型案例等）。",
    columns=(
        Column(name="item_id", label="成果编号", required=True, example="I001"),
        Column(name="unit_id", label="单位编号", required=True, refers_to="units", example="U01"),
        Column(name="project_id", label="项目编号", refers_to="projects", example="J01"),
        Column(name="title", label="成果名称", example="小微企业质量帮扶“一企一策”工作法"),
        Column(
            name="kind",
            label="成果类型",
            type="choice",
            choices=choice(
                ("standard", ("标准",)),
                ("patent", ("专利",)),
                ("model", ("服务模式", "工作法")),
                ("case", ("典型案例", "案例")),
            ),
            example="model",
        ),
        Column(
            name="level",
            label="认定级别",
            type="choice",
            required=True,
            choices=choice(
                ("national", ("国家级", "全国")),
                ("provincial", ("省级",)),
                ("city", ("市级", "市州")),
            ),
            example="provincial",
        ),
        Column(
            name="recognized_on", label="认定日期", type="date", required=True, example="2022-09-01"
        ),
    ),
)

_ge0 = attrs.validators.ge(0)


@frozen(kw_only=True)
class InnovationBonusParams:
    """``[rules.innovation-bonus]``."""

    #: the most bonus points a candidate can get (the rule's maximum)
    cap: float = field(default=3.0, validator=_ge0)
    #: points per result recognised at national level
    national: float = field(default=2.0, validator=_ge0)
    #: points per result recognised at provincial level
    provincial: float = field(default=1.0, validator=_ge0)
    #: points per result recognised at city level
    city: float = field(default=0.5, validator=_ge0)


def collect_innovations(ev: Evidence, params: InnovationBonusParams) -> pl.DataFrame:
    rows = ev.attributed("innovations").filter(ev.in_period("recognized_on"))
    level = pl.col("level").cast(pl.String)
    return (
        rows.sort("item_id")
        .group_by([KIND, CID])
        .agg(
            *((level == lv).sum().alias(lv) for lv in LEVELS),
            pl.col("item_id").alias("item_ids"),
        )
    )


def score_innovations(facts: Mapping[str, Any], params: InnovationBonusParams) -> RuleResult:
    counts = {lv: int(facts.get(lv) or 0) for lv in LEVELS}
    ids = tuple(facts.get("item_ids") or ())
    cap = params.cap
    if not ids:
        return RuleResult(
            points=0.0,
            max=cap,
            reason="本期无认定的创新成果，不加分",
            reason_en="no innovation recognised in the period: no bonus",
        )
    total = sum((exact(getattr(params, lv)) * n for lv, n in counts.items()), Fraction(0))
    got = min(total, exact(cap))
    detail = "、".join(f"{LEVEL_ZH[lv]} {n} 项" for lv, n in counts.items() if n)
    capped = f"，超过上限 {fmt_points(cap)} 分，按上限计" if total > exact(cap) else ""
    return RuleResult(
        points=min(round2(got), float(cap)),
        max=cap,
        evidence=ids,
        reason=f"创新成果 {len(ids)} 项（{detail}），合计 {fmt_points(total)} 分{capped}，"
        f"加 {fmt_points(got)} 分",
        reason_en=f"{len(ids)} innovations recognised: bonus {fmt_points(got)} (cap {cap:g})",
    )


@frozen(kw_only=True)
class StaleCapabilityParams:
    """``[thresholds.stale-capability]``."""

    #: an item published more than this many years before the period's end is stale
    years: int = field(default=3, validator=attrs.validators.ge(1))
    #: this many stale items or more give a warning
    min_items: int = field(default=1, validator=attrs.validators.ge(1))
    #: the candidate kinds judged (only units publish capability lists)
    applies_to: tuple[str, ...] = ("unit",)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def collect_stale(ev: Evidence, params: StaleCapabilityParams) -> pl.DataFrame:
    cutoff = _years_before(ev.period_end, params.years)
    caps = ev.attributed("capabilities")
    stale = pl.col("published_on").is_not_null() & (pl.col("published_on") < cutoff)
    return caps.group_by([KIND, CID]).agg(
        stale.sum().alias("stale"),
        pl.len().alias("items"),
        pl.col("item_id").filter(stale).sort().alias("stale_ids"),
        pl.lit(cutoff).alias("cutoff"),
    )


def assess_stale(
    facts: Mapping[str, Any], params: StaleCapabilityParams, prior: tuple[Finding, ...]
) -> Assessment:
    stale = int(facts.get("stale") or 0)
    items = int(facts.get("items") or 0)
    ids = tuple(facts.get("stale_ids") or ())
    cutoff = facts.get("cutoff")
    before = f"{cutoff.isoformat()} 前" if cutoff else f"{params.years} 年前"
    if stale >= params.min_items:
        return Assessment(
            level="warning",
            value=float(stale),
            limit=float(params.min_items),
            count=stale,
            evidence=ids[:10],
            reason=f"能力清单 {items} 项中有 {stale} 项发布于 {before}，久未更新，警示",
            reason_en=f"{stale} of {items} capability items older than {params.years} years",
        )
    return Assessment(
        level=None,
        value=float(stale),
        limit=float(params.min_items),
        count=stale,
        reason=f"能力清单 {items} 项，发布于 {before}的 {stale} 项，少于 {params.min_items} 项",
        reason_en=f"{stale} stale capability items, under {params.min_items}",
    )


@hookimpl
def dxe_eval_register_record_types() -> tuple[RecordType, ...]:
    return (INNOVATIONS,)


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="innovation-bonus",
            title="创新加分",
            title_en="Innovation bonus",
            applies_to={"unit", "project"},
            params=InnovationBonusParams,
            collect=collect_innovations,
            score=score_innovations,
            bonus=True,
            collect_keys=(),
            description="每项在评价期间内认定的创新成果按级别加分（国家级、省级、市级），设上限。",
        ),
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="stale-capability",
            title="能力清单久未更新",
            title_en="Stale capability list",
            applies_to={"unit"},
            params=StaleCapabilityParams,
            collect=collect_stale,
            assess=assess_stale,
            collect_keys=("years",),
            description="能力清单中发布超过若干年的事项达到一定数量时警示。",
        ),
    )
