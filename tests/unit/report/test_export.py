"""CSV and XLSX reports: BOM, Chinese intact, numbers as numbers, formulas neutralised."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import dxe_eval
from dxe_eval.report.csv import BOM, csv_text, write_csv
from dxe_eval.report.sheets import report_tables, safe, summary_table
from dxe_eval.report.xlsx import (
    DECIMALS,
    FOOTER,
    PERCENT,
    column_widths,
    display_width,
    numeric_columns,
    write_xlsx,
)
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
    # the header row and 类型, 编号, 名称 (columns A–C) stay on screen
    assert ws.freeze_panes == "D2"
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


@pytest.fixture(scope="module")
def example_xlsx(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any]:
    ev = dxe_eval.evaluate()
    path = write_xlsx(ev, tmp_path_factory.mktemp("xlsx") / "报告.xlsx")
    return ev, load_workbook(path)


def test_example_xlsx_prints_fit_to_width(example_xlsx: tuple[Any, Any]) -> None:
    _, wb = example_xlsx
    assert len(wb.sheetnames) == 7  # six report tables and 运行信息
    for ws in wb:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9  # A4 in the OOXML paper codes
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), ws.title
        assert ws.print_title_rows == "$1:$1"  # the header row on every printed page
        assert ws.oddFooter.center.text == FOOTER == "第 &P 页 / 共 &N 页"
        assert ws.freeze_panes is not None and ws.freeze_panes.endswith("2")


def _columns(ws: Any) -> dict[str, list[Any]]:
    headers = [c.value for c in ws[1]]
    cols: dict[str, list[Any]] = {h: [] for h in headers}
    for row in ws.iter_rows(min_row=2):
        for h, cell in zip(headers, row, strict=True):
            cols[h].append(cell)
    return cols


def test_example_xlsx_numbers_ids_and_not_applicable(example_xlsx: tuple[Any, Any]) -> None:
    ev, wb = example_xlsx
    for name in SHEETS:  # 运行信息 is a list of items and values of every sort
        for header, cells in _columns(wb[name]).items():
            values = [c.value for c in cells if c.value is not None]
            if header in ("编号", "单位编号", "所属单位"):
                assert values and all(isinstance(v, str) for v in values), (name, header)
                assert all(c.number_format == "@" for c in cells), (name, header)
            if any(isinstance(v, int | float) for v in values):
                # a numeric column: numbers only, never the text 不适用
                assert all(isinstance(v, int | float) for v in values), (name, header)
                for c in cells:
                    if c.value is None:
                        continue
                    # two decimals at most (36.36363636… is written 36.36); a percentage
                    # is a fraction of four (8.888…% is 0.0889)
                    places = 4 if c.number_format == PERCENT else 2
                    assert round(c.value, places) == c.value, (name, c.coordinate, c.value)
    total = wb["总分"]
    cols = _columns(total)
    # P007 (处室): 项目有小结 does not apply (no project of P007 finished in the period):
    # an empty cell with a comment, the column still numeric
    row = next(i for i, c in enumerate(cols["编号"]) if c.value == "P007")
    na = cols["项目有小结"][row]
    assert na.value is None and na.comment is not None and "不适用" in na.comment.text
    assert cols["总分"][row].number_format == DECIMALS
    card = ev.scorecard("P007")
    assert cols["总分"][row].value == round(card.total, 2)
    # 明细: the rule by its title, the id in brackets
    detail = _columns(wb["明细"])
    assert {c.value for c in detail["规则"]} >= {"时效（timeliness）", "满意度（satisfaction）"}
    # 预警与通报: late-response's value 25.0 (%, "响应超时率 25.0%") written as 0.25
    findings = _columns(wb["预警与通报"])
    rates = [c for c in findings["数值"] if c.number_format == PERCENT]
    assert 0.25 in [c.value for c in rates]
    # unrectified counts bad reviews (3 条): not a percentage
    i = next(i for i, c in enumerate(findings["阈值"]) if c.value == "逾期未整改（unrectified）")
    assert findings["数值"][i].value in (1, 3) and findings["数值"][i].number_format != PERCENT


def test_numeric_columns_leave_ids_and_text_alone() -> None:
    from dxe_eval.report.present import Table

    t = Table(
        "t", ("编号", "得分", "理由", "混合"), (("0012", 1.5, "x", 1), ("0013", "不适用", "y", "z"))
    )
    assert numeric_columns(t) == {1}


def test_ids_stay_text(tmp_path: Path) -> None:
    units = builders.units(("0012", "处室", 12), ("0013", "处室"))
    ev = builders.evaluate({"units": units, "people": []})
    wb = load_workbook(write_xlsx(ev, tmp_path / "r.xlsx"))
    ids = [c.value for c in _columns(wb["总分"])["编号"]]
    assert sorted(ids) == ["0012", "0013"]


def test_example_tables_name_rules_and_thresholds_by_title(example_xlsx: tuple[Any, Any]) -> None:
    """CSV and XLSX hold the same tables: no rule or threshold id outside brackets in any
    text cell (ids in brackets: 时效（timeliness）); the English half after " / " and
    module paths (dxe_eval.rules.ledger) are not mentions."""
    ev, wb = example_xlsx
    ids = {*ev.registry.rules, *ev.registry.thresholds}
    bracketed = re.compile(r"（[^（）]*）|\([^()]*\)")

    def bare(text: str) -> list[str]:
        rest = text.split(" / ")[0]
        while (out := bracketed.sub(" ", rest)) != rest:
            rest = out
        return [i for i in ids if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w-]|\.\w)", rest)]

    assert bare("阈值 escalation") == ["escalation"]  # the scan finds one
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for v in row:
                if isinstance(v, str):
                    assert not bare(v), (ws.title, v)
    # 表彰建议名单's 决定因素 in words: 总分 decides most places in the example
    decided = {r[10] for r in wb["表彰建议名单"].iter_rows(min_row=2, values_only=True)}
    assert "总分" in decided and not decided & {"total", "tie"}
