"""重点项目按期完成 — the unit's key projects due in the period are completed by their deadline.

Counted: the unit's projects on the key-project list (重点项目清单, ``listed_in =
key``) whose ``deadline`` falls in the period. A key project is on time when it
was completed (``completed_on``) on or before its deadline, and late when it was
completed after it or is not completed at all (its deadline passed in the
period). Points in proportion to the on-time share. A key project without a
deadline cannot be judged: it is not counted, its unit's reason says so, and
the evaluation names it in a data warning (:attr:`~dxe_eval.model.Rule.notes`).
Evidence: the key projects late or not completed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.evidence import CID, KIND, Evidence
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Rule, RuleResult
from dxe_eval.scoring.share import empty_result, share_result, when_empty_validator

#: how many key projects without a deadline the data warning names before "等 N 个"
NAMED = 20


def key_expr() -> pl.Expr:
    """A project on the key-project list."""
    return (pl.col("listed_in") == "key").fill_null(False)


@frozen(kw_only=True)
class KeyProjectsParams:
    """``[rules.key-projects]``."""

    #: maximum points (the rule's weight)
    points: float = field(default=4.0, validator=attrs.validators.ge(0))
    #: with no key project due in the period: "full", "zero" or "not_applicable"
    when_empty: str = field(default="not_applicable", validator=when_empty_validator)


def collect(ev: Evidence, params: KeyProjectsParams) -> pl.DataFrame:
    key = ev.attributed("projects").filter(key_expr())
    due = (pl.col("deadline").is_not_null() & ev.in_period("deadline")).fill_null(False)
    on_time = due & (pl.col("completed_on") <= pl.col("deadline")).fill_null(False)
    return key.group_by([KIND, CID]).agg(
        due.sum().alias("counted"),
        on_time.sum().alias("on_time"),
        pl.col("deadline").is_null().sum().alias("undated"),
        pl.col("project_id").filter(due & ~on_time).sort().alias("late_ids"),
    )


def score(facts: Mapping[str, Any], params: KeyProjectsParams) -> RuleResult:
    n = int(facts.get("counted") or 0)
    undated = int(facts.get("undated") or 0)
    if n == 0:
        res = empty_result(
            params.points, params.when_empty, "本期到期的重点项目", "key projects due in the period"
        )
    else:
        late = tuple(facts.get("late_ids") or ())
        res = share_result(
            int(facts.get("on_time") or 0),
            n,
            params.points,
            what_zh="本期到期的重点项目",
            good_zh="按期完成",
            what_en="key projects due in the period completed by their deadline",
            evidence=late,
        )
        if late:
            res = attrs.evolve(
                res,
                reason=f"{res.reason}；超期或未完成：{'、'.join(late)}",
                reason_en=f"{res.reason_en}; late or not completed: {', '.join(late)}",
            )
    if not undated:
        return res
    return attrs.evolve(
        res,
        reason=f"{res.reason}；另有 {undated} 个重点项目未填计划完成日期，无法判断，不计",
        reason_en=f"{res.reason_en}; {undated} key project(s) without a deadline not counted",
    )


def notes(ev: Evidence, params: KeyProjectsParams) -> Sequence[str]:
    """A data warning naming the key projects without a deadline (and their units)."""
    undated = (
        ev.frame("projects")
        .filter(key_expr() & pl.col("deadline").is_null())
        .sort("project_id")
        .select("project_id", "unit_id")
        .rows()
    )
    if not undated:
        return ()
    named = [f"{pid}（{uid}）" for pid, uid in undated[:NAMED]]
    more = f" 等 {len(undated)} 个" if len(undated) > NAMED else ""
    ids = ", ".join(pid for pid, _ in undated[:NAMED])
    more_en = f" … {len(undated)} in all" if len(undated) > NAMED else ""
    return (
        f"重点项目 {'、'.join(named)}{more} 未填计划完成日期（deadline），无法判断是否按期完成，"
        f"未计入“重点项目按期完成” / key project(s) {ids}{more_en} have no deadline: "
        f"not judged by key-projects",
    )


@hookimpl
def dxe_eval_register_rules() -> tuple[Rule, ...]:
    return (
        Rule(
            id="key-projects",
            title="重点项目按期完成",
            title_en="Key projects are completed on time",
            needs=("projects.listed_in", "projects.deadline", "projects.completed_on"),
            applies_to={"unit"},
            params=KeyProjectsParams,
            collect=collect,
            score=score,
            notes=notes,
            collect_per_kind=True,
            collect_keys=(),
            points_from=("counted", "on_time"),
            description=__doc__ or "",
        ),
    )
