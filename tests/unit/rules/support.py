"""Small in-memory records for the rule tests, evaluated under the default ruleset."""

from __future__ import annotations

from typing import Any

from tests import builders

registry = builders.registry
raw = builders.default_raw
evaluate = builders.evaluate


def unit(uid: str = "U1", category: str = "处室") -> dict[str, Any]:
    return {"unit_id": uid, "name": f"单位{uid}", "category": category}


def person(pid: str, uid: str = "U1") -> dict[str, Any]:
    return {"person_id": pid, "name": f"人员{pid}", "unit_id": uid}


def project(jid: str, uid: str = "U1", **extra: Any) -> dict[str, Any]:
    return {"project_id": jid, "name": f"项目{jid}", "unit_id": uid, **extra}


points = builders.points
result = builders.result
