"""推进有督办 — supervised work is closed by its due date.

Counted: supervision items assigned in the period. An item is on time when it
was closed on or before its due date, and late when it was closed after it or
is still open although its due date passed before the end of the period. An
item still open and not yet overdue at the end of the period (due on or after
the last day) is not counted either way. Evidence: the late items.
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
from dxe_eval.model import Rule, RuleResult
from dxe_eval.scoring.share import empty_result, share_result, when_empty_validator


def on_time_expr() -> pl.Expr:
    """Closed on or before the due date."""
    return pl.col("closed_on").is_not_null() & (pl.col("closed_on") <= pl.col("due_on"))


def late_expr(period_end: dt.date) -> pl.Expr:
    """Closed after the due date, or still open with the due date before the period's end."""
    closed = pl.col("closed_on").is_not_null()
    return (closed & (pl.col("closed_on") > pl.col("due_on"))) | (
        ~closed & (pl.col("due_on") < period_end)
    )


@frozen(kw_only=True)
class SupervisionParams:
    """``[rules.supervision]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=4.0, validator=attrs.validators.ge(0))
    #: with no counted supervision item: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def collect(ev: Evidence, params: SupervisionParams) -> pl.DataFrame:
    items = ev.attributed("supervision").filter(ev.in_period("assigned_on"))
    on_time = on_time_expr()
    late = late_expr(ev.period_end)
    return items.group_by([KIND, CID]).agg(
        (on_time | late).sum().alias("counted"),
        on_time.sum().alias("on_time"),
        (~(on_time | late)).sum().alias("pending"),
        pl.col("item_id").filter(late).sort().alias("late_ids"),
    )


def score(facts: Mapping[str, Any], params: SupervisionParams) -> RuleResult:
    n = int(facts.get("counted") or 0)
    pending = int(facts.get("pending") or 0)
    note_zh = f"；另有 {pending} 项未到期未办结，不计" if pending else ""
    note_en = f"; {pending} open item(s) not yet due are not counted" if pending else ""
    if n == 0:
        res = empty_result(
            params.points, params.when_empty, "应计的督办事项", "supervision items to count"
        )
    else:
        good = int(facts.get("on_time") or 0)
        late = tuple(facts.get("late_ids") or ())
        res = share_result(
            good,
            n,
            params.points,
            what_zh="应计督办事项",
            good_zh="按期办结",
            what_en="supervision items closed by their due date",
            evidence=late,
        )
    if not pending:
        return res
    return attrs.evolve(res, reason=res.reason + note_zh, reason_en=res.reason_en + note_en)


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="supervision",
            title="推进有督办",
            title_en="Supervised work is closed on time",
            needs=("supervision.closed_on",),
            applies_to={"unit", "project"},
            params=SupervisionParams,
            collect=collect,
            score=score,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("counted", "on_time"),
            description=__doc__ or "",
        ),
    )
