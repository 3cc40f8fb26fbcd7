"""连续两次责令改正 → 通报批评.

Runs after the other thresholds (stage 1). A candidate that gets a 责令改正
(``rectify``) finding in this period, and whose last recorded sanction before
the period (the ``sanctions`` row with the latest ``issued_on`` before the
period's start) was also a 责令改正, is publicly criticised.

A row with a ``period_end`` (the last day of the period whose evaluation issued it,
as an archived run's findings have) is before the period when that period ended
before this one began, whenever it was published: a 2021 result published on
2022-01-01, or in March 2022, is the sanction before 2022. Its ``source`` is named in
the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import LEVEL_RANK, LEVEL_ZH, Assessment, Finding, Threshold
from dxe_eval.thresholds.bands import kinds_validator


@frozen(kw_only=True)
class EscalationParams:
    """``[thresholds.escalation]``: which candidates a second 责令改正 in a row escalates for."""

    #: the candidate kinds judged: any of "unit", "person", "project"
    applies_to: tuple[str, ...] = field(default=("unit",), validator=kinds_validator)


def collect(ev: Evidence, params: EscalationParams) -> pl.DataFrame:
    frame = ev.attributed("sanctions")
    dated = pl.col("issued_on")
    if "period_end" in frame.columns:  # judged for an earlier period: earlier, whenever issued
        dated = pl.coalesce(pl.col("period_end"), dated)
    sa = frame.filter(dated < ev.period_start)
    source = pl.col("source") if "source" in frame.columns else pl.lit(None, pl.String)
    rank = pl.col("level").cast(pl.String).replace_strict(
        dict(LEVEL_RANK), default=-1, return_dtype=pl.Int64)
    # the latest sanction; on the same day the most severe one
    order = [pl.col("issued_on"), rank]
    return sa.group_by([KIND, CID]).agg(
        pl.col("level").cast(pl.String).sort_by(order).last().alias("last_level"),
        pl.col("issued_on").sort_by(order).last().alias("last_issued_on"),
        source.sort_by(order).last().alias("last_source"),
    )


def assess(facts: Mapping[str, Any], params: EscalationParams,
           prior: tuple[Finding, ...]) -> Assessment:
    now = sorted({f.threshold for f in prior if f.level == "rectify"})
    last = facts.get("last_level")
    issued = facts.get("last_issued_on")
    source = facts.get("last_source")
    where = f"，{source}" if source else ""
    if not now:
        return Assessment(level=None, value=None, limit=None,
                          reason="本期无责令改正，不作升级",
                          reason_en="no order to correct this period; no escalation")
    named = "、".join(now)
    if last != "rectify" or issued is None:
        before = (f"上次处理（{issued}{where}）为{LEVEL_ZH.get(last or '', last)}"
                  if issued is not None
                  else "此前无处理记录")
        return Assessment(level=None, value=None, limit=None, count=len(now), evidence=now,
                          reason=f"本期责令改正（{named}），{before}，不作升级",
                          reason_en=f"rectify this period ({', '.join(now)}); the last "
                                    f"sanction was not an order to correct: no escalation")
    sanction_id = f"{facts.get(CID)}@{issued}"
    return Assessment(
        level="criticize", value=None, limit=None, count=len(now),
        evidence=(*now, sanction_id),
        reason=f"本期责令改正（{named}）且上次处理（{issued}{where}）亦为责令改正，连续两次，通报批评",
        reason_en=f"rectify this period ({', '.join(now)}) after a rectify on {issued}"
                  f"{f' ({source})' if source else ''}: two in a row, criticize",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(id="escalation", title="连续责令改正", title_en="Repeated order to correct",
                  applies_to={"unit", "person", "project"}, params=EscalationParams,
                  collect=collect, assess=assess, stage=1, collect_per_kind=True, collect_keys=(),
                  description=__doc__ or ""),
    )
