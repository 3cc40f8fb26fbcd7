"""The CSV report: the score summary (总分) as one file, or every report table to a folder.

CSV files are UTF-8 with a byte order mark, so Excel opens them in Chinese; lines end
in ``\\r\\n`` on every system.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Final

from dxe_eval.files import write_text
from dxe_eval.report.present import Cell, Table, cell_text
from dxe_eval.report.reporter import Reporter
from dxe_eval.report.sheets import report_tables, summary_table
from dxe_eval.result import Evaluation

BOM: Final = "\ufeff"


def _csv_cell(value: Cell) -> str:
    return cell_text(value)


def csv_text(table: Table) -> str:
    """A table as CSV text starting with a byte order mark (write it as UTF-8)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([cell_text(v) for v in row] for row in table.rows)
    return BOM + buf.getvalue()


def is_folder_target(output: str) -> bool:
    """Whether ``--output`` names a folder: an existing one, or a path ending in a slash."""
    return output.endswith(("/", "\\")) or Path(output).is_dir()


def write_csv(ev: Evaluation, output: str | Path) -> list[Path]:
    """The summary table to a file, or every table to a folder (one ``<name>.csv`` each)."""
    target = str(output)
    if is_folder_target(target):
        folder = Path(target)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for table in report_tables(ev):
            path = folder / f"{table.name}.csv"
            write_text(path, csv_text(table), newline="")
            written.append(path)
        return written
    path = Path(target)
    write_text(path, csv_text(summary_table(ev)), newline="")
    return [path]


REPORTER: Final = Reporter(
    name="csv",
    title="总分表 CSV；--output 文件夹/ 得到全部表格 "
    "/ the score summary as CSV; a folder/ gets every table",
    render=lambda ev, options: csv_text(summary_table(ev)),
    write=lambda ev, path, options: write_csv(ev, path),
    machine=True,
)
