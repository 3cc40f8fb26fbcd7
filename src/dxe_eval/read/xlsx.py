"""Reading an ``.xlsx`` workbook: one sheet per record type, as the CSV reader reads a file.

A sheet belongs to a record type when its name is the type's Chinese label
(``服务需求``) or English name (``requests``), as a CSV file's name does. Its
header row is the first of the sheet's first :data:`HEADER_SEARCH_ROWS` rows
whose cells name at least the record type's required columns, so merged title
rows above the header are skipped. A sheet whose first rows are blank but which
has content further down is an error naming that row, not an empty sheet. Cells
become the same text a CSV file would hold, and then go through the same
validation (:mod:`dxe_eval.read.read`):

- a date or date-and-time cell → ``2022-09-30`` (midnight) or ``2022-09-30 10:15:00``,
  rounded to the second;
- a whole number stored as a number (``24.0``) → ``24``; other numbers as Python prints them;
- TRUE/FALSE → ``true``/``false``; text as it is; an empty cell → a missing value;
- a formula with no saved value (a workbook written by a script, never opened in Excel)
  → its row is rejected: the value is not known until Excel or WPS saves the workbook.

Rejections name the workbook and the sheet as the file (``数据.xlsx:服务需求``)
and the sheet's own row numbers, so a person can find the row in Excel.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import re
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from dxe_eval.errors import DataError
from dxe_eval.read.limits import MB, ReadLimits
from dxe_eval.read.raw import (
    DEFAULT_LIMITS,
    Raw,
    Rejection,
    SourceFile,
    canonical_headers,
    frame_from_rows,
    header_map,
    match_type,
    spelled_headers,
)
from dxe_eval.schema import RecordType

#: how many rows from the top of a sheet are searched for the header row
HEADER_SEARCH_ROWS: Final = 10
#: the sheet of instructions ``dxe-eval template`` puts first: skipped without a warning
INSTRUCTIONS_SHEET: Final = "填报说明"
#: a formula element followed by no value, or an empty one, in a sheet's XML: a cell
#: whose formula was never calculated (a workbook written by a script, never opened
#: in Excel); ``data_only`` reads such a cell as empty
_UNSAVED_FORMULA = re.compile(
    rb"(?:</(?:\w+:)?f>|<(?:\w+:)?f\b[^>]*/>)\s*"
    rb"(?:</(?:\w+:)?c>|<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)"
)


def cell_text(value: Any) -> str | None:
    """The text a CSV file would hold for an Excel cell's value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.microsecond >= 500_000:
            value += dt.timedelta(seconds=1)
        value = value.replace(microsecond=0)
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, float):
        if value != value:
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, str):
        return value
    return str(value)


def _trim(cells: Sequence[str | None]) -> list[str | None]:
    """A row without its trailing empty cells."""
    out = list(cells)
    while out and (out[-1] is None or out[-1] == ""):
        out.pop()
    return out


def _matches(cells: Sequence[str | None], rt: RecordType) -> bool:
    """Whether a row's cells name every required column of ``rt``."""
    lookup = header_map(rt)
    found = set()
    for cell in cells:
        text = (cell or "").replace("\ufeff", "").strip()
        name = lookup.get(text.lower() if text.isascii() else text)
        if name:
            found.add(name)
    return set(rt.required) <= found


def _marking(
    rows: Iterator[tuple[Any, ...]],
    formulas: Iterator[tuple[Any, ...]],
    unsaved: dict[int, list[int]],
) -> Iterator[tuple[Any, ...]]:
    """``rows`` as they are, noting in ``unsaved`` (row number → cell indices) the cells
    read as empty whose formula (the same sheet read with ``data_only=False``) is there."""
    for number, (values, fx) in enumerate(
        itertools.zip_longest(rows, formulas, fillvalue=()), start=1
    ):
        pairs = enumerate(zip(values, fx, strict=False))
        cells = [i for i, (v, f) in pairs if v is None and f is not None]
        if cells:
            unsaved[number] = cells
        yield values


#: what openpyxl raises on a sheet whose XML or zip part is damaged
_MALFORMED: Final = (
    SyntaxError,  # xml.etree.ElementTree.ParseError
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    OverflowError,
    EOFError,
    zlib.error,
    zipfile.BadZipFile,
)


def _guarded(
    rows: Iterator[tuple[Any, ...]], file: str, limits: ReadLimits
) -> Iterator[tuple[Any, ...]]:
    """``rows`` as openpyxl reads them, at most ``limits.xlsx_rows``; a sheet whose XML
    cannot be read is a :class:`DataError` naming the workbook and the sheet, not a
    traceback (only what openpyxl raises while it reads is caught)."""
    it = iter(rows)
    count = 0
    while True:
        try:
            values = next(it)
        except StopIteration:
            return
        except _MALFORMED as exc:
            raise DataError(
                f"the sheet cannot be read, its XML is damaged: {type(exc).__name__}: {exc}",
                file=file,
                row=count + 1,
                zh="工作表已损坏，无法读取（XML 格式错误）；请用 Excel 或 WPS 打开后另存",
            ) from None
        count += 1
        if count > limits.xlsx_rows:
            raise DataError(
                f"the sheet has more than {limits.xlsx_rows:,} rows, the limit; split the "
                "data into CSV files (no such limit) or raise ReadLimits.xlsx_rows",
                file=file,
                row=count,
                zh=f"工作表超过 {limits.xlsx_rows:,} 行的上限；请改用 CSV 文件",
            )
        yield values


def _read_sheet(
    ws: Any,
    rt: RecordType,
    file: str,
    formulas: Any = None,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> tuple[Raw, list[str]] | None:
    """Rows of one sheet as text columns, or ``None`` when the sheet is empty.

    ``formulas``: the same sheet read with its formulas, when some cell of it may hold a
    formula without a saved value; the rows with such a cell (in a column read) are
    rejected, as the value cannot be known. Only the first ``limits.xlsx_columns``
    columns are read."""
    width_cap = limits.xlsx_columns
    rows: Iterator[tuple[Any, ...]] = _guarded(
        ws.iter_rows(values_only=True, max_col=width_cap), file, limits
    )
    unsaved: dict[int, list[int]] = {}  # row number → cells holding an uncalculated formula
    if formulas is not None:
        rows = _marking(
            rows,
            _guarded(formulas.iter_rows(values_only=True, max_col=width_cap), file, limits),
            unsaved,
        )
    top: list[list[str | None]] = []
    header_at: int | None = None
    for number, values in enumerate(rows, start=1):
        cells = _trim([cell_text(v) for v in values])
        top.append(cells)
        if _matches(cells, rt):
            header_at = number
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header_at is None:
        first = next((cells for cells in top if any(c and c.strip() for c in cells)), None)
        if first is None:
            # the first rows are blank: the sheet is empty only when every row is
            later = next(
                (
                    number
                    for number, values in enumerate(rows, start=len(top) + 1)
                    if any(t and t.strip() for t in map(cell_text, values))
                ),
                None,
            )
            if later is None:
                return None
            raise DataError(
                f"no header row in the first {HEADER_SEARCH_ROWS} rows; "
                f"row {later} is the first that is not blank",
                file=file,
                row=later,
                zh=f"前 {HEADER_SEARCH_ROWS} 行中没有表头行（第 {later} 行才有内容），"
                "请删去表头上方的空行",
            )
        canonical_headers(first, rt, file)  # raises, naming the first missing column
        raise DataError(  # pragma: no cover - canonical_headers has raised
            "no header row found", file=file, zh="找不到表头行"
        )
    headers = top[header_at - 1]
    names, ignored = canonical_headers(headers, rt, file)
    width = len(names)
    body: list[list[str | None]] = []
    numbers: list[int] = []
    uncalculated: list[Rejection] = []
    for number, values in enumerate(rows, start=header_at + 1):
        formula_at = [i for i in unsaved.get(number, ()) if i < width and names[i]]
        if formula_at:
            col = rt.column(str(names[formula_at[0]]))
            head = spelled_headers(headers, names).get(col.name) or col.label
            at = names.index(rt.id_column) if rt.id_column in names else len(values)
            ident = cell_text(values[at]) if at < len(values) else None
            uncalculated.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=col.name,
                    reason=f"{head} 的公式没有保存的计算结果：请用 Excel 或 WPS 打开工作簿并"
                    f"保存后再读取 / {head}: a formula without a saved value; open the workbook "
                    "in Excel or WPS and save it",
                    ident=ident.strip() if ident else None,
                )
            )
            continue
        cells = _trim([cell_text(v) for v in values])
        if not cells:
            continue
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        body.append(cells)
        numbers.append(number)
    frame, rejected = frame_from_rows(names, body, numbers, file, rt)
    if uncalculated:
        rejected = sorted([*rejected, *uncalculated], key=lambda r: r.row)
    spelled = spelled_headers(headers, names)
    return Raw(file=file, frame=frame, pre_rejected=tuple(rejected), headers=spelled), ignored


def _check_size(data: bytes, file: str, limits: ReadLimits) -> None:
    """Refuse a workbook whose parts together declare more than ``limits.xlsx_bytes``
    unpacked (a zip bomb) before any is unpacked. A part that unpacks to more than it
    declares is cut there by ``zipfile`` and fails its CRC check as it is read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            declared = sum(info.file_size for info in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: load_workbook says so
    if declared > limits.xlsx_bytes:
        mb = limits.xlsx_bytes // MB
        raise DataError(
            f"the workbook unpacks to {declared / MB:,.0f} MB, more than the limit of {mb:,} MB "
            "(a damaged file or a zip bomb?); save the data as CSV files, or raise the limit "
            "with --xlsx-limit-mb",
            file=file,
            zh=f"工作簿解压后约 {declared / MB:,.0f} MB，超过 {mb:,} MB 的上限"
            "（文件损坏或是压缩炸弹？）；请另存为 CSV 文件，或用 --xlsx-limit-mb 调高上限",
        )


def read_workbook(
    path: str | Path,
    record_types: Mapping[str, RecordType],
    warnings: list[str] | None = None,
    *,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Iterator[tuple[str, Raw, list[str], SourceFile]]:
    """Each sheet that belongs to a record type: its name, rows, ignored headers and source.

    A sheet that matches no record type, or is empty, is skipped with a message
    appended to ``warnings`` (when given). ``limits`` caps what the workbook may unpack
    to and the rows of a sheet.
    """
    from openpyxl import load_workbook  # lazy: start-up (openpyxl only for a workbook)
    from openpyxl.utils.exceptions import InvalidFileException  # lazy: start-up

    path = Path(path)
    if path.name.startswith("~$"):  # Excel's lock file while the workbook is open
        if warnings is not None:
            warnings.append(
                f"{path.name} 是 Excel 打开工作簿时的临时文件，已忽略 "
                f"({path.name} is Excel's lock file; ignored)"
            )
        return
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    _check_size(data, path.name, limits)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, OSError, *_MALFORMED) as exc:
        raise DataError(
            f"not a readable .xlsx workbook: {exc}",
            file=path.name,
            zh="无法读取 .xlsx 工作簿（文件损坏或不是 Excel 2007 及以上格式）",
        ) from None
    # the workbook with its formulas, only when some sheet may hold a formula without a
    # saved value (a byte search of the sheets' XML; a workbook saved by Excel has none)
    try:
        fwb = (
            load_workbook(io.BytesIO(data), read_only=True, data_only=False)
            if _may_hold_unsaved_formulas(data)
            else None
        )
    except (InvalidFileException, OSError, *_MALFORMED) as exc:
        wb.close()
        raise DataError(
            f"not a readable .xlsx workbook: {exc}",
            file=path.name,
            zh="无法读取 .xlsx 工作簿（文件损坏或不是 Excel 2007 及以上格式）",
        ) from None
    try:
        for ws in wb.worksheets:
            title = ws.title
            file = f"{path.name}:{title}"
            name = match_type(title.strip(), record_types)
            if name is None and title.strip() == INSTRUCTIONS_SHEET:
                continue  # the template's instructions: no data, nothing to say
            if name is None:
                if warnings is not None:
                    warnings.append(
                        f"工作表 {file} 不对应任何记录类型，已忽略 "
                        f"(sheet {file} matches no record type; ignored)"
                    )
                continue
            ws.reset_dimensions()  # some writers record wrong sheet sizes
            fws = fwb[title] if fwb is not None else None
            if fws is not None:
                fws.reset_dimensions()
            got = _read_sheet(ws, record_types[name], file, fws, limits)
            if got is None:
                if warnings is not None:
                    warnings.append(f"工作表 {file} 为空，已忽略 (sheet {file} is empty; ignored)")
                continue
            raw, ignored = got
            yield (
                name,
                raw,
                ignored,
                SourceFile(
                    record_type=name,
                    path=file,
                    sha256=digest,
                    rows=raw.rows(),
                    encoding="xlsx",
                ),
            )
    finally:
        wb.close()
        if fwb is not None:
            fwb.close()


def _may_hold_unsaved_formulas(data: bytes) -> bool:
    """Whether a sheet of the workbook ``data`` holds a formula followed by no value."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return any(
                _UNSAVED_FORMULA.search(z.read(info))
                for info in z.infolist()
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
            )
    except (zipfile.BadZipFile, zlib.error, OSError):  # the sheet itself will say so
        return False
