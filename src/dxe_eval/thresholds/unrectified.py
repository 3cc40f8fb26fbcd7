"""差评未按期整改；责令改正逾期未整改 — what was not put right in time.

**差评** (by count and share). A valid 差评 answered in the period is
*unrectified* when it was not rectified within ``deadline_days`` working days
(more working days in ``(answered_on, rectified_on]``, or no ``rectified_on``
and the deadline passed by the period's end). A 差评 overturned on appeal needs
no rectification; a rating replaced by a later rating of the same request
counts nowhere.

- 警示 (``warning``): at least ``warning_count`` (1) unrectified 差评;
- 责令改正 (``rectify``): at least ``rectify_count`` (3), or more than
  ``rectify_share`` (20) percent of the period's valid 差评 (strict ``>``), the
  share judged only from ``share_min_bad`` (5) valid 差评 up. Below 5, one
  unrectified 差评 is already more than 20 % (1 of 4 is 25 %): the notice's 警示
  for a single one would never apply to a unit with few 差评.

**责令改正** (orders, ``sanctions`` rows of level ``rectify``). An order's
rectification deadline is the end of the ``sanction_days``-th (15) working day
after its ``issued_on``. It is 通报批评 (``criticize``) in the period in which
its deadline falls, when it was not rectified by the deadline (rectified late,
or still open); and in a later period only while it is still open at that
period's end (no ``rectified_on``, or one after the period's end). A lapse
already judged in an earlier period (deadline and late rectification both
before this period) is never counted again.

The highest level wins; ``value`` is the number of cases at that level and
``limit`` its day limit. Under ``min_cases`` valid ratings in the period the
差评 are not judged; an overdue order is judged regardless. The reason says
which rule fired with the counts, and names each overdue order, its date and
its ``source`` when its row has one (an archived run's finding).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import LEVEL_ZH, Assessment, Finding, Threshold
from dxe_eval.numbers import exact, fmt_pct, percent
from dxe_eval.scoring.bands import kinds_validator


def _non_negative(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 0:
        raise ValueError(f"'{attribute.name}' must not be negative, got {value}")


def _positive(_: object, attribute: attrs.Attribute[Any], value: int) -> None:
    if value < 1:
        raise ValueError(f"'{attribute.name}' must be at least 1, got {value}")


def _optional_percent(_: object, attribute: attrs.Attribute[Any], value: float | None) -> None:
    if value is not None and not 0 <= value <= 100:
        raise ValueError(f"'{attribute.name}' must be a percentage from 0 to 100, got {value}")


@frozen(kw_only=True)
class UnrectifiedParams:
    """``[thresholds.unrectified]``: the days allowed to put a 差评 or a 责令改正 right, and how
    many unrectified 差评 make a 警示 or a 责令改正."""

    #: working days after a 差评 within which it must be rectified
    deadline_days: int = field(default=5, validator=_non_negative)
    #: working days after a 责令改正 within which it must be rectified (else 通报批评)
    sanction_days: int = field(default=15, validator=_non_negative)
    #: this many unrectified 差评 or more in the period: 警示
    warning_count: int = field(default=1, validator=_positive)
    #: this many unrectified 差评 or more in the period: 责令改正
    rectify_count: int = field(default=3, validator=_positive)
    #: more than this percent of the period's valid 差评 unrectified: 责令改正 (None: not used)
    rectify_share: float | None = field(default=20.0, validator=_optional_percent)
    #: the share is judged only with at least this many valid 差评 in the period
    share_min_bad: int = field(default=5, validator=_positive)
    #: fewer valid ratings than this in the period and the 差评 are not judged
    min_cases: int = field(default=0, validator=_non_negative)
    #: the candidate kinds judged: any of "unit", "person", "project"
    applies_to: tuple[str, ...] = field(default=("unit",), validator=kinds_validator)

    def __attrs_post_init__(self) -> None:
        if self.warning_count > self.rectify_count:
            raise ValueError(
                f"'warning_count' {self.warning_count} must not be above 'rectify_count' "
                f"{self.rectify_count}（警示的条数不能多于责令改正的条数）"
            )


def _sanction_id() -> pl.Expr:
    return pl.concat_str([pl.col("candidate_id"), pl.lit("@"), pl.col("issued_on").cast(pl.String)])


def collect(ev: Evidence, params: UnrectifiedParams) -> pl.DataFrame:
    end = ev.workdays.index_of(ev.period_end)
    sv = (
        ev.attributed_lazy("surveys")
        .filter(ev.in_period("answered_on"))
        .with_columns((pl.lit(end) - ev.workdays.index_expr("answered_on")).alias("open_wd"))
    )
    valid = ~pl.col("overturned")
    bad = pl.col("bad") & valid
    # not rectified at all counts only once its deadline has passed by the period's end
    late = bad & (
        (pl.col("rectified_on").is_null() & (pl.col("open_wd") > params.deadline_days))
        | (pl.col("rectify_wd") > params.deadline_days)
    )
    reviews = sv.group_by([KIND, CID]).agg(
        valid.sum().alias("cases"),
        bad.sum().alias("bad"),
        late.sum().alias("reviews"),
        pl.col("response_id").filter(late).sort().alias("review_ids"),
    )
    wd = ev.workdays
    before_start = wd.index_of(ev.period_start - dt.timedelta(days=1))
    due = wd.index_expr("issued_on") + params.sanction_days  # the deadline's index
    not_by_deadline = pl.col("rectified_on").is_null() | (
        pl.col("rectify_wd") > params.sanction_days
    )
    still_open = pl.col("rectified_on").is_null() | (pl.col("rectified_on") > ev.period_end)
    # (a) its deadline falls in the period, not rectified by it; (b) its deadline fell
    # before the period, and it is still open at the period's end
    overdue = (pl.col("level") == "rectify") & (
        ((due > before_start) & (due <= end) & not_by_deadline)
        | ((due <= before_start) & still_open)
    )
    sa = ev.attributed_lazy("sanctions").filter(pl.col("issued_on") <= ev.period_end)
    source = pl.col("source") if "source" in sa.collect_schema() else pl.lit(None, pl.String)
    # each overdue order as the reason names it: its date, deadline, and how it stands
    state = (
        pl.when(pl.col("rectified_on").is_null())
        .then(pl.lit("未整改"))
        .when(pl.col("rectified_on") > ev.period_end)
        .then(pl.format("期末未整改，{} 整改", pl.col("rectified_on")))
        .otherwise(pl.format("{} 才整改", pl.col("rectified_on")))
    )
    described = pl.format(
        "{} 下达{}，期限 {}，{}",
        pl.col("issued_on"),
        pl.when(source.is_not_null()).then(pl.format("（{}）", source)).otherwise(pl.lit("")),
        wd.day_of_index_expr(due),
        state,
    )
    sanctions = sa.group_by([KIND, CID]).agg(
        overdue.sum().alias("sanctions"),
        _sanction_id().filter(overdue).sort().alias("sanction_ids"),
        described.filter(overdue).sort().alias("sanction_texts"),
        source.filter(overdue & source.is_not_null()).sort().alias("sanction_sources"),
    )
    return reviews.join(sanctions, on=[KIND, CID], how="full", coalesce=True).collect()


def _review_level(reviews: int, bad: int, params: UnrectifiedParams) -> tuple[str | None, str, str]:
    """The level the unrectified 差评 reach, and which rule fired (zh, en)."""
    share = percent(reviews, bad) if bad else Fraction(0)
    by_share = (
        params.rectify_share is not None
        and bad >= params.share_min_bad
        and share > exact(params.rectify_share)
    )
    counted = f"差评 {reviews} 条未在 {params.deadline_days} 个工作日内整改"
    counted_en = f"{reviews} bad review(s) not rectified within {params.deadline_days} working days"
    if params.rectify_share is None or not bad:
        of, of_en = "", ""
    elif bad < params.share_min_bad:
        of = f"（本期有效差评 {bad} 条，不足 {params.share_min_bad} 条，不按比例判定）"
        of_en = f" (of {bad} valid bad reviews, under {params.share_min_bad}: no share judged)"
    else:
        of = f"（占本期有效差评 {bad} 条的 {fmt_pct(share)}，未超过 {params.rectify_share:g}%）"
        of_en = f" ({fmt_pct(share)} of {bad} valid bad reviews)"
    if reviews >= params.rectify_count:
        return (
            "rectify",
            f"{counted}，达到 {params.rectify_count} 条，责令改正",
            f"{counted_en}: at least {params.rectify_count}, rectify",
        )
    if by_share:
        return (
            "rectify",
            f"{counted}，占本期有效差评 {bad} 条的 {fmt_pct(share)}"
            f"（> {params.rectify_share:g}%），责令改正",
            f"{counted_en}: {fmt_pct(share)} of {bad} valid bad reviews "
            f"(> {params.rectify_share:g}%), rectify",
        )
    if reviews >= params.warning_count:
        return (
            "warning",
            f"{counted}{of}，达到 {params.warning_count} 条、不足 {params.rectify_count} 条，警示",
            f"{counted_en}{of_en}: at least {params.warning_count}, under "
            f"{params.rectify_count}, warning",
        )
    return None, counted, counted_en


def assess(
    facts: Mapping[str, Any], params: UnrectifiedParams, prior: tuple[Finding, ...]
) -> Assessment:
    cases = int(facts.get("cases") or 0)
    judged = cases >= params.min_cases
    reviews = int(facts.get("reviews") or 0) if judged else 0
    bad = int(facts.get("bad") or 0)
    review_ids = tuple(facts.get("review_ids") or ()) if judged else ()
    sanctions = int(facts.get("sanctions") or 0)
    sanction_ids = tuple(facts.get("sanction_ids") or ())
    texts = "；".join(facts.get("sanction_texts") or ())
    sources = "; ".join(facts.get("sanction_sources") or ())
    level, review_zh, review_en = _review_level(reviews, bad, params)
    if sanctions:
        also = f"；另有{review_zh}" if reviews else ""
        return Assessment(
            level="criticize",
            value=float(sanctions),
            limit=float(params.sanction_days),
            count=sanctions,
            evidence=(*sanction_ids, *review_ids)[:10],
            reason=f"责令改正 {sanctions} 次未在 {params.sanction_days} 个工作日内整改"
            f"（{texts}），{LEVEL_ZH['criticize']}{also}",
            reason_en=f"{sanctions} order(s) to correct ({', '.join(sanction_ids)}"
            f"{f'; {sources}' if sources else ''}) not rectified within "
            f"{params.sanction_days} working days: criticize",
        )
    if level is not None:
        return Assessment(
            level=level,
            value=float(reviews),
            limit=float(params.deadline_days),
            count=reviews,
            evidence=review_ids[:10],
            reason=review_zh,
            reason_en=review_en,
        )
    if not judged:
        return Assessment(
            level=None,
            value=None,
            limit=None,
            judged=False,
            reason=f"有效评价 {cases} 条，少于 {params.min_cases} 条，差评整改不作判定；"
            f"无逾期未整改的责令改正",
            reason_en=f"{cases} valid ratings, under min_cases {params.min_cases}; "
            f"bad reviews not judged; no overdue order to correct",
        )
    return Assessment(
        level=None,
        value=0.0,
        limit=None,
        reason=f"差评均在 {params.deadline_days} 个工作日内整改，无逾期未整改的责令改正",
        reason_en="every bad review rectified in time; no overdue order to correct",
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="unrectified",
            title="逾期未整改",
            title_en="Not rectified in time",
            needs=("surveys.rectified_on", "sanctions.rectified_on"),
            applies_to={"unit", "person", "project"},
            params=UnrectifiedParams,
            collect=collect,
            assess=assess,
            stage=0,
            collect_per_kind=True,
            collect_keys=("deadline_days", "sanction_days"),
            description=__doc__ or "",
        ),
    )
