"""Excel in and out through the installed command: the example workbook, csv/xlsx/html reports,
the template, and no progress line when stderr is not a terminal."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

import dxe_eval
from tests import builders

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"
WORKBOOK = builders.ROOT / "examples" / "hubei-2022.xlsx"
PACKAGED = builders.ROOT / "src" / "dxe_eval" / "data" / "examples" / "hubei-2022.xlsx"
SHEETS = ["总分", "明细", "预警与通报", "表彰建议名单", "未入选原因", "数据问题"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    exe = shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")
    return subprocess.run([exe, *args], capture_output=True, cwd=cwd, timeout=180)


def _without_manifest(d: dict) -> dict:
    """The document without its manifest, the rejected rows without the file and row they
    were read at (the example's one rejected ledger entry is row 555 of ledger.csv and
    row 556 of the workbook's 台账 sheet, below its title row)."""
    out = {k: v for k, v in d.items() if k != "manifest"}
    out["rejected"] = [
        {k: v for k, v in r.items() if k not in ("file", "row")} for r in d["rejected"]
    ]
    return out


#: what ``evaluate`` says on stderr for the example: notes (its small peer groups, the
#: rating replaced, the summary not counted) and the count of its one rejected row
NOTES = ("提示 / note:".encode(), "提示：1 行数据被拒收（台账 1 行）".encode())


def test_example_workbook_gives_the_same_result_as_the_csv_folder() -> None:
    a = dxe_eval.to_dict(dxe_eval.evaluate(EXAMPLE))
    b = dxe_eval.to_dict(dxe_eval.evaluate(WORKBOOK))
    for key in ("scorecards", "findings", "commendation", "near_misses", "excluded", "records"):
        assert a[key] == b[key], key
    assert _without_manifest(a) == _without_manifest(b)
    assert {i["file"].split(":")[0] for i in b["manifest"]["inputs"]} == {"hubei-2022.xlsx"}


def test_same_json_through_the_command() -> None:
    a = run("evaluate", "--data", str(EXAMPLE), "--format", "json")
    b = run("evaluate", "--data", str(WORKBOOK), "--format", "json")
    assert a.returncode == 0 and b.returncode == 0, b.stderr.decode()
    da, db = json.loads(a.stdout), json.loads(b.stdout)
    assert _without_manifest(da) == _without_manifest(db)
    # only notes, no progress line nor anything else
    assert all(line.startswith(NOTES) for line in b.stderr.splitlines())


def test_workbook_is_packaged_and_reproducible() -> None:
    assert WORKBOOK.read_bytes() == PACKAGED.read_bytes()
    spec = importlib.util.spec_from_file_location(
        "build_workbook", builders.ROOT / "examples" / "build_workbook.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.build() == WORKBOOK.read_bytes(), "run python examples/build_workbook.py"
    wb = load_workbook(WORKBOOK, read_only=True)
    assert wb.sheetnames[:3] == ["单位", "人员", "项目"]


def test_csv_to_stdout_starts_with_a_bom() -> None:
    out = run("evaluate", "--format", "csv")
    assert out.returncode == 0, out.stderr.decode()
    assert out.stdout.startswith(b"\xef\xbb\xbf\xe7\xb1\xbb\xe5\x9e\x8b")  # BOM, then 类型
    # no progress line, nothing but notes
    assert all(line.startswith(NOTES) for line in out.stderr.splitlines())


def test_csv_folder(tmp_path: Path) -> None:
    out = run("evaluate", "--format", "csv", "--output", f"{tmp_path}/报表/")
    assert out.returncode == 0, out.stderr.decode()
    assert sorted(p.stem for p in (tmp_path / "报表").iterdir()) == sorted(SHEETS)


@pytest.mark.parametrize("fmt", ["xlsx", "html"])
def test_file_formats_need_output(fmt: str) -> None:
    out = run("evaluate", "--format", fmt)
    err = out.stderr.decode()
    assert out.returncode == 2
    assert "--output" in err and "Traceback" not in err
    assert out.stdout == b""


def test_xlsx_report_from_the_workbook(tmp_path: Path) -> None:
    target = tmp_path / "报告.xlsx"
    out = run("evaluate", "--data", str(WORKBOOK), "--format", "xlsx", "--output", str(target))
    assert out.returncode == 0, out.stderr.decode()
    wb = load_workbook(target)
    assert wb.sheetnames[: len(SHEETS)] == SHEETS
    rows = list(wb["表彰建议名单"].iter_rows(min_row=2, values_only=True))
    assert ("先进单位", "建议表彰") in {(r[0], r[1]) for r in rows}
    assert "\r" not in out.stderr.decode() and "\x1b" not in out.stderr.decode()


def test_html_report(tmp_path: Path) -> None:
    target = tmp_path / "报告.html"
    out = run("evaluate", "--format", "html", "--output", str(target))
    assert out.returncode == 0, out.stderr.decode()
    page = target.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in page and "<svg" in page
    assert "先进单位" in page and "湖北省产品质量监督检验研究院" in page


def test_template_command(tmp_path: Path) -> None:
    out = run("template", "--output", "模板.xlsx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr.decode()
    wb = load_workbook(tmp_path / "模板.xlsx")
    assert "服务需求" in wb.sheetnames and "满意度测评" in wb.sheetnames
    again = run("template", "--output", "模板.xlsx", cwd=tmp_path)
    assert again.returncode == 1 and "--force" in again.stderr.decode()
    forced = run("template", "--output", "模板.xlsx", "--force", cwd=tmp_path)
    assert forced.returncode == 0
    # the empty template is a valid (empty) data set; the units sheet is there but empty
    filled = tmp_path / "filled.xlsx"
    wb["单位"].append(["U01", "质量发展处", "处室"])
    wb.save(filled)
    res = run("evaluate", "--data", str(filled), "--format", "json")
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout)["records"]["units"]["accepted"] == 1
