"""差评未按期整改；责令改正逾期未整改 — what was not put right in time.

- 责令改正 (``rectify``): a valid 差评 answered in the period was not rectified
  within ``deadline_days`` working days (more working days in
  ``(answered_on, rectified_on]``, or no ``rectified_on`` and the deadline passed
  before the period's end). A 差评 overturned on appeal needs no rectification.
- 通报批评 (``criticize``): an earlier 责令改正 (a ``sanctions`` row of level
  ``rectify`` issued on or before the period's end) was not rectified within
  ``sanction_days`` working days of its ``issued_on``.

The highest level wins; ``value`` is the number of cases at that level and
``limit`` its day limit. Under ``min_cases`` valid ratings in the period the
差评 are not judged; an overdue 责令改正 is judged regardless. The reason names the
``source`` of an overdue 责令改正 when its row has one (an archived run's finding).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import LEVEL_ZH, Assessment, Finding, Threshold
from dxe_eval.thresholds.bands import kinds_validator


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise ValueError(f"'{attribute.name}' must not be negative, got {value}")


@frozen(kw_only=True)
class UnrectifiedParams:
    """``[thresholds.unrectified]``: the days allowed to put a 差评 or a 责令改正 right."""

    #: working days after a 差评 within which it must be rectified (else 责令改正)
    deadline_days: int = field(default=5, validator=_non_negative)
    #: working days after a 责令改正 within which it must be rectified (else 通报批评)
    sanction_days: int = field(default=15, validator=_non_negative)
    #: fewer valid ratings than this in the period and the 差评 are not judged
    min_cases: int = field(default=0, validator=_non_negative)
    #: the candidate kinds judged: any of "unit", "person", "project"
    applies_to: tuple[str, ...] = field(default=("unit",), validator=kinds_validator)


def _sanction_id() -> pl.Expr:
    return pl.concat_str([pl.col("candidate_id"), pl.lit("@"),
                          pl.col("issued_on").cast(pl.String)])


def _open_wd(ev: Evidence, frame: pl.LazyFrame, column: str) -> pl.LazyFrame:
    """Working days from ``column`` to the period's end, for what is still not rectified."""
    end = ev.workdays.index_of(ev.period_end)
    return frame.with_columns((pl.lit(end) - ev.workdays.index_expr(column)).alias("open_wd"))


def collect(ev: Evidence, params: UnrectifiedParams) -> pl.DataFrame:
    sv = _open_wd(
        ev, ev.attributed_lazy("surveys").filter(ev.in_period("answered_on")), "answered_on"
    )
    valid = ~pl.col("overturned")
    # not rectified at all counts only once its deadline has passed by the period's end
    late = (pl.col("bad") & valid
            & ((pl.col("rectified_on").is_null() & (pl.col("open_wd") > params.deadline_days))
               | (pl.col("rectify_wd") > params.deadline_days)))
    reviews = sv.group_by([KIND, CID]).agg(
        valid.sum().alias("cases"),
        late.sum().alias("reviews"),
        pl.col("response_id").filter(late).sort().alias("review_ids"),
    )
    sa = _open_wd(
        ev, ev.attributed_lazy("sanctions").filter(pl.col("issued_on") <= ev.period_end),
        "issued_on",
    )
    overdue = (pl.col("level") == "rectify") & (
        (pl.col("rectified_on").is_null() & (pl.col("open_wd") > params.sanction_days))
        | (pl.col("rectify_wd") > params.sanction_days))
    source = pl.col("source") if "source" in sa.collect_schema() else pl.lit(None, pl.String)
    sanctions = sa.group_by([KIND, CID]).agg(
        overdue.sum().alias("sanctions"),
        _sanction_id().filter(overdue).sort().alias("sanction_ids"),
        source.filter(overdue & source.is_not_null()).sort().alias("sanction_sources"),
    )
    return reviews.join(sanctions, on=[KIND, CID], how="full", coalesce=True).collect()


def assess(facts: Mapping[str, Any], params: UnrectifiedParams,
           prior: tuple[Finding, ...]) -> Assessment:
    cases = int(facts.get("cases") or 0)
    judged = cases >= params.min_cases
    reviews = int(facts.get("reviews") or 0) if judged else 0
    review_ids = tuple(facts.get("review_ids") or ()) if judged else ()
    sanctions = int(facts.get("sanctions") or 0)
    sanction_ids = tuple(facts.get("sanction_ids") or ())
    review_zh = f"差评 {reviews} 条未在 {params.deadline_days} 个工作日内整改"
    sources = "；".join(facts.get("sanction_sources") or ())
    sanction_zh = (f"责令改正 {sanctions} 次{f'（{sources}）' if sources else ''}"
                   f"未在 {params.sanction_days} 个工作日内整改")
    if sanctions:
        also = f"；另有{review_zh}" if reviews else ""
        return Assessment(
            level="criticize", value=float(sanctions), limit=float(params.sanction_days),
            count=sanctions, evidence=(*sanction_ids, *review_ids)[:10],
            reason=f"{sanction_zh}，{LEVEL_ZH['criticize']}{also}",
            reason_en=f"{sanctions} order(s) to correct{f' ({sources})' if sources else ''} "
                      f"not rectified within {params.sanction_days} working days: criticize",
        )
    if reviews:
        return Assessment(
            level="rectify", value=float(reviews), limit=float(params.deadline_days),
            count=reviews, evidence=review_ids[:10],
            reason=f"{review_zh}，{LEVEL_ZH['rectify']}",
            reason_en=f"{reviews} bad review(s) not rectified within {params.deadline_days} "
                      f"working days: rectify",
        )
    if not judged:
        return Assessment(
            level=None, value=None, limit=None, judged=False,
            reason=f"有效评价 {cases} 条，少于 {params.min_cases} 条，差评整改不作判定；"
                   f"无逾期未整改的责令改正",
            reason_en=f"{cases} valid ratings, under min_cases {params.min_cases}; "
                      f"bad reviews not judged; no overdue order to correct",
        )
    return Assessment(
        level=None, value=0.0, limit=None,
        reason=f"差评均在 {params.deadline_days} 个工作日内整改，无逾期未整改的责令改正",
        reason_en="every bad review rectified in time; no overdue order to correct",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(id="unrectified", title="逾期未整改", title_en="Not rectified in time",
                  needs=("surveys.rectified_on", "sanctions.rectified_on"),
                  applies_to={"unit", "person", "project"}, params=UnrectifiedParams,
                  collect=collect, assess=assess, stage=0,
                  collect_per_kind=True, collect_keys=("deadline_days", "sanction_days"),
                  description=__doc__ or ""),
    )
