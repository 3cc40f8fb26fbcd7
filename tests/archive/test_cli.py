"""The archive through the installed ``dxe-eval`` command, on a copy of the example without
its ``sanctions.csv``.

By hand, from the example's README and ``examples/example_2021.py``: U10 had 25 requests in
2021, 2 not delivered: 2 / 25 = 8.0 % > 5 % → 责令改正 (``not-delivered``); in 2022 4 of 45 (2
not delivered, 1 closed past its limit, 1 open past it): 8.9 % > 5 % → 责令改正 again. With the
2021 run published (on 2022-01-01, the day after its period) and no sanctions file, the 2022
run's escalation reads that order (dated by its period's end, 2021-12-31: within the 12 months
before 2022-01-01): 通报批评.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import builders

EXAMPLE = builders.ROOT / "examples" / "hubei-2022"
RUN1 = "run 1 2021-01-01–2021-12-31 的 not-delivered 责令改正"


def exe() -> str:
    return shutil.which("dxe-eval") or str(Path(sys.executable).parent / "dxe-eval")


def dxe(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([exe(), *args], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in out.stderr, out.stderr
    return out


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLE, tmp_path / "数据")
    (tmp_path / "数据" / "sanctions.csv").unlink()
    return tmp_path


def _archive_args(target: str, folder: Path) -> list[str]:
    """``--archive`` alone for the SQLite file beside the data folder, else the URL."""
    return ["--archive"] if target.endswith(".sqlite") else ["--archive", target]


def _target(target: str, folder: Path) -> str:
    return str(folder / "dxe-eval.sqlite") if target.endswith(".sqlite") else target


def test_2021_then_2022_escalates_from_the_archive(target: str, folder: Path) -> None:
    arch = _archive_args(target, folder)
    t = _target(target, folder)
    out = dxe(
        folder, "evaluate", "--data", "数据", "--ruleset", "hubei-2021", *arch, "--format", "json"
    )
    assert out.returncode == 0, out.stderr
    first = json.loads(out.stdout)
    assert [
        (f["threshold"], f["level"]) for f in first["findings"] if f["candidate_id"] == "U10"
    ] == [("not-delivered", "rectify")]
    assert "run 1（草稿" in out.stderr and "既往处理（来自评价档案" in out.stderr
    out = dxe(folder, "archive", "publish", "1", "--by", "督审处", "--archive", t)
    assert out.returncode == 0 and "发布日期 2022-01-01" in out.stdout, out.stderr

    out = dxe(folder, "evaluate", "--data", "数据", *arch, "--format", "json")
    assert out.returncode == 0, out.stderr
    second = json.loads(out.stdout)
    u10 = {f["threshold"]: f for f in second["findings"] if f["candidate_id"] == "U10"}
    assert u10["not-delivered"]["level"] == "rectify"
    assert u10["escalation"]["level"] == "criticize"
    assert f"上次处理（2022-01-01，{RUN1}）亦为责令改正" in u10["escalation"]["reason"]
    assert second["records"]["sanctions"] == {"read": 0, "accepted": 0, "rejected": 0, "blanked": 0}
    assert any("既往处理（来自评价档案" in w for w in second["warnings"])

    out = dxe(folder, "archive", "publish", "2", "--by", "督审处", "--archive", t)
    assert out.returncode == 0, out.stderr
    out = dxe(folder, "history", "U10", "--archive", t)
    assert out.returncode == 0, out.stderr
    assert "2021-01-01–2021-12-31" in out.stdout and "2022-01-01–2022-12-31" in out.stdout
    assert "通报批评（escalation）" in out.stdout
    total = {
        d: next(c["total"] for c in doc["scorecards"] if c["candidate_id"] == "U10")
        for d, doc in (("2021", first), ("2022", second))
    }
    assert f"{total['2022'] - total['2021']:+.2f}" in out.stdout  # the 同比 column
    data = json.loads(dxe(folder, "history", "U10", "--archive", t, "--format", "json").stdout)
    assert [r["run"]["id"] for r in data["runs"]] == [1, 2]

    # a published run is its period's result: another run of 2022 needs --supersede --reason
    assert dxe(folder, "evaluate", "--data", "数据", *arch, "--format", "json").returncode == 0
    out = dxe(folder, "archive", "publish", "3", "--by", "督审处", "--archive", t)
    assert out.returncode == 1 and "--supersede" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1

    # export gives back what was stored; xlsx and html render it
    exported = json.loads(dxe(folder, "archive", "export", "2", "--archive", t).stdout)
    assert exported == second
    for fmt in ("xlsx", "html"):
        out = dxe(
            folder,
            "archive",
            "export",
            "2",
            "--format",
            fmt,
            "--output",
            f"r.{fmt}",
            "--archive",
            t,
        )
        assert out.returncode == 0 and (folder / f"r.{fmt}").stat().st_size > 1000, out.stderr
    page = (folder / "r.html").read_text(encoding="utf-8")
    assert "湖北省市场监管" in page
    # run 1 is the published run of the period before: the report compares with it
    assert 'id="yoy"' in page and "run 1（2021-01-01–2021-12-31" in page
    change = f"{total['2022'] - total['2021']:+.2f}"
    assert change in page
    from openpyxl import load_workbook

    sheet = load_workbook(folder / "r.xlsx")["总分"]
    headers = [c.value for c in sheet[1]]
    u10 = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "U10")
    assert u10[headers.index("上期总分")] == total["2021"]
    assert f"{u10[headers.index('同比')]:+.2f}" == change
    out = dxe(folder, "archive", "diff", "1", "2", "--archive", t, "--format", "json")
    assert out.returncode == 0, out.stderr
    listed = json.loads(dxe(folder, "archive", "list", "--archive", t, "--format", "json").stdout)
    assert [(r["id"], r["status"]) for r in listed] == [
        (1, "published"),
        (2, "published"),
        (3, "draft"),
    ]


def test_rectifications_from_a_file(target: str, folder: Path) -> None:
    t = _target(target, folder)
    arch = _archive_args(target, folder)
    assert (
        dxe(
            folder,
            "evaluate",
            "--data",
            "数据",
            "--ruleset",
            "hubei-2021",
            *arch,
            "--format",
            "json",
        ).returncode
        == 0
    )
    assert dxe(folder, "archive", "publish", "1", "--by", "甲", "--archive", t).returncode == 0
    (folder / "整改.csv").write_text(
        "评价编号,对象编号,整改日期,整改说明\n1,U10,2022-01-10,已补办\n1,U99,2022-01-10,\n",
        encoding="utf-8",
    )
    out = dxe(folder, "archive", "rectify", "--file", "整改.csv", "--archive", t)
    # the second row names a candidate without a finding: refused, and so is the first
    assert out.returncode == 1 and "整改.csv row 3" in out.stderr and "U99" in out.stderr
    (folder / "整改.csv").write_text(
        "run_id,candidate_id,rectified_on,note\n1,U10,2022-01-10,已补办\n", encoding="utf-8"
    )
    out = dxe(folder, "archive", "rectify", "--file", "整改.csv", "--archive", t)
    assert out.returncode == 0 and "1 条" in out.stdout, out.stderr
    out = dxe(folder, "evaluate", "--data", "数据", *arch, "--format", "json")
    u10 = {f["threshold"] for f in json.loads(out.stdout)["findings"] if f["candidate_id"] == "U10"}
    # rectified 2022-01-10, 5 working days after 2022-01-01 (≤ 15): no unrectified finding
    assert u10 == {"not-delivered", "escalation"}


def test_reading_a_missing_archive_is_one_line(tmp_path: Path) -> None:
    out = dxe(tmp_path, "archive", "show", "1")
    assert out.returncode == 1 and "评价档案不存在" in out.stderr
    assert not (tmp_path / "dxe-eval.sqlite").exists()
