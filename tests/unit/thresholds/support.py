"""Small in-memory records for the threshold tests, evaluated under the default ruleset."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dxe_eval.model import Assessment
from dxe_eval.result import Evaluation
from tests import builders

registry = builders.registry
raw_ruleset = builders.default_raw
evaluate = builders.evaluate


def assessment(ev: Evaluation, candidate_id: str, threshold: str) -> Assessment:
    card = ev.scorecard(candidate_id)
    assert card is not None, candidate_id
    return card.assessments[threshold]


def levels(ev: Evaluation, candidate_id: str) -> dict[str, str]:
    """The candidate's findings as ``{threshold: level}``; also checks one per threshold."""
    found = ev.findings_of(candidate_id)
    by = {f.threshold: f.level for f in found}
    assert len(by) == len(found), found
    return by


def units(*ids: str) -> list[dict[str, Any]]:
    return [{"unit_id": u, "name": f"单位{u}", "category": "市州局"} for u in ids]


#: a plain week of March 2022 (no holiday): Mon 03-07 … Fri 03-11, Mon 03-14 …
MON = dt.date(2022, 3, 7)


def requests(unit: str, cases: int, bad: int, **bad_fields: Any) -> list[dict[str, Any]]:
    """``cases`` requests of ``unit`` received Mon 2022-03-07 09:00, answered and closed the
    same day as delivered; the first ``bad`` of them get ``bad_fields`` instead."""
    out = []
    for i in range(cases):
        row: dict[str, Any] = {
            "request_id": f"{unit}-R{i:03d}",
            "unit_id": unit,
            "kind": "咨询",
            "received_at": "2022-03-07 09:00:00",
            "responded_at": "2022-03-07 10:00:00",
            "closed_at": "2022-03-07 11:00:00",
            "outcome": "delivered",
        }
        if i < bad:
            row.update(bad_fields)
        out.append(row)
    return out


def surveys(unit: str, cases: int, bad: int, **bad_fields: Any) -> list[dict[str, Any]]:
    """``cases`` ratings of ``unit`` answered 2022-03-07: the first ``bad`` are 非常不满意 (1)
    rectified the same day (unless ``bad_fields`` say otherwise), the rest 满意 (4)."""
    out = []
    for i in range(cases):
        row: dict[str, Any] = {
            "response_id": f"{unit}-S{i:03d}",
            "unit_id": unit,
            "answered_on": "2022-03-07",
            "rating": 4,
        }
        if i < bad:
            row.update({"rating": 1, "rectified_on": "2022-03-07", **bad_fields})
        out.append(row)
    return out


def unrectified(unit: str, n: int = 3, day: str = "2022-03-07") -> list[dict[str, Any]]:
    """``n`` 差评 of ``unit`` answered on ``day`` and never rectified: three (the default)
    reach 责令改正 (``rectify_count``) from ``unrectified``."""
    return [
        {
            "response_id": f"{unit}-B{i}",
            "unit_id": unit,
            "answered_on": day,
            "rating": 1,
            "rectified_on": None,
        }
        for i in range(1, n + 1)
    ]
