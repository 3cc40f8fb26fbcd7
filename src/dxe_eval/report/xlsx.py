"""The XLSX report: every report table as a sheet of one workbook, plus the run's information.

**Safe export**: text cells are written by :func:`~dxe_eval.report.sheets.safe`, so a
spreadsheet never runs one as a formula; the control characters an XLSX file cannot
hold are replaced.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

from wcwidth import wcswidth

from dxe_eval.files import replacing
from dxe_eval.report.present import Cell, cell_text
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.report.sheets import report_tables, run_table
from dxe_eval.report.yoy import Previous, with_previous
from dxe_eval.result import Evaluation

MIN_WIDTH: Final = 6
MAX_WIDTH: Final = 60


def display_width(value: Cell) -> int:
    """Columns a cell's text takes on screen: a Chinese character counts two."""
    text = cell_text(value)
    width = max((wcswidth(line) for line in text.splitlines() or [""]), default=0)
    return width if width >= 0 else len(text) * 2


def column_widths(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> list[int]:
    """A width per column that fits its header and its cells, within bounds."""
    widths = [display_width(h) for h in headers]
    for row in rows:
        for i, v in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], display_width(v))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def _xlsx_cell(value: Cell) -> Cell:
    """A cell without the control characters an XLSX file cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # lazy: start-up (openpyxl, 0.3 s)

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def write_xlsx(ev: Evaluation, path: str | Path, *, previous: Previous | None = None) -> Path:
    """Every report table as a sheet of one workbook, plus the run's information; with
    ``previous`` the 总分 sheet has 上期总分 and 同比 columns (:mod:`dxe_eval.report.yoy`)."""
    # lazy: start-up — openpyxl takes 0.3 s to import; only a workbook needs it
    from openpyxl import Workbook  # lazy: start-up
    from openpyxl.styles import Font, PatternFill  # lazy: start-up
    from openpyxl.utils import get_column_letter  # lazy: start-up

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    tables = [*report_tables(ev), run_table(ev)]
    if previous:
        tables[0] = with_previous(tables[0], previous)
    for table in tables:
        ws = wb.create_sheet(table.name)
        ws.append(list(table.headers))
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
        for row in table.rows:
            ws.append([_xlsx_cell(v) for v in row])
        ws.freeze_panes = "A2"
        if table.rows:
            last = get_column_letter(len(table.headers))
            ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        for i, width in enumerate(column_widths(table.headers, table.rows), start=1):
            ws.column_dimensions[get_column_letter(i)].width = width
    path = Path(path)
    with replacing(path) as f:
        wb.save(f)
    return path


def _write(ev: Evaluation, path: str, options: ReportOptions) -> list[Path]:
    return [write_xlsx(ev, path, previous=options.previous)]


REPORTER: Final = Reporter(
    name="xlsx",
    title="一个工作簿，每表一页（需 --output） / one workbook, a sheet per table (needs --output)",
    write=_write,
)
