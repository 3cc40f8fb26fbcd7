"""连续两次责令改正 → 通报批评.

Runs after the other thresholds (stage 1). A candidate that gets a 责令改正
(``rectify``) finding in this period is publicly criticised when its most
recent sanction before the period was also a 责令改正, dated within
``lookback_months`` (default 12) before the period's start. Older history never
counts again: a 2015 or 2018 order is no "row" with a 2022 one.

A sanction is dated by the period it judged: its ``period_end`` (所属期末, the
last day of the evaluated period that issued it, as an archived run's findings
have) when it has one, else its ``issued_on``. It is before this period when
that date is before the period's start, and within the look-back when that date
is on or after the period's start less ``lookback_months`` months: the 2021
result published on 2022-01-01 (period_end 2021-12-31) is the sanction before
2022, and within 12 months of it. The most recent is the one with the latest
such date (then the latest ``issued_on``, then the most severe). The reason names
it, its date and its ``source`` when it has one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import LEVEL_RANK, LEVEL_ZH, Assessment, Finding, Threshold
from dxe_eval.scoring.bands import kinds_validator


@frozen(kw_only=True)
class EscalationParams:
    """``[thresholds.escalation]``: which candidates a second 责令改正 in a row escalates for."""

    #: the earlier 责令改正 counts when dated (its period's end, else its issue date) at most
    #: this many months before the period's start
    lookback_months: int = field(default=12, validator=attrs.validators.ge(1))
    #: the candidate kinds judged: any of "unit", "person", "project"
    applies_to: tuple[str, ...] = field(default=("unit",), validator=kinds_validator)


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` less ``months`` calendar months (the 31st of a shorter month: its last day)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(f"no day {day.day} in {year}-{month}")  # pragma: no cover


def collect(ev: Evidence, params: EscalationParams) -> pl.DataFrame:
    frame = ev.attributed("sanctions")
    dated = pl.col("issued_on")
    if "period_end" in frame.columns:  # judged for an earlier period: earlier, whenever issued
        dated = pl.coalesce(pl.col("period_end"), dated)
    sa = frame.with_columns(dated.alias("_dated")).filter(pl.col("_dated") < ev.period_start)
    source = pl.col("source") if "source" in frame.columns else pl.lit(None, pl.String)
    rank = (
        pl.col("level")
        .cast(pl.String)
        .replace_strict(dict(LEVEL_RANK), default=-1, return_dtype=pl.Int64)
    )
    # the latest sanction; on the same date the last issued, then the most severe one
    order = [pl.col("_dated"), pl.col("issued_on"), rank]
    return (
        sa.group_by([KIND, CID])
        .agg(
            pl.col("level").cast(pl.String).sort_by(order).last().alias("last_level"),
            pl.col("issued_on").sort_by(order).last().alias("last_issued_on"),
            pl.col("_dated").sort_by(order).last().alias("last_dated"),
            source.sort_by(order).last().alias("last_source"),
        )
        .with_columns(
            pl.lit(ev.period_start).alias("period_start"),
            pl.lit(months_before(ev.period_start, params.lookback_months)).alias("lookback_from"),
        )
    )


def assess(
    facts: Mapping[str, Any], params: EscalationParams, prior: tuple[Finding, ...]
) -> Assessment:
    now = sorted({f.threshold for f in prior if f.level == "rectify"})
    last = facts.get("last_level")
    issued = facts.get("last_issued_on")
    dated = facts.get("last_dated")
    source = facts.get("last_source")
    where = f"，{source}" if source else ""
    where_en = f" ({source})" if source else ""
    if not now:
        return Assessment(
            level=None,
            value=None,
            limit=None,
            reason="本期无责令改正，不作升级",
            reason_en="no order to correct this period; no escalation",
        )
    named = "、".join(now)
    named_en = ", ".join(now)
    if last != "rectify" or issued is None:
        before = (
            f"上次处理（{issued}{where}）为{LEVEL_ZH.get(last or '', last)}"
            if issued is not None
            else "此前无处理记录"
        )
        return Assessment(
            level=None,
            value=None,
            limit=None,
            count=len(now),
            evidence=now,
            reason=f"本期责令改正（{named}），{before}，不作升级",
            reason_en=f"rectify this period ({named_en}); the last "
            f"sanction was not an order to correct: no escalation",
        )
    sanction_id = f"{facts.get(CID)}@{issued}"
    start = facts.get("period_start")
    since = facts.get("lookback_from")
    if since is not None and start is not None and dated is not None and dated < since:
        until = start - dt.timedelta(days=1)
        return Assessment(
            level=None,
            value=None,
            limit=None,
            count=len(now),
            evidence=(*now, sanction_id),
            reason=f"本期责令改正（{named}），上次处理（{issued}{where}）虽为责令改正，但不在 "
            f"{params.lookback_months} 个月回溯期（{since} 至 {until}）内，不作升级",
            reason_en=f"rectify this period ({named_en}); the last sanction, a rectify on "
            f"{issued}{where_en}, is older than {params.lookback_months} months "
            f"before the period (from {since}): no escalation",
        )
    return Assessment(
        level="criticize",
        value=None,
        limit=None,
        count=len(now),
        evidence=(*now, sanction_id),
        reason=f"本期责令改正（{named}）且上次处理（{issued}{where}）亦为责令改正，"
        f"在 {params.lookback_months} 个月回溯期内，连续两次，通报批评",
        reason_en=f"rectify this period ({named_en}) after a rectify on {issued}{where_en} "
        f"within {params.lookback_months} months: two in a row, criticize",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="escalation",
            title="连续责令改正",
            title_en="Repeated order to correct",
            applies_to={"unit", "person", "project"},
            params=EscalationParams,
            collect=collect,
            assess=assess,
            stage=1,
            collect_per_kind=True,
            collect_keys=("lookback_months",),
            description=__doc__ or "",
        ),
    )
