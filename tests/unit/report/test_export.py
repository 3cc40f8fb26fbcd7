"""CSV and XLSX reports: BOM, Chinese intact, numbers as numbers, formulas neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dxe_eval.report.csv import BOM, csv_text, write_csv
from dxe_eval.report.sheets import report_tables, safe, summary_table
from dxe_eval.report.xlsx import column_widths, display_width, write_xlsx
from tests import builders

SHEETS = ["总分", "明细", "预警与通报", "表彰建议名单", "未入选原因", "数据问题"]
EVIL = '=HYPERLINK("http://x","点我")'


@pytest.fixture(scope="module")
def ev():
    units = builders.units(("U1", "处室", 12), ("U2", "-2+3"), ("U3", "@SUM(A1)"))
    units[0]["name"] = EVIL
    units[1]["name"] = "+质量发展处"
    people = [{"person_id": "P1", "name": "-张敏", "unit_id": "U1"}]
    # no declared categories: the formula-like categories reach the export, to be neutralised
    no_categories = {"peer_groups": {"categories": []}}
    return builders.evaluate({"units": units, "people": people}, no_categories)


@pytest.mark.parametrize(
    "value,out",
    [
        ("=1+1", "'=1+1"),
        ("+86 27", "'+86 27"),
        ("-5", "'-5"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("质量发展处", "质量发展处"),
        ("a=b", "a=b"),
        ("—", "—"),  # an em dash is not a minus
        (-5, -5),
        (-2.5, -2.5),
        (0, 0),
        (None, None),
        (True, "是"),
    ],
)
def test_safe(value, out) -> None:
    assert safe(value) == out


def test_csv_starts_with_bom_and_keeps_chinese(ev, tmp_path: Path) -> None:
    (path,) = write_csv(ev, tmp_path / "总分.csv")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:4] == ["类型", "编号", "名称", "类别"]
    names = {r[1]: r[2] for r in rows[1:]}
    assert names["U1"] == "'" + EVIL
    assert names["U2"] == "'+质量发展处"
    assert names["P1"] == "'-张敏"
    categories = {r[1]: r[3] for r in rows[1:]}
    assert categories["U2"] == "'-2+3" and categories["U3"] == "'@SUM(A1)"
    # totals are plain numbers
    total = rows[0].index("总分")
    assert all(float(r[total]) >= 0 for r in rows[1:])


def test_csv_folder_gets_every_table(ev, tmp_path: Path) -> None:
    written = write_csv(ev, str(tmp_path / "out") + "/")
    assert [p.stem for p in written] == SHEETS
    for p in written:
        assert p.read_bytes().startswith(b"\xef\xbb\xbf"), p


def test_csv_text_is_crlf_with_bom(ev) -> None:
    text = csv_text(summary_table(ev))
    assert text.startswith(BOM) and "\r\n" in text


def test_xlsx_sheets_chinese_numbers_and_no_formulas(ev, tmp_path: Path) -> None:
    path = write_xlsx(ev, tmp_path / "报告.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[: len(SHEETS)] == SHEETS
    ws = wb["总分"]
    assert ws.freeze_panes == "A2"
    headers = [c.value for c in ws[1]]
    assert headers[:4] == ["类型", "编号", "名称", "类别"]
    rows = {r[1]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["U1"][2] == "'" + EVIL
    assert rows["U1"][0] == "单位"
    total = headers.index("总分")
    assert all(isinstance(r[total], int | float) for r in rows.values())
    for sheet in wb:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    # widths fit Chinese text: 武汉… counts two columns a character
    assert ws.column_dimensions["A"].width >= display_width("类型")


def test_display_width_counts_chinese_double() -> None:
    assert display_width("质量") == 4
    assert display_width("ab") == 2
    assert display_width(12.5) == 4
    assert column_widths(["名称"], [["湖北省产品质量监督检验研究院"]]) == [28 + 2]


def test_tables_hold_every_candidate_and_rule(ev) -> None:
    tables = {t.name: t for t in report_tables(ev)}
    assert list(tables) == SHEETS
    assert len(tables["总分"].rows) == len(ev.scorecards)
    assert len(tables["明细"].rows) == sum(len(c.rules) for c in ev.scorecards)
    for t in tables.values():
        assert all(len(r) == len(t.headers) for r in t.rows), t.name
