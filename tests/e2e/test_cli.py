"""The installed ``dxe-eval`` command on the bundled example and on bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_version() -> None:
    out = run("--version")
    assert out.returncode == 0 and out.stdout.startswith("dxe-eval ")


def test_evaluate_json_shape() -> None:
    out = run("evaluate", "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert set(d["ruleset"]) >= {"id", "title", "fingerprint"}
    for counts in d["records"].values():
        assert counts["read"] == counts["accepted"] + counts["rejected"]
    card = d["scorecards"][0]
    assert set(card) >= {"candidate_id", "kind", "name", "category", "total", "bonus", "rules"}
    assert set(card["rules"][0]) >= {"rule", "points", "max", "reason", "evidence"}
    assert set(d["commendation"]) == {"unit", "person", "project"}
    assert isinstance(d["findings"], list) and isinstance(d["excluded"], list)
    for f in d["findings"]:
        assert f["level"] in ("warning", "rectify", "criticize")


def test_evaluate_table_is_chinese() -> None:
    # the default view is the summary (its list titles); --full has every table
    out = run("evaluate")
    assert out.returncode == 0, out.stderr
    assert "先进单位：建议表彰 3 名" in out.stdout and "预警与通报 8 条" in out.stdout
    out = run("evaluate", "--full")
    assert out.returncode == 0, out.stderr
    assert "单位得分" in out.stdout and "表彰建议名单" in out.stdout


def test_example_folder_equals_packaged_example() -> None:
    packaged = builders.ROOT / "src" / "dxe_eval" / "data" / "examples" / "hubei-2022"
    names = sorted(p.name for p in EXAMPLE.iterdir())
    assert names == sorted(p.name for p in packaged.iterdir())
    for name in names:
        assert (EXAMPLE / name).read_bytes() == (packaged / name).read_bytes(), name


def test_one_malformed_row(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    req = data / "requests.csv"
    lines = req.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    col = header.index("received_at")
    cells = lines[5].split(",")
    cells[col] = "2022-13-45 10:00:00"
    lines[5] = ",".join(cells)
    req.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("evaluate", "--data", str(data), "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    bad_id = cells[0]
    first = [r for r in d["rejected"] if r["record_type"] == "requests"]
    assert first == [
        {
            "record_type": "requests",
            "file": "requests.csv",
            "row": 6,
            "column": "received_at",
            "reason": first[0]["reason"],
        }
    ]
    assert "2022-13-45" in first[0]["reason"]
    # rows that refer to the rejected request are rejected too, naming it (besides the
    # example's own rejected row: a ledger entry dated before its request's receipt)
    for r in d["rejected"]:
        if r["record_type"] != "requests" and not r["reason"].startswith("台账登记日期"):
            assert r["column"] == "request_id" and bad_id in r["reason"]
    assert d["records"]["requests"]["rejected"] == 1
    assert len(d["scorecards"]) > 0
    strict = run("evaluate", "--data", str(data), "--strict")
    assert strict.returncode != 0 and "Traceback" not in strict.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("commend",),
        ("explain", "U01"),
        ("compare", "--ruleset", "hubei-2022", "--ruleset", "hubei-2022"),
        ("sensitivity", "--runs", "2"),
    ],
)
def test_every_command_that_reads_data_says_rows_were_rejected(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    # only evaluate said so; the others dropped the rejected rows without a word
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    req = data / "requests.csv"
    lines = req.read_text(encoding="utf-8").splitlines()
    cells = lines[5].split(",")
    cells[lines[0].split(",").index("received_at")] = "2022-13-45 10:00:00"
    lines[5] = ",".join(cells)
    req.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run(*args, "--data", str(data))
    assert out.returncode == 0, out.stderr
    # the bad request, and a visit and a survey that refer to it; and the example's own
    # rejected ledger entry (dated before its request's receipt)
    assert "4 row(s) rejected" in out.stderr and "requests 1" in out.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "--data", "/nonexistent/folder"),
        ("evaluate", "--ruleset", "/nonexistent.toml"),
        ("evaluate", "--ruleset", "hubei-2O22"),
        ("explain", "NOPE"),
    ],
)
def test_errors_are_one_line_without_traceback(args: tuple[str, ...]) -> None:
    out = run(*args)
    assert out.returncode != 0
    assert "Traceback" not in out.stderr
    # the error is one line (besides the note that the example has a rejected row)
    lines = [ln for ln in out.stderr.splitlines() if not ln.startswith("提示")]
    assert len(lines) == 1, out.stderr


def test_explain_timeliness_18_25() -> None:
    # U07: 40 requests, 1 answered late (2.5 %): response 14 × (1 − 2.5/20) = 12.25;
    # none closed past its limit: completion 6; 12.25 + 6 = 18.25
    out = run("explain", "U07")
    assert out.returncode == 0, out.stderr
    assert "18.25 / 20" in out.stdout and "R00365" in out.stdout


def test_explain_a_request_in_lower_case() -> None:
    # R00384: received Fri 2022-10-14, first answered Thu 10-20: 4 working days (17–20)
    out = run("explain", "r00384")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("服务需求 R00384（requests.csv 第 385 行）")
    assert "4 个工作日（响应时限 2 个工作日，超时）" in out.stdout
    out = run("explain", "R0384")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "是否要找 R00384？" in out.stderr


@pytest.mark.parametrize("given", [" U07", "U07 ", "\u3000U07\u3000"])
def test_explain_strips_the_id_as_cells_are(given: str) -> None:
    # cells are read stripped (str.strip_chars: U+3000 is whitespace too), so " U07" is U07
    out = run("explain", given)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("U07 ")


def test_explain_a_rejected_candidate_names_its_row(tmp_path: Path) -> None:
    # U12 is line 13 of units.csv (header line 1, U01 line 2); without its name (a required
    # column) the row is rejected and U12 is not evaluated: say so, not "no such id"
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    units = data / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    assert lines[12].startswith("U12,")
    cells = lines[12].split(",")
    cells[1] = ""
    lines[12] = ",".join(cells)
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run("explain", "U12", "--data", str(data))
    assert out.returncode != 0 and "Traceback" not in out.stderr
    said = "对象 U12 未参加评价：其数据行被拒收（units.csv 第 13 行：必填项 name 为空"
    assert said in out.stderr
    assert "'U12' was not evaluated: its row was rejected (units.csv row 13:" in out.stderr
    assert "did you mean" not in out.stderr


@pytest.mark.parametrize(
    "args", [("commend",), ("commend", "--format", "json"), ("explain", "U01")]
)
def test_commend_and_explain_print_the_warnings(args: tuple[str, ...], tmp_path: Path) -> None:
    # a column units.csv does not define is ignored with a warning; neither the lists nor
    # an explanation have a 提示 part, so it goes to stderr, as evaluate --format json does
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE, data)
    units = data / "units.csv"
    lines = units.read_text(encoding="utf-8").splitlines()
    lines = [lines[0] + ",备注"] + [line + "," for line in lines[1:]]
    units.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = run(*args, "--data", str(data))
    assert out.returncode == 0, out.stderr
    assert "提示 / note: 文件 units.csv 中的列 备注 不在数据格式中，已忽略" in out.stderr
    assert "提示 / note" not in out.stdout


def test_check_default_ruleset() -> None:
    out = run("check", str(builders.DEFAULT_RULESET))
    assert out.returncode == 0, out.stderr


RULESETS = sorted((builders.ROOT / "rulesets").glob("*.toml"))
RULESETS = [p for p in RULESETS if not p.name.endswith(".cases.toml")]
DATA_SETS = [EXAMPLE, builders.ROOT / "examples" / "hubei-2022.xlsx"]


@pytest.mark.parametrize("ruleset", RULESETS, ids=[p.stem for p in RULESETS])
@pytest.mark.parametrize("data", DATA_SETS, ids=[p.name for p in DATA_SETS])
def test_every_shipped_ruleset_on_every_example(ruleset: Path, data: Path) -> None:
    out = run("evaluate", "--data", str(data), "--ruleset", str(ruleset), "--format", "json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    # the one row the example is made to have rejected: L00554, dated before its request
    assert [(r["record_type"], r["column"]) for r in d["rejected"]] == [("ledger", "recorded_on")]
    assert d["scorecards"]
