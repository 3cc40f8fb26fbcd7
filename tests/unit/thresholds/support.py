"""Helpers for the threshold tests: a registry and ruleset that tolerate missing rule modules.

While some built-in rule modules are still being written, the registry blocks
the ones that cannot be imported and the raw ruleset drops their tables (and
rescales the declared total to the remaining weights), so the thresholds can
be tested on their own. Once every module exists this is the plain default.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from functools import cache
from typing import Any

from dxe_eval.engine import Evaluation, prepare, run
from dxe_eval.manager import BUILTIN_PLUGINS, Registry, get_registry
from dxe_eval.model import Assessment
from tests import builders


def missing_modules() -> tuple[str, ...]:
    out = []
    for name in BUILTIN_PLUGINS:
        try:
            found = importlib.util.find_spec(name) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            out.append(name)
    return tuple(out)


@cache
def registry() -> Registry:
    return get_registry(autoload=False, disabled=missing_modules())


def raw_ruleset() -> dict[str, Any]:
    """The default ruleset as a raw dict, without tables no installed plugin provides."""
    reg = registry()
    raw = builders.default_raw()
    if not missing_modules():
        return raw
    raw["rules"] = {k: v for k, v in raw["rules"].items() if k in reg.rules}
    raw["thresholds"] = {k: v for k, v in raw["thresholds"].items() if k in reg.thresholds}
    raw["ruleset"]["total"] = sum(
        v["points"] for k, v in raw["rules"].items() if not reg.rules[k].bonus)
    builtins = ("caseload", "satisfaction_rate", "id")
    raw["commendation"]["tie_break"] = [
        t for t in raw["commendation"]["tie_break"] if t in raw["rules"] or t in builtins]
    raw["effects"]["veto_thresholds"] = [
        t for t in raw["effects"]["veto_thresholds"] if t in reg.thresholds]
    return raw


def evaluate(records: dict[str, list[dict[str, Any]]],
             over: dict[str, Any] | None = None) -> Evaluation:
    """Evaluate in-memory records under the default ruleset with ``over`` merged in."""
    reg = registry()
    rs = builders.ruleset(over, reg=reg, raw=raw_ruleset())
    data = {"units": [], "people": [], "projects": [], **records}
    return run(prepare(data, rs, reg), rs, reg)


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
            "request_id": f"{unit}-R{i:03d}", "unit_id": unit, "kind": "咨询",
            "received_at": "2022-03-07 09:00:00", "responded_at": "2022-03-07 10:00:00",
            "closed_at": "2022-03-07 11:00:00", "outcome": "delivered",
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
        row: dict[str, Any] = {"response_id": f"{unit}-S{i:03d}", "unit_id": unit,
                               "answered_on": "2022-03-07", "rating": 4}
        if i < bad:
            row.update({"rating": 1, "rectified_on": "2022-03-07", **bad_fields})
        out.append(row)
    return out
