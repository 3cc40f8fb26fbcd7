"""Rulesets: structure, every problem named with file/table/key, inheritance."""

from __future__ import annotations

from pathlib import Path

import pytest

from dxe_eval.errors import RulesetError, RulesetProblems
from dxe_eval.ruleset import build_ruleset, check_ruleset, load_ruleset
from tests import builders


def _problems(over=None, drop=()):
    raw = builders.merge(builders.default_raw(), over or {})
    for path in drop:
        section, key = path.split(".", 1)
        del raw[section][key]
    _, problems = build_ruleset(raw, builders.registry(), file="r.toml")
    return problems


def test_default_ruleset_loads() -> None:
    rs = load_ruleset(builders.DEFAULT_RULESET, builders.registry())
    assert rs.id == "hubei-2022"
    assert rs.source == "鄂市监质〔2022〕32号"
    assert rs.rules["satisfaction"].points == 30
    assert len(rs.fingerprint) == 16


def test_three_problems_in_one_check() -> None:
    problems = _problems(
        {
            "rules": {"satisfaction": {"pointz": 30}, "timeliness": {"points": 19}},
            "thresholds": {"late-response": {"warning": 20.0, "criticize": 5.0}},
        }
    )
    text = "\n".join(str(p) for p in problems)
    assert "pointz" in text and "did you mean 'points'" in text
    assert "99" in text  # 8+8+8+6+10+5+5+30+19 = 99
    assert any(p.table == "thresholds.late-response" for p in problems)


def test_unknown_rule_suggests_nearest() -> None:
    problems = _problems({"rules": {"satisfacton": {"points": 1}}})
    assert any("did you mean 'satisfaction'" in str(p) for p in problems)


def test_wrong_type_named() -> None:
    (p,) = [p for p in _problems({"rules": {"ledger": {"days": 1.5}}}) if p.key == "days"]
    assert p.table == "rules.ledger"


def test_missing_required_value() -> None:
    problems = _problems(drop=("ruleset.period",))
    assert any(p.key == "period" for p in problems)


def test_malformed_toml(tmp_path: Path) -> None:
    f = tmp_path / "bad.toml"
    f.write_text("[ruleset\nid = 1", encoding="utf-8")
    with pytest.raises(RulesetError, match="malformed TOML"):
        load_ruleset(f, builders.registry())


def test_extends_overrides_and_drops(tmp_path: Path) -> None:
    f = tmp_path / "child.toml"
    f.write_text(
        '[ruleset]\nextends = "hubei-2022"\nid = "child"\n'
        "[rules.satisfaction]\npoints = 35\n"
        "[rules.publicity]\nenabled = false\n",
        encoding="utf-8",
    )
    rs = load_ruleset(f, builders.registry())
    assert rs.id == "child" and rs.rules["satisfaction"].points == 35
    assert "publicity" not in rs.rules
    assert rs.rules["timeliness"].points == 20  # inherited


def test_extends_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('[ruleset]\nextends = "b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text('[ruleset]\nextends = "a.toml"\n', encoding="utf-8")
    with pytest.raises(RulesetError, match="cycle"):
        load_ruleset(tmp_path / "a.toml", builders.registry())


def test_extends_outside_folder(tmp_path: Path) -> None:
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "a.toml").write_text('[ruleset]\nextends = "../b.toml"\n', encoding="utf-8")
    (tmp_path / "b.toml").write_text("[ruleset]\n", encoding="utf-8")
    problems = check_ruleset(sub / "a.toml", builders.registry())
    assert problems and "outside" in str(problems[0])


def test_load_raises_all_problems() -> None:
    raw = builders.merge(
        builders.default_raw(),
        {"rules": {"ledger": {"dayz": 1}}, "effects": {"veto_levels": ["publish"]}},
    )
    _, problems = build_ruleset(raw, builders.registry())
    assert len(problems) == 2
    with pytest.raises(RulesetProblems):
        raise RulesetProblems(problems)


def test_shipped_copy_matches_rulesets_folder() -> None:
    shipped = builders.ROOT / "src" / "dxe_eval" / "data" / "rulesets" / "hubei-2022.toml"
    assert shipped.read_bytes() == builders.DEFAULT_RULESET.read_bytes()
