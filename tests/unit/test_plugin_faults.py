"""Plugin faults are contained: each stops the run with one line naming the plugin and the rule.

Fixture plugins live in tests/fixtures/plugins. They are registered directly
(``get_registry(autoload=False, extra=[module])``) for the API, and as entry
points for the command line: ``importlib.metadata.entry_points`` is
monkeypatched, and one test puts a real ``.dist-info`` on the path of a
separate ``dxe-eval`` process.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace
from typing import Any

import pytest

from dxe_eval.cli import main
from dxe_eval.errors import PluginError, PluginLoadError, RuleError
from dxe_eval.manager import ENTRY_POINT_GROUP, get_registry
from tests import builders
from tests.fixtures.plugins import faulty

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "plugins"
PLUGIN = "tests.fixtures.plugins.faulty"
RECORDS = {
    "units": builders.units(("U1", "处室", 10), ("U2", "市州局", 20)),
    "people": [{"person_id": "P1", "name": "张敏", "unit_id": "U1"}],
}

RULE_FAULTS = {
    "fault-raises": "ZeroDivisionError: division by zero",
    "fault-multiline": "ValueError: first line ⏎ second line",
    "fault-over-max": "points 3.0 exceed the maximum 2.0",
    "fault-negative": "points -0.5 is negative",
    "fault-nan": "points nan is not a number",
    "fault-not-result": "returned dict, not RuleResult",
    "fault-wrong-max": "max 4.0 differs from the rule's maximum 2.0",
    "fault-collect-raises": "collect raised KeyError",
    "fault-collect-list": "collect must return a polars DataFrame",
    "fault-collect-no-ids": "collect must return a polars DataFrame",
}
THRESHOLD_FAULTS = {
    "fault-unknown-level": "unknown level 'banish'",
    "fault-assess-raises": "RuntimeError: threshold exploded",
    "fault-not-assessment": "returned str, not Assessment",
}


def _registry() -> Any:
    return get_registry(autoload=False, extra=[faulty])


def _one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# ---------------------------------------------------------------------------
# the API
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("rule", sorted(RULE_FAULTS))
def test_rule_fault_raises_rule_error(rule: str) -> None:
    reg = _registry()
    with pytest.raises(RuleError) as info:
        builders.evaluate(RECORDS, {"rules": {rule: {"cap": 2.0}}}, reg=reg)
    err = info.value
    assert (err.rule_id, err.plugin) == (rule, PLUGIN)
    assert RULE_FAULTS[rule] in str(err)
    _one_line(str(err))
    if "collect" not in rule:  # a scoring fault names the candidate it happened on
        assert err.candidate_id in {"U1", "U2", "P1"}


@pytest.mark.parametrize("threshold", sorted(THRESHOLD_FAULTS))
def test_threshold_fault_raises_rule_error(threshold: str) -> None:
    reg = _registry()
    with pytest.raises(RuleError) as info:
        builders.evaluate(RECORDS, {"thresholds": {threshold: {}}}, reg=reg)
    assert (info.value.rule_id, info.value.plugin) == (threshold, PLUGIN)
    assert THRESHOLD_FAULTS[threshold] in str(info.value)


def test_a_faulty_plugin_that_is_not_enabled_changes_nothing() -> None:
    plain = builders.evaluate(RECORDS)
    with_faulty = builders.evaluate(RECORDS, reg=_registry())
    assert [c.total for c in plain.scorecards] == [c.total for c in with_faulty.scorecards]


@pytest.mark.parametrize(
    ("module", "fragment"),
    [
        ("register_raises", "raised in dxe_eval_register_rules: ValueError: cannot build"),
        ("register_junk", "returned dict from dxe_eval_register_rules, expected Rule"),
        ("misspelled_hook", "dxe_eval_register_rulez"),
        ("duplicate_rule", "rule 'satisfaction' is registered by both"),
    ],
)
def test_registration_faults(module: str, fragment: str) -> None:
    mod = importlib.import_module(f"tests.fixtures.plugins.{module}")
    with pytest.raises(PluginError) as info:
        get_registry(autoload=False, extra=[mod])
    assert fragment in str(info.value)
    assert module in str(info.value)


# ---------------------------------------------------------------------------
# entry points (simulated) and the command line
# ---------------------------------------------------------------------------


class FakeEntryPoint:
    """Just what the manager reads of an entry point: name, dist, load()."""

    group = ENTRY_POINT_GROUP

    def __init__(self, name: str, module: str, dist: str, version: str = "0.3") -> None:
        self.name, self.value = name, module
        self.dist = SimpleNamespace(name=dist, version=version)

    def load(self) -> ModuleType:
        return importlib.import_module(self.value)


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> list[FakeEntryPoint]:
    """Entry points to add to the real ones of the ``dxe_eval`` group."""
    added: list[FakeEntryPoint] = []
    real = importlib.metadata.entry_points

    def fake(**kwargs: Any) -> Any:
        found = real(**kwargs)
        if kwargs.get("group") == ENTRY_POINT_GROUP:
            return [*found, *added]
        return found

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    monkeypatch.delenv("DXE_EVAL_DISABLE_PLUGINS", raising=False)
    return added


def _data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "units.csv").write_text("unit_id,name,category\nU1,甲,处室\n", encoding="utf-8")
    return folder


def _ruleset(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "faulty.toml"
    f.write_text(f'[ruleset]\nextends = "hubei-2022"\nid = "faulty"\n{body}', encoding="utf-8")
    return f


def test_import_failure_names_entry_point_and_distribution(
    entry_points: list[FakeEntryPoint],
) -> None:
    entry_points.append(
        FakeEntryPoint("broken", "tests.fixtures.plugins.import_fails", "dxe-eval-broken")
    )
    with pytest.raises(PluginLoadError) as info:
        get_registry()
    assert (info.value.entry_point, info.value.distribution) == ("broken", "dxe-eval-broken")
    assert "ImportError" in str(info.value)


def test_cli_import_failure(
    entry_points: list[FakeEntryPoint],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry_points.append(
        FakeEntryPoint("broken", "tests.fixtures.plugins.import_fails", "dxe-eval-broken")
    )
    data = _data(tmp_path)
    rc = main(["evaluate", "--data", str(data)])
    err = _one_line(capsys.readouterr().err)
    assert rc == 1
    assert "'broken'" in err and "dxe-eval-broken" in err and "加载失败" in err
    # the way out: disable it by name
    monkeypatch.setenv("DXE_EVAL_DISABLE_PLUGINS", "broken")
    assert main(["evaluate", "--data", str(data)]) == 0
    capsys.readouterr()
    monkeypatch.delenv("DXE_EVAL_DISABLE_PLUGINS")
    assert main(["evaluate", "--data", str(data), "--disable-plugin", "broken"]) == 0


@pytest.mark.parametrize(
    ("table", "fragment"),
    [
        ("[rules.fault-nan]\ncap = 2.0\n", "points nan is not a number"),
        ("[rules.fault-raises]\n", "ZeroDivisionError"),
        ("[rules.fault-multiline]\n", "first line ⏎ second line"),
        ("[rules.fault-collect-list]\n", "collect must return a polars DataFrame"),
        ("[thresholds.fault-unknown-level]\n", "unknown level 'banish'"),
    ],
)
def test_cli_rule_fault_is_one_line_naming_plugin_and_rule(
    table: str,
    fragment: str,
    entry_points: list[FakeEntryPoint],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    entry_points.append(FakeEntryPoint("faulty", PLUGIN, "dxe-eval-faulty"))
    rule = table.split(".", 1)[1].split("]", 1)[0]
    rs = _ruleset(tmp_path, table)
    rc = main(["evaluate", "--data", str(_data(tmp_path)), "--ruleset", str(rs)])
    out = capsys.readouterr()
    err = _one_line(out.err)
    assert rc == 1 and out.out == ""
    assert f"rule {rule!r} from plugin 'faulty' failed" in err
    assert f"插件 faulty 的规则 {rule} 出错" in err
    assert fragment in err


def test_plugins_command_lists_the_simulated_distribution(
    entry_points: list[FakeEntryPoint], capsys: pytest.CaptureFixture[str]
) -> None:
    entry_points.append(FakeEntryPoint("faulty", PLUGIN, "dxe-eval-faulty", "0.3"))
    assert main(["plugins"]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("faulty "))
    assert "dxe-eval-faulty" in line and "0.3" in line


def test_real_entry_point_in_a_separate_process(tmp_path: Path) -> None:
    """A .dist-info on PYTHONPATH is an installed distribution to importlib.metadata."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURES / "broken_dist" / "src" / "dxe_eval_broken", site / "dxe_eval_broken")
    info = site / "dxe_eval_broken-0.0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: dxe-eval-broken\nVersion: 0.0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[dxe_eval]\nbroken = dxe_eval_broken\n", encoding="utf-8"
    )
    exe = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("DXE_EVAL_DISABLE_PLUGINS", None)
    out = subprocess.run(
        [exe, "evaluate", "--data", str(_data(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 1
    err = _one_line(out.stderr)
    assert "'broken'" in err and "dxe-eval-broken" in err
    assert "RuntimeError: dxe_eval_broken cannot start" in err
