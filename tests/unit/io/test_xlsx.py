"""Reading ``.xlsx`` workbooks: sheet and header names in Chinese or English, Excel cell types,
title rows above the header, rejections naming sheet, row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from dxe_eval.errors import DataError
from dxe_eval.read.dataset import read_dataset
from dxe_eval.read.xlsx import cell_text
from tests import builders


def _types():
    return builders.registry().record_types


def _workbook(path: Path, sheets: dict[str, list[list[Any]]], title: dict[str, str] | None = None):
    """Write ``sheets`` (name → rows, the first row the header); ``title`` adds a merged row 1."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        if title and name in title:
            ws.append([title[name]])
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


UNITS_ZH = [
    ["单位编号", "单位名称", "类别", "人数"],
    ["U1", "质量发展处", "处室", 24.0],
    ["U2", "武汉市市场监督管理局", "市州局", 30],
]


@pytest.mark.parametrize(
    "value,text",
    [
        (None, None),
        (True, "true"),
        (False, "false"),
        (24.0, "24"),
        (24, "24"),
        (1.5, "1.5"),
        (dt.datetime(2022, 9, 30, 0, 0), "2022-09-30"),
        (dt.datetime(2022, 9, 30, 10, 15), "2022-09-30 10:15:00"),
        # Excel's float noise: 10:14:59.9996 is 10:15:00
        (dt.datetime(2022, 9, 30, 10, 14, 59, 999600), "2022-09-30 10:15:00"),
        (dt.date(2022, 9, 30), "2022-09-30"),
        ("R0001", "R0001"),
    ],
)
def test_cell_text(value: Any, text: str | None) -> None:
    assert cell_text(value) == text


def test_chinese_sheets_headers_excel_dates_and_numbers(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "数据.xlsx",
        {
            "单位": UNITS_ZH,
            "服务需求": [
                ["需求编号", "单位编号", "接收时间", "首次响应时间"],
                ["R1", "U1", dt.datetime(2022, 9, 30, 10, 15), "2022/10/8 9:30"],
            ],
            "回访": [
                ["回访编号", "回访日期", "需求编号", "是否联系上"],
                ["V1", dt.date(2022, 10, 9), "R1", True],
            ],
        },
    )
    ds = read_dataset(path, _types())
    assert ds.frames["units"]["staff_count"].to_list() == [24, 30]
    assert ds.frames["units"]["name"].to_list() == ["质量发展处", "武汉市市场监督管理局"]
    got = ds.frames["requests"]["received_at"][0]
    assert got.replace(tzinfo=None) == dt.datetime(2022, 9, 30, 10, 15)
    assert ds.frames["requests"]["responded_at"][0].replace(tzinfo=None) == dt.datetime(
        2022, 10, 8, 9, 30
    )
    assert ds.frames["visits"]["reached"].to_list() == [True]
    assert ds.frames["visits"]["visited_on"].to_list() == [dt.date(2022, 10, 9)]
    assert not ds.rejected and not ds.warnings
    assert {s.path for s in ds.sources} == {
        "数据.xlsx:单位",
        "数据.xlsx:服务需求",
        "数据.xlsx:回访",
    }
    assert all(s.encoding == "xlsx" for s in ds.sources)


def test_english_sheet_names_and_headers(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "data.xlsx",
        {"units": [["unit_id", "name", "category"], ["U1", "甲", "处室"]]},
    )
    ds = read_dataset(path, _types())
    assert ds.frames["units"]["unit_id"].to_list() == ["U1"]


def test_merged_title_row_is_skipped_and_rows_keep_sheet_numbers(tmp_path: Path) -> None:
    # row 1: merged title; row 2: header; rows 3, 4: records; row 5 blank; row 6: a bad date
    reqs = [
        ["需求编号", "单位编号", "接收时间"],
        ["R1", "U1", dt.datetime(2022, 9, 30, 10, 0)],
        ["R2", "U2", "2022-09-30 11:00"],
        [None, None, None],
        ["R3", "U1", "2022-13-45 10:00"],
    ]
    path = _workbook(
        tmp_path / "wb.xlsx",
        {"单位": UNITS_ZH, "服务需求": reqs},
        title={"单位": "2022 年度服务单位名单", "服务需求": "服务需求台账（2022）"},
    )
    ds = read_dataset(path, _types())
    assert ds.frames["units"]["unit_id"].to_list() == ["U1", "U2"]
    assert ds.frames["requests"]["_row"].to_list() == [3, 4]
    (rej,) = ds.rejected
    assert (rej.file, rej.row, rej.column) == ("wb.xlsx:服务需求", 6, "received_at")
    c = ds.counts["requests"]
    assert (c.read, c.accepted, c.rejected) == (3, 2, 1)


def test_unknown_reference_names_sheet_row_and_column(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "wb.xlsx",
        {"单位": UNITS_ZH, "人员": [["人员编号", "姓名", "单位编号"], ["P1", "张敏", "U9"]]},
    )
    ds = read_dataset(path, _types())
    (rej,) = ds.rejected
    assert (rej.file, rej.row, rej.column) == ("wb.xlsx:人员", 2, "unit_id")
    assert "U9" in rej.reason


def test_sheet_of_no_record_type_is_a_warning(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "wb.xlsx", {"单位": UNITS_ZH, "说明": [["请按模板填写"]]})
    ds = read_dataset(path, _types())
    assert any("说明" in w and "matches no record type" in w for w in ds.warnings)


def test_extra_column_is_a_warning_naming_the_sheet(tmp_path: Path) -> None:
    rows = [[*UNITS_ZH[0], "备注"], [*UNITS_ZH[1], "无"]]
    ds = read_dataset(_workbook(tmp_path / "wb.xlsx", {"单位": rows}), _types())
    assert any("wb.xlsx:单位" in w and "备注" in w for w in ds.warnings)


def test_missing_required_column_names_the_sheet(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "wb.xlsx",
        {"单位": UNITS_ZH, "服务需求": [["需求编号", "单位编号"], ["R1", "U1"]]},
    )
    with pytest.raises(DataError) as info:
        read_dataset(path, _types())
    assert info.value.file == "wb.xlsx:服务需求"
    assert info.value.column == "received_at"


def test_header_below_ten_blank_rows_is_an_error_not_an_empty_sheet(tmp_path: Path) -> None:
    # rows 1-12 blank, the header on row 13: the sheet was called empty and its rows lost
    wb = Workbook()
    wb.remove(wb.active)
    units = wb.create_sheet("单位")
    for row in UNITS_ZH:
        units.append(row)
    reqs = wb.create_sheet("服务需求")
    for r, row in enumerate([["需求编号", "单位编号", "接收时间"], ["R1", "U1", "2022-09-30"]]):
        for c, value in enumerate(row, start=1):
            reqs.cell(row=13 + r, column=c, value=value)
    path = tmp_path / "wb.xlsx"
    wb.save(path)
    with pytest.raises(DataError) as info:
        read_dataset(path, _types())
    assert (info.value.file, info.value.row) == ("wb.xlsx:服务需求", 13)
    assert "first 10 rows" in str(info.value)


def test_a_sheet_of_blank_rows_is_still_empty(tmp_path: Path) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    units = wb.create_sheet("单位")
    for row in UNITS_ZH:
        units.append(row)
    wb.create_sheet("服务需求").cell(row=15, column=2, value="  ")
    path = tmp_path / "wb.xlsx"
    wb.save(path)
    ds = read_dataset(path, _types())
    assert any("服务需求" in w and "empty" in w for w in ds.warnings)


def test_not_a_workbook_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(DataError) as info:
        read_dataset(path, _types())
    assert info.value.file == "broken.xlsx"


def test_workbook_inside_a_folder_is_read(tmp_path: Path) -> None:
    _workbook(tmp_path / "wb.xlsx", {"单位": UNITS_ZH})
    (tmp_path / "people.csv").write_text("person_id,name,unit_id\nP1,张敏,U1\n", encoding="utf-8")
    ds = read_dataset(tmp_path, _types())
    assert ds.frames["people"]["unit_id"].to_list() == ["U1"]
    assert ds.frames["units"].height == 2


def test_same_rows_as_csv_and_as_xlsx_give_the_same_frames(tmp_path: Path) -> None:
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    (csv_dir / "units.csv").write_text(
        "unit_id,name,category,staff_count\nU1,质量发展处,处室,24\nU2,武汉市市场监督管理局,市州局,30\n",
        encoding="utf-8",
    )
    (csv_dir / "surveys.csv").write_text(
        "response_id,unit_id,answered_on,rating,appeal_upheld\n"
        "S1,U1,2022-09-30,满意,true\nS2,U2,2022-10-01,5,false\n",
        encoding="utf-8",
    )
    xlsx = _workbook(
        tmp_path / "wb.xlsx",
        {
            "单位": UNITS_ZH,
            "满意度测评": [
                ["评价编号", "单位编号", "评价日期", "评价等级", "申诉成立"],
                ["S1", "U1", dt.datetime(2022, 9, 30), "满意", True],
                ["S2", "U2", dt.date(2022, 10, 1), 5, False],
            ],
        },
        title={"满意度测评": "满意度测评结果"},
    )
    a, b = read_dataset(csv_dir, _types()), read_dataset(xlsx, _types())
    for name in ("units", "surveys"):
        cols = [c for c in a.frames[name].columns if c not in ("_row", "_file")]
        assert a.frames[name].select(cols).equals(b.frames[name].select(cols)), name


def test_excel_lock_file_in_a_folder_is_ignored(tmp_path: Path) -> None:
    _workbook(tmp_path / "wb.xlsx", {"单位": UNITS_ZH})
    (tmp_path / "~$wb.xlsx").write_bytes(b"\x00lock")
    ds = read_dataset(tmp_path, _types())
    assert ds.frames["units"].height == 2
    assert any("~$wb.xlsx" in w for w in ds.warnings)


def test_a_formula_without_a_saved_value_is_rejected_not_read_as_empty(tmp_path: Path) -> None:
    # openpyxl writes a formula with no calculated value (<f>1+1</f><v/>); read with
    # data_only, such a cell was None: the required name of U2 "missing", the optional
    # staff count of U1 silently empty. Rows 2 and 3 (the header is row 1) are rejected,
    # naming the formula's column; U3 and the ignored column's formula do not matter.
    path = _workbook(
        tmp_path / "wb.xlsx",
        {
            "单位": [
                ["单位编号", "单位名称", "类别", "人数", "备注"],
                ["U1", "甲", "处室", "=1+1", ""],
                ["U2", '="乙"', "处室", 3, ""],
                ["U3", "丙", "处室", 4, "=1+2"],
            ]
        },
    )
    ds = read_dataset(path, _types())
    assert ds.frames["units"]["unit_id"].to_list() == ["U3"]
    assert [(r.row, r.column, r.ident) for r in ds.rejected] == [
        (2, "staff_count", "U1"),
        (3, "name", "U2"),
    ]
    assert all(
        "a formula without a saved value; open the workbook in Excel or WPS and save it" in r.reason
        and "公式没有保存的计算结果：请用 Excel 或 WPS 打开工作簿并保存" in r.reason
        for r in ds.rejected
    )


def test_a_workbook_without_formulas_is_read_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the formulas are loaded only when the sheets' XML holds a formula with no value
    import openpyxl

    from dxe_eval.read import xlsx

    loads: list[bool] = []
    real = openpyxl.load_workbook

    def counting(*args: Any, **kwargs: Any) -> Any:
        loads.append(kwargs.get("data_only", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counting)
    path = _workbook(tmp_path / "wb.xlsx", {"单位": UNITS_ZH})
    read_dataset(path, _types())
    assert loads == [True]
    assert not xlsx._may_hold_unsaved_formulas(path.read_bytes())
