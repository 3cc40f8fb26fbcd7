"""Small in-memory data sets and rulesets for tests, built from a few records by hand."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from dxe_eval.engine import prepare, run
from dxe_eval.manager import Registry, get_registry
from dxe_eval.model import Candidate, RuleResult, Scorecard, ScoredRule
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import build_ruleset

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RULESET = ROOT / "rulesets" / "hubei-2022.toml"


def registry() -> Registry:
    """Built-in plugins only (entry points are not loaded)."""
    return get_registry(autoload=False)


def default_raw() -> dict[str, Any]:
    """The default ruleset as a raw dict, to change in a test."""
    return tomllib.loads(DEFAULT_RULESET.read_text(encoding="utf-8"))


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out


def ruleset(
    over: dict[str, Any] | None = None,
    *,
    reg: Registry | None = None,
    raw: dict[str, Any] | None = None,
) -> Any:
    """The default ruleset with ``over`` merged in; raises AssertionError on problems."""
    reg = reg or registry()
    data = merge(raw if raw is not None else default_raw(), over or {})
    rs, problems = build_ruleset(data, reg, file="<test>")
    assert not problems, [str(p) for p in problems]
    return rs


def units(*specs: tuple[str, str] | tuple[str, str, int]) -> list[dict[str, Any]]:
    """Units from (id, category[, staff_count])."""
    out = []
    for spec in specs:
        uid, cat = spec[0], spec[1]
        row: dict[str, Any] = {"unit_id": uid, "name": f"单位{uid}", "category": cat}
        if len(spec) > 2:
            row["staff_count"] = spec[2]
        out.append(row)
    return out


def evaluate(
    records: dict[str, list[dict[str, Any]]],
    over: dict[str, Any] | None = None,
    *,
    reg: Registry | None = None,
) -> Evaluation:
    """Evaluate in-memory records under the default ruleset with ``over`` merged in."""
    reg = reg or registry()
    rs = ruleset(over, reg=reg)
    data = {"units": [], "people": [], "projects": [], **records}
    return run(prepare(data, rs, reg), rs, reg)


def points(ev: Evaluation, candidate_id: str, rule: str) -> float:
    card = ev.scorecard(candidate_id)
    assert card is not None, candidate_id
    scored = card.rule(rule)
    assert scored is not None, (candidate_id, rule)
    return scored.result.points


def result(ev: Evaluation, candidate_id: str, rule: str) -> Any:
    card = ev.scorecard(candidate_id)
    assert card is not None, candidate_id
    scored = card.rule(rule)
    assert scored is not None, (candidate_id, rule)
    return scored.result


def card(
    cid: str,
    total: float,
    *,
    kind: str = "unit",
    cat: str = "所",
    unit: str | None = None,
    staff: int | None = None,
    sat: float = 30.0,
    time: float = 20.0,
    name: str | None = None,
) -> Scorecard:
    """A scorecard by hand for the commendation's tests: satisfaction ``sat`` of 30 and
    timeliness ``time`` of 20, its total ``total``; a unit is its own unit by default."""
    # a project completed in the period (only those may be 优秀项目)
    done = dt.date(2022, 6, 30) if kind == "project" else None
    cand = Candidate(
        candidate_id=cid,
        kind=kind,
        name=f"名{cid}" if name is None else name,
        category=cat,
        unit_id=unit or cid,
        staff_count=staff,
        completed_on=done,
    )
    rules = (
        ScoredRule(
            rule="satisfaction",
            title="满意度",
            plugin="test",
            bonus=False,
            result=RuleResult(points=sat, max=30.0, reason=""),
        ),
        ScoredRule(
            rule="timeliness",
            title="时效",
            plugin="test",
            bonus=False,
            result=RuleResult(points=time, max=20.0, reason=""),
        ),
    )
    return Scorecard(
        candidate=cand, rules=rules, base=total, bonus=0.0, deductions=0.0, total=total
    )
