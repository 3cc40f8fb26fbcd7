#!/usr/bin/env python3
"""Build ``examples/hubei-2022.xlsx`` from the CSV folder ``hubei-2022/`` (the package links to it).

The workbook holds the same data as the CSV files, the way supervision staff
keep it in Excel: one sheet per record type named by its Chinese label
(``单位``, ``服务需求``, …), Chinese column headers, a merged title row above
each header, dates and times as Excel dates, whole numbers as numbers and
yes/no columns as TRUE/FALSE. ``dxe_eval.evaluate`` gives the same scores,
findings and commendation for the workbook as for the folder.

Deterministic: the document's timestamps and the zip entries' dates are fixed,
so running the script twice gives byte-identical files.

Usage:  python examples/build_workbook.py
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from dxe_eval.files import save_reproducibly
from dxe_eval.records import BUILTIN_RECORD_TYPES
from dxe_eval.schema import TRUE_WORDS, RecordType

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "hubei-2022"
# the one home: src/dxe_eval/data/examples/hubei-2022.xlsx is a symbolic link to it
TARGETS = (HERE / "hubei-2022.xlsx",)
FIXED = dt.datetime(2023, 1, 1, 0, 0, 0)
TITLE = "湖北省市场监管局金牌“店小二”服务 2022 年度考评（虚构示例数据）"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _value(text: str, kind: str) -> object:
    """The Excel value for a CSV cell of a column of type ``kind``; text that does not fit stays."""
    if text == "":
        return None
    try:
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "datetime":
            return dt.datetime.fromisoformat(text)
        if kind == "int":
            return int(text)
        if kind == "bool" and text.lower() in ("true", "false"):
            return text.lower() in TRUE_WORDS
    except ValueError:
        pass
    return text


def _sheet(wb: Workbook, rt: RecordType) -> None:
    path = SOURCE / f"{rt.name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    columns = [rt.column(h) for h in header]
    ws = wb.create_sheet(rt.label)
    ws.append([f"{TITLE}：{rt.label}"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(columns))
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.append([c.label for c in columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for row in body:
        ws.append([_value(text, c.type) for text, c in zip(row, columns, strict=True)])
    for i, col in enumerate(columns, start=1):
        letter = ws.cell(2, i).column_letter
        if col.type in ("date", "datetime"):
            fmt = "yyyy-mm-dd" if col.type == "date" else "yyyy-mm-dd hh:mm:ss"
            for (cell,) in ws.iter_rows(min_row=3, min_col=i, max_col=i):
                cell.number_format = fmt
        width = 20 if col.type == "datetime" else 12 if col.type == "date" else 14
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"


def build() -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for rt in BUILTIN_RECORD_TYPES:
        _sheet(wb, rt)
    wb.properties.creator = "dxe_eval examples/build_workbook.py"
    return save_reproducibly(wb, FIXED)


def main() -> int:
    data = build()
    for target in TARGETS:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target.relative_to(HERE.parent)} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
