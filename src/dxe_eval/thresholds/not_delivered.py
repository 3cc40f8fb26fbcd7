"""服务不落实 — the share of requests not delivered, or not delivered in time.

Among the requests received in the period (counted for every candidate they
are attributed to), a request counts against the candidate when

- its outcome is ``not_delivered`` (未落实);
- it was closed after its kind's completion limit (超期办结): more working days
  from receipt to closing than the ruleset's ``[limits] completion_days`` for
  its kind; or
- it is still open (no ``closed_at``, or outcome ``open``) and that limit has
  passed at the period's end (超期未办结).

The limits are the one declaration the ``timeliness`` rule's completion part
reads too: the index stage marks each request (``completion_judged``,
``completion_late``; a request without a kind gets the largest limit).

The rate's cases are the requests judged: a withdrawn request (the enterprise
took it back) is neither delivered nor undelivered and is left out of both
counts, and so is one still open within its limit at the period's end (not
yet due: it may still be delivered in time). Bands on the rate (percent),
strict ``>``, with ``min_cases`` judged requests as for every banded
threshold. The reason counts each kind: "未落实 1 件、超期办结 2 件、超期未办结
1 件 / 20 件"; the evidence lists them in that order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import polars as pl
from attrs import frozen

from dxe_eval.evidence import EVERY_ROW, Evidence, FactSpec, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import Assessment, Finding, Threshold
from dxe_eval.scoring.bands import RateBands, rate_assessment
from dxe_eval.service import RECEIVED_IN_PERIOD


@frozen(kw_only=True)
class NotDeliveredParams(RateBands):
    """``[thresholds.not-delivered]``: bands on the undelivered rate (percent)."""

    REMOVED_KEYS: ClassVar[Mapping[str, str]] = {
        "completion_days": "the completion limits are declared once, in [limits] "
        "completion_days 办结时限改在 [limits] completion_days 中统一设定",
    }

    warning: float | None = 3.0
    rectify: float | None = 5.0
    criticize: float | None = 10.0


#: the three ways a request counts against the candidate, in the order the reason names them
WAYS = (
    ("not_delivered", "未落实", "not delivered"),
    ("closed_late", "超期办结", "closed past the limit"),
    ("open_late", "超期未办结", "open past the limit"),
)


def undelivered_exprs() -> dict[str, pl.Expr]:
    """Each way a request counts against the candidate (:data:`WAYS`), as a column: not
    delivered (its outcome), closed past its limit, or open past it at the period's end
    (the index stage's ``completion_late``). A request is counted one way, the first."""
    nd = (pl.col("outcome") == "not_delivered").fill_null(False)
    open_ = pl.col("closed_at").is_null() | (pl.col("outcome") == "open").fill_null(False)
    late = pl.col("completion_late") & ~nd
    return {"not_delivered": nd, "closed_late": late & ~open_, "open_late": late & open_}


def judged_expr() -> pl.Expr:
    """The requests the rate counts: not withdrawn, and judged on completion (closed, or
    open past the limit) or not delivered."""
    nd = (pl.col("outcome") == "not_delivered").fill_null(False)
    withdrawn = (pl.col("outcome") == "withdrawn").fill_null(False)
    return ~withdrawn & (pl.col("completion_judged") | nd)


def facts(ev: Evidence, params: NotDeliveredParams) -> FactSpec:
    """The requests received in the period and judged (:func:`judged_expr`), and each way
    (:func:`undelivered_exprs`) they count against the candidate."""
    ways = undelivered_exprs()
    return FactSpec(
        record_type="requests",
        where=pl.col(RECEIVED_IN_PERIOD) & judged_expr(),
        counts={
            "cases": EVERY_ROW,
            "bad": pl.any_horizontal(list(ways.values())),
            **{f"n_{w}": e for w, e in ways.items()},
        },
        ids={f"{w}_ids": ("request_id", e) for w, e in ways.items()},
    )


def collect(ev: Evidence, params: NotDeliveredParams) -> pl.DataFrame:
    return spec_facts(ev, facts(ev, params))


def assess(
    facts: Mapping[str, Any], params: NotDeliveredParams, prior: tuple[Finding, ...]
) -> Assessment:
    cases = int(facts.get("cases") or 0)
    counts = {w: int(facts.get(f"n_{w}") or 0) for w, _, _ in WAYS}
    ids = tuple(i for w, _, _ in WAYS for i in (facts.get(f"{w}_ids") or ()))
    detail_zh = "：" + "、".join(f"{zh} {counts[w]} 件" for w, zh, _ in WAYS) + f" / {cases} 件"
    detail_en = ": " + ", ".join(f"{en} {counts[w]}" for w, _, en in WAYS) + f" of {cases}"
    return rate_assessment(
        int(facts.get("bad") or 0),
        cases,
        ids,
        params,
        label_zh="服务不落实率",
        label_en="undelivered rate",
        cases_zh="已到期的服务需求",
        detail_zh=detail_zh,
        detail_en=detail_en,
    )


@hookimpl
def dxe_eval_register_thresholds() -> tuple[Threshold, ...]:
    return (
        Threshold(
            id="not-delivered",
            title="服务不落实",
            title_en="Service not delivered",
            needs=("requests.closed_at", "requests.outcome", "requests.kind"),
            applies_to={"unit", "person", "project"},
            params=NotDeliveredParams,
            collect=collect,
            facts=facts,
            assess=assess,
            collect_per_kind=True,
            collect_keys=(),
            description=__doc__ or "",
        ),
    )
