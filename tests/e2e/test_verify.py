"""``dxe-eval verify``: a saved result re-runs to the same result, or the report says what moved."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dxe_eval.cli import main
from tests import builders

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _exe() -> str:
    return shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def saved(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the example data and the JSON result of evaluating it."""
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    result = tmp_path / "result.json"
    assert main(["evaluate", "--data", str(data), "--format", "json", "--output", str(result)]) == 0
    return data, result


def test_installed_command_reproduces_then_names_the_changed_candidate(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    result = tmp_path / "result.json"
    out = subprocess.run(
        [_exe(), "evaluate", "--data", str(data), "--format", "json", "--output", str(result)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr

    # change one cell: U11's first survey answer rated 非常满意 becomes 非常不满意
    surveys = data / "surveys.csv"
    lines = surveys.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if ",U11," in line and ",非常满意," in line)
    response, _, _, _, handler, *_ = lines[at].split(",")
    lines[at] = lines[at].replace(",非常满意,", ",非常不满意,")
    surveys.write_text("\n".join(lines) + "\n", encoding="utf-8")

    out = subprocess.run(
        [_exe(), "verify", str(result)], capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    text = out.stdout
    assert "not reproduced" in text
    assert "surveys.csv: sha256" in text
    assert "U11 (unit):" in text
    assert "rule satisfaction:" in text and "total:" in text
    # the answer counts for U11 and its handler; through the pooled 满意率 of their peer
    # groups it also moves the small-sample units and people of 市州局 (completed to 10
    # ratings at the pool), and nobody outside that category
    assert f"{handler} (person):" in text and response in text
    named = set(re.findall(r"^  (\S+) \((?:unit|person|project)\):$", text, re.MULTILINE))
    units = {r["unit_id"]: r["category"] for r in _rows(data / "units.csv")}
    people = {r["person_id"]: r["unit_id"] for r in _rows(data / "people.csv")}
    category = {**units, **{p: units[u] for p, u in people.items()}}
    assert {"U11", handler} <= named
    assert {category[c] for c in named} == {"市州局"}
    assert f"candidates that differ: {len(named)}" in text


def test_reproduced(saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    _, result = saved
    rc, out, err = _cli(capsys, "verify", str(result))
    assert rc == 0, out + err
    assert out.startswith("已复现 / reproduced:")


def test_the_bundled_example_needs_no_data_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = tmp_path / "r.json"
    assert main(["evaluate", "--format", "json", "--output", str(result)]) == 0
    manifest = json.loads(result.read_text(encoding="utf-8"))["manifest"]
    assert manifest["data"]["example"] == "hubei-2022"
    assert manifest["ruleset"]["shipped"] == "hubei-2022"
    rc, out, _ = _cli(capsys, "verify", str(result))
    assert rc == 0 and "reproduced" in out


def test_moved_data_needs_the_data_option(
    saved: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data, result = saved
    moved = tmp_path / "moved"
    data.rename(moved)
    rc, out, err = _cli(capsys, "verify", str(result))
    assert rc == 1 and out == "" and "--data" in err and "Traceback" not in err
    rc, out, _ = _cli(capsys, "verify", str(result), "--data", str(moved))
    assert rc == 0 and "reproduced" in out


def test_a_relative_data_path_is_found_beside_the_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(EXAMPLE, tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert main(["evaluate", "--data", "data", "--format", "json", "--output", "r.json"]) == 0
    monkeypatch.chdir(tmp_path.parent)
    rc, out, _ = _cli(capsys, "verify", str(tmp_path / "r.json"))
    assert rc == 0 and "reproduced" in out


def test_another_ruleset_is_reported(
    saved: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, result = saved
    rs = tmp_path / "other.toml"
    rs.write_text(
        '[ruleset]\nextends = "hubei-2022"\nid = "hubei-2022"\n'
        "[rules.satisfaction]\npoints = 25\n[rules.timeliness]\npoints = 25\n",
        encoding="utf-8",
    )
    rc, out, _ = _cli(capsys, "verify", str(result), "--ruleset", str(rs))
    assert rc == 1
    assert "ruleset changed: fingerprint" in out
    assert "rule timeliness:" in out


def test_an_added_row_is_an_input_change(
    saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    data, result = saved
    with (data / "media.csv").open("a", encoding="utf-8") as f:
        f.write("M999,人民日报,national,2022-06-01,U05,,新报道,\n")
    rc, out, _ = _cli(capsys, "verify", str(result))
    assert rc == 1
    assert "media.csv: sha256" in out
    assert "U05 (unit):" in out and "rule media-bonus:" in out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"", "not a JSON result"), (b"[1, 2]", "no manifest"), (b'{"manifest": 1}', "no manifest")],
)
def test_not_a_result(
    content: bytes, fragment: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "r.json"
    f.write_bytes(content)
    rc, out, err = _cli(capsys, "verify", str(f))
    assert rc == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and fragment in err and "r.json" in err


@pytest.mark.parametrize(
    ("damage", "where"),
    [
        (lambda d: d.update(scorecards="x"), "scorecards: expected a list, got str"),
        (lambda d: d.update(commendation=[]), "commendation: expected an object, got list"),
        (lambda d: d.update(findings=[None]), "findings[0]: expected an object, got null"),
        (lambda d: d["scorecards"][0]["rules"][0].pop("rule"), "scorecards[0].rules[0].rule"),
        (lambda d: d["manifest"].update(inputs="x"), "manifest.inputs"),
        (lambda d: d["manifest"].update(ruleset="x"), "manifest.ruleset"),
        (lambda d: d["manifest"]["data"].update(path=123), "manifest.data.path"),
        (lambda d: d["manifest"].update(plugins=[1]), "manifest.plugins[0]"),
        (lambda d: d["manifest"].update(calendar=[]), "manifest.calendar"),
        (lambda d: d["manifest"]["inputs"][0].update(file=[1]), "manifest.inputs[0].file"),
        (lambda d: d["scorecards"][1].update(rules={}), "scorecards[1].rules"),
        (lambda d: d["scorecards"][2]["rules"][0].update(rule=["x"]), "scorecards[2].rules"),
        (lambda d: d["findings"][0].pop("level"), "findings[0].level: missing"),
        (lambda d: d.update(excluded=[{"reasons": [1]}]), "excluded[0].reasons[0]"),
        (lambda d: d["near_misses"].update(unit=["U1"]), "near_misses.unit[0]"),
        (lambda d: d["commendation"].update(unit=[{"rank": 1}]), "commendation.unit[0]"),
    ],
    ids=[
        "scorecards-text",
        "commendation-list",
        "finding-null",
        "rule-without-id",
        "inputs-text",
        "ruleset-text",
        "data-path-number",
        "plugin-number",
        "calendar-list",
        "input-file-list",
        "rules-object",
        "rule-id-list",
        "finding-without-level",
        "reason-number",
        "near-miss-text",
        "entry-without-id",
    ],
)
def test_a_damaged_result_is_named_not_a_traceback(
    damage, where: str, saved: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    # a result edited by hand, or cut: its shape is checked before the data are read again,
    # and the error names where it departs from what evaluate writes
    _, result = saved
    d = json.loads(result.read_text(encoding="utf-8"))
    if not d["findings"]:
        d["findings"] = [{"threshold": "late-response", "level": "warning"}]
    damage(d)
    result.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    rc, out, err = _cli(capsys, "verify", str(result))
    assert rc == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "result.json" in err
    assert "not in the shape of a dxe-eval JSON result" in err and where in err


def test_manifest_is_deterministic_and_complete(saved: tuple[Path, Path], tmp_path: Path) -> None:
    data, result = saved
    again = tmp_path / "again.json"
    assert main(["evaluate", "--data", str(data), "--format", "json", "--output", str(again)]) == 0
    assert result.read_bytes() == again.read_bytes()
    m = json.loads(result.read_text(encoding="utf-8"))["manifest"]
    assert set(m) >= {
        "dxe_eval",
        "python",
        "plugins",
        "calendar",
        "ruleset",
        "period",
        "timezone",
        "data",
        "inputs",
    }
    assert {p["name"] for p in m["plugins"]} >= {"dxe_eval.rules.satisfaction"}
    assert all(p["version"] for p in m["plugins"])
    assert m["calendar"]["version"]
    assert m["ruleset"]["fingerprint"] and m["ruleset"]["shipped"] == "hubei-2022"
    assert m["data"] == {"path": str(data), "example": None}
    names = sorted(p.name for p in data.iterdir() if p.suffix == ".csv")
    assert [i["file"] for i in m["inputs"]] == names
    for i in m["inputs"]:
        assert len(i["sha256"]) == 64 and i["rows"] >= 0
