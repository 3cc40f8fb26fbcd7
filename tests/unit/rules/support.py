"""Evaluate small in-memory records for the rule tests.

Works whether or not every built-in threshold module exists yet: a missing
threshold plugin is disabled and its table dropped from the default ruleset.
"""

from __future__ import annotations

import functools
import importlib.util
from typing import Any

from dxe_eval.engine import Evaluation, prepare, run
from dxe_eval.manager import Registry, get_registry
from tests import builders

#: threshold modules that may still be missing, and the ids they register
OPTIONAL_THRESHOLDS = {
    "dxe_eval.thresholds.not_delivered": "not-delivered",
    "dxe_eval.thresholds.bad_review_rate": "bad-review-rate",
    "dxe_eval.thresholds.unrectified": "unrectified",
    "dxe_eval.thresholds.escalation": "escalation",
}


def _missing() -> tuple[str, ...]:
    out = []
    for module in OPTIONAL_THRESHOLDS:
        try:
            found = importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:
            found = False
        if not found:
            out.append(module)
    return tuple(out)


MISSING = _missing()


@functools.cache
def registry() -> Registry:
    """Built-in plugins only, without the threshold modules that do not exist yet."""
    return get_registry(autoload=False, disabled=MISSING)


def raw() -> dict[str, Any]:
    """The default ruleset, without the tables of missing threshold plugins."""
    data = builders.default_raw()
    for module in MISSING:
        tid = OPTIONAL_THRESHOLDS[module]
        data["thresholds"].pop(tid, None)
        effects = data.get("effects", {})
        if tid in effects.get("veto_thresholds", []):
            effects["veto_thresholds"] = [t for t in effects["veto_thresholds"] if t != tid]
    return data


def evaluate(records: dict[str, list[dict[str, Any]]],
             over: dict[str, Any] | None = None) -> Evaluation:
    """Evaluate ``records`` under the default ruleset with ``over`` merged in."""
    reg = registry()
    rs = builders.ruleset(over, reg=reg, raw=raw())
    data = {"units": [], "people": [], "projects": [], **records}
    return run(prepare(data, rs, reg), rs, reg)


def unit(uid: str = "U1", category: str = "处室") -> dict[str, Any]:
    return {"unit_id": uid, "name": f"单位{uid}", "category": category}


def person(pid: str, uid: str = "U1") -> dict[str, Any]:
    return {"person_id": pid, "name": f"人员{pid}", "unit_id": uid}


def project(jid: str, uid: str = "U1", **extra: Any) -> dict[str, Any]:
    return {"project_id": jid, "name": f"项目{jid}", "unit_id": uid, **extra}


points = builders.points
result = builders.result
