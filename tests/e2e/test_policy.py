"""Policy staff's commands end to end: check, compare, sensitivity, test, plugins, validity."""

from __future__ import annotations

import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders

RULESETS = builders.ROOT / "tests" / "data" / "rulesets"
PLUGIN = builders.ROOT / "plugins" / "dxe-eval-innovation"
PLUGIN_RULESET = PLUGIN / "rulesets" / "hubei-2022-innovation.toml"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
    return subprocess.run(
        [exe, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_check_names_three_problems_at_once() -> None:
    out = run("check", str(RULESETS / "three-problems.toml"))
    assert out.returncode == 1
    lines = [ln for ln in out.stderr.splitlines() if "three-problems.toml" in ln]
    assert len(lines) == 3, out.stderr
    text = "\n".join(lines)
    assert "[rules.satisfaction] full_att" in text and "did you mean 'full_at'" in text
    assert "[rules] points" in text and "add up to 99" in text
    assert "[thresholds.late-response] criticize" in text and "increase strictly" in text
    assert "共 3 个问题" in out.stderr


def test_evaluate_is_guarded_by_the_same_checks() -> None:
    out = run("evaluate", "--ruleset", str(RULESETS / "three-problems.toml"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "full_att" in out.stderr and "add up to 99" in out.stderr


def test_compare_satisfaction_35_lists_rank_changes() -> None:
    out = run(
        "compare", "--ruleset", "hubei-2022", "--ruleset", str(RULESETS / "satisfaction-35.toml")
    )
    assert out.returncode == 0, out.stderr
    assert "名次变化" in out.stdout and ("↑" in out.stdout or "↓" in out.stdout)
    assert "== 表彰名单变化 ==" in out.stdout and "== 预警变化 ==" in out.stdout


def test_compare_timeliness_25_changes_a_list_json() -> None:
    # J01: summary 6/6, evaluation 5/5, satisfaction 30/30, timeliness 11.09/20 (the
    # supervision rule does not apply) → base 52.09 × 100 / 61 = 85.39, + bonus 3 = 88.39.
    # With satisfaction 25 and timeliness 25: each timeliness part is 25/20 of what it
    # was, rounded to cents (13.86 of 25); base (6 + 5 + 25 + 13.86) × 100 / 61 = 81.74,
    # + 3 = 84.74 < 85: J01 leaves the list, nobody enters (the next is below 85 too)
    out = run(
        "compare",
        "--ruleset",
        "hubei-2022",
        "--ruleset",
        str(RULESETS / "timeliness-25.toml"),
        "--format",
        "json",
    )
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["ruleset_b"]["id"] == "hubei-2022-timeliness-25"
    project = next(lc for lc in d["lists"] if lc["kind"] == "project")
    assert [e["candidate_id"] for e in project["left"]] == ["J01"]
    assert project["entered"] == []
    moved = [c for c in d["candidates"] if c["rank_change"]]
    assert moved and {"total_a", "total_b", "change", "rank_a", "rank_b"} <= set(moved[0])


def test_compare_needs_two_rulesets() -> None:
    out = run("compare", "--ruleset", "hubei-2022")
    assert out.returncode == 2


def test_sensitivity() -> None:
    out = run("sensitivity", "--runs", "60", "--spread", "50%", "--seed", "2", "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["runs"] == 60 and d["spread"] == 0.5
    assert sum(w["base"] for w in d["weights"].values()) == 100
    assert all(0 <= s["share"] <= 1 and s["commended_base"] for s in d["stays"])
    assert all(not s["commended_base"] and s["times"] > 0 for s in d["enters"])
    table = run("sensitivity", "--runs", "20")
    assert table.returncode == 0 and "保持入选的比例" in table.stdout


def test_sensitivity_rejects_a_bad_spread() -> None:
    out = run("sensitivity", "--spread", "150%")
    assert out.returncode == 2 and "spread" in out.stderr


def test_test_command_passes_on_shipped_cases() -> None:
    out = run("test", str(builders.ROOT / "rulesets"))
    assert out.returncode == 0, out.stdout + out.stderr
    assert out.stdout.count("PASS") >= 6


def test_test_command_reports_expected_vs_got(tmp_path: Path) -> None:
    src = (builders.ROOT / "rulesets" / "hubei-2022.cases.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.cases.toml"
    ruleset = (builders.ROOT / "rulesets" / "hubei-2022.toml").as_posix()
    text = f'ruleset = "{ruleset}"\n' + src.replace(
        "U1 = { timeliness = 20 }", "U1 = { timeliness = 19 }"
    )
    bad.write_text(text, encoding="utf-8")
    out = run("test", str(bad))
    assert out.returncode == 1
    assert "points U1 timeliness: expected 19, got 20" in out.stdout
    assert "FAIL" in out.stdout


def test_disabled_plugins_are_listed() -> None:
    out = run("plugins", "--json", "--disable-plugin", "dxe_eval.rules.satisfaction")
    assert out.returncode == 0, out.stderr
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["dxe_eval.rules.satisfaction"]["enabled"] is False
    assert rows["dxe_eval.rules.timeliness"]["enabled"] is True
    table = run("plugins", "--disable-plugin", "dxe_eval.rules.satisfaction")
    assert "已停用" in table.stdout


def _plugin_installed() -> bool:
    return "innovation" in {ep.name for ep in importlib.metadata.entry_points(group="dxe_eval")}


@pytest.mark.skipif(not _plugin_installed(), reason="dxe-eval-innovation not installed")
def test_installed_plugin_is_listed_and_used() -> None:
    out = run("plugins", "--json")
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["innovation"]["distribution"] == "dxe-eval-innovation"
    assert rows["innovation"]["rules"] == ["innovation-bonus"]
    assert run("check", str(PLUGIN_RULESET)).returncode == 0
    out = run("plugins", "--json", "--disable-plugin", "innovation")
    rows = {r["name"]: r for r in json.loads(out.stdout)}
    assert rows["innovation"]["enabled"] is False


@pytest.mark.parametrize("how", ["option", "env"])
def test_plugin_ruleset_without_the_plugin(how: str) -> None:
    if how == "option":
        out = run("check", str(PLUGIN_RULESET), "--disable-plugin", "innovation")
    else:
        out = run(
            "evaluate",
            "--ruleset",
            str(PLUGIN_RULESET),
            env={"DXE_EVAL_DISABLE_PLUGINS": "innovation"},
        )
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "no plugin provides rule 'innovation-bonus'" in out.stderr
    assert "no plugin provides threshold 'stale-capability'" in out.stderr


def test_plugin_ruleset_with_the_plugin_not_installed(monkeypatch, capsys) -> None:
    """As if the package were not installed: no ``innovation`` entry point at all."""
    from dxe_eval import cli

    real = importlib.metadata.entry_points

    def without(**kw):
        eps = real(**kw)
        if kw.get("group") == "dxe_eval":
            return importlib.metadata.EntryPoints(e for e in eps if e.name != "innovation")
        return eps

    monkeypatch.setattr(importlib.metadata, "entry_points", without)
    assert cli.main(["check", str(PLUGIN_RULESET)]) == 1
    err = capsys.readouterr().err
    assert "no plugin provides rule 'innovation-bonus'" in err
    assert cli.main(["plugins", "--json"]) == 0
    assert "innovation" not in {r["name"] for r in json.loads(capsys.readouterr().out)}


def test_period_outside_validity_warns_and_strict_fails(tmp_path: Path) -> None:
    path = tmp_path / "moved.toml"
    path.write_text(
        '[ruleset]\nid = "moved"\ntitle = "t"\nextends = "hubei-2022"\n'
        "period = { start = 2022-01-01, end = 2022-12-31 }\n"
        "effective = { start = 2023-01-01 }\n"
        '[rules.timeliness]\nsource = "市场监管总局令第20号"\n'
        "effective = { start = 2020-01-01, end = 2021-12-31 }\n",
        encoding="utf-8",
    )
    out = run("evaluate", "--ruleset", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    warnings = json.loads(out.stdout)["warnings"]
    assert any("[ruleset]" in w and "2023-01-01" in w for w in warnings)
    assert any("[rules.timeliness]" in w and "市场监管总局令第20号" in w for w in warnings)
    strict = run("evaluate", "--ruleset", str(path), "--strict")
    assert strict.returncode == 1 and "有效期" in strict.stderr
