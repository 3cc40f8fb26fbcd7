"""The XLSX report: every report table as a sheet of one workbook, plus the run's information.

**Safe export**: text cells are written by :func:`~dxe_eval.report.sheets.safe`, so a
spreadsheet never runs one as a formula; the control characters an XLSX file cannot
hold are replaced.

**It prints**: every sheet is set up for A4 landscape, fitted to one page wide (as many
pages down as it takes), its header row repeated on every page, "第 n 页 / 共 m 页" in
the footer; the header row (and the id and name columns) stay frozen on screen.

**Numbers are numbers**: a column whose cells are all numbers (or 不适用) is numeric:
its values are rounded to two decimals with the format ``0.00`` (whole numbers ``0``),
and 不适用 is an empty cell with a comment saying so, never text among the numbers (a sum
or a sort over the column works). A finding's value and limit that its reason prints
as a percentage (``响应超时率 25.0%``) are written as the fraction (0.25) with ``0.0%``.
Id columns (编号, 单位编号, 所属单位) are text with the format ``@``: ``0012`` stays
``0012``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from wcwidth import wcswidth

from dxe_eval.files import replacing
from dxe_eval.report.present import Cell, cell_text
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.report.sheets import NOT_APPLICABLE, Table, report_tables, run_table
from dxe_eval.report.yoy import Previous, with_previous
from dxe_eval.result import Evaluation

MIN_WIDTH: Final = 6
MAX_WIDTH: Final = 60
#: columns holding ids: written as text (format "@") so that 0012 stays 0012
ID_COLUMNS: Final = frozenset({"编号", "单位编号", "所属单位"})
#: a numeric column's formats: two decimals; whole numbers (ranks, counts, rows)
DECIMALS: Final = "0.00"
WHOLE: Final = "0"
PERCENT: Final = "0.0%"
FOOTER: Final = "第 &P 页 / 共 &N 页"
NA_NOTE: Final = "不适用（本项不适用于该对象，分值按比例分摊到其他项目） / not applicable"


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


def _number(value: Cell) -> Cell:
    """A numeric column's value: rounded to two decimals; 不适用 an empty cell."""
    if value == NOT_APPLICABLE:
        return None
    if isinstance(value, float):
        return round(value, 2)
    return value


def _whole_column(table: Table, i: int) -> bool:
    """Whether every number in column ``i`` is an ``int`` (ranks, counts, row numbers)."""
    return all(isinstance(row[i], int) for row in table.rows if row[i] not in (None, ""))


def _xlsx_cell(value: Cell) -> Cell:
    """A cell without the control characters an XLSX file cannot hold."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # lazy: start-up (openpyxl, 0.3 s)

    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def numeric_columns(table: Table) -> set[int]:
    """Indexes of the columns whose cells are all numbers, 不适用 or empty (at least one
    number); an id column never is."""
    out: set[int] = set()
    for i, header in enumerate(table.headers):
        if header in ID_COLUMNS:
            continue
        values = [row[i] for row in table.rows if row[i] not in (None, "", NOT_APPLICABLE)]
        if values and all(isinstance(v, int | float) for v in values):
            out.add(i)
    return out


def _percent_cells(table: Table) -> set[tuple[int, int]]:
    """(row, column) of a findings table's 数值 and 限值 that its reason prints with a
    ``%`` (``响应超时率 25.0%（> 20%）``): the threshold measures a rate."""
    if "原因" not in table.headers or "数值" not in table.headers:
        return set()
    reason = table.headers.index("原因")
    cols = [table.headers.index(h) for h in ("数值", "限值") if h in table.headers]
    value = table.headers.index("数值")
    out: set[tuple[int, int]] = set()
    for r, row in enumerate(table.rows):
        v, text = row[value], row[reason]
        if isinstance(v, int | float) and isinstance(text, str) and f"{v:.1f}%" in text:
            out.update((r, c) for c in cols)
    return out


def _set_up_printing(ws: Any, table: Table) -> None:
    """A4 landscape, one page wide, the header row on every page, page numbers."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"
    ws.print_options.gridLines = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = FOOTER
    ws.oddHeader.center.text = "&A"


def write_xlsx(ev: Evaluation, path: str | Path, *, previous: Previous | None = None) -> Path:
    """Every report table as a sheet of one workbook, plus the run's information; with
    ``previous`` the 总分 sheet has 上期总分 and 同比 columns (:mod:`dxe_eval.report.yoy`)."""
    # lazy: start-up — openpyxl takes 0.3 s to import; only a workbook needs it
    from openpyxl import Workbook  # lazy: start-up
    from openpyxl.comments import Comment  # lazy: start-up
    from openpyxl.styles import Alignment, Font, PatternFill  # lazy: start-up
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
        numeric = numeric_columns(table)
        percent = _percent_cells(table)
        ids = {i for i, h in enumerate(table.headers) if h in ID_COLUMNS}
        wrap = Alignment(wrap_text=True, vertical="top")
        widths = column_widths(table.headers, table.rows)
        whole = {i for i in numeric if _whole_column(table, i)}  # once per column, not per cell
        for r, row in enumerate(table.rows):
            ws.append([_xlsx_cell(_number(v) if i in numeric else v) for i, v in enumerate(row)])
            # the row just appended, cell by cell: ws[n] and ws.max_row scan the whole sheet
            for i, value in enumerate(row):
                cell = ws.cell(row=r + 2, column=i + 1)
                if i in ids:
                    cell.value = None if value is None else _xlsx_cell(str(value))
                    cell.number_format = "@"
                elif i in numeric:
                    if value == NOT_APPLICABLE:
                        cell.comment = Comment(NA_NOTE, "dxe-eval", width=240, height=60)
                    elif (r, i) in percent and isinstance(value, int | float):
                        cell.value = round(value / 100, 4)
                        cell.number_format = PERCENT
                    elif isinstance(value, float) and not value.is_integer():
                        cell.number_format = DECIMALS
                    elif isinstance(value, int | float):
                        cell.number_format = WHOLE if i in whole else DECIMALS
                elif widths[i] >= MAX_WIDTH:
                    cell.alignment = wrap
        # the header row, and the columns up to the name, stay on screen
        first = next((i for i, h in enumerate(table.headers) if h == "名称"), -1) + 1
        ws.freeze_panes = f"{get_column_letter(first + 1)}2"
        _set_up_printing(ws, table)
        if table.rows:
            last = get_column_letter(len(table.headers))
            ws.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
        for i, width in enumerate(widths, start=1):
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
