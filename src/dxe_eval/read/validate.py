"""Reading a data set: files (CSV, JSON Lines, XLSX) or in-memory records into typed columns.

Every row read is accepted or rejected with its file, row, column and reason;
the per-type counts travel with the result and ``read == accepted + rejected``
always holds. A missing required column or an unreadable file is a
:class:`~dxe_eval.errors.DataError`: the run cannot go on without it.

Row numbers are the ones a person sees: in a CSV file or a sheet the header is
row 1 and the first record row 2; in a JSON Lines file, the line number; in
in-memory records, the record's position counting from 1.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, NamedTuple

import attrs
import polars as pl
from attrs import field, frozen

from dxe_eval.errors import DataError, nearest
from dxe_eval.io.encoding import mixed_line
from dxe_eval.io.folder import data_files
from dxe_eval.io.headers import near_misses
from dxe_eval.io.limits import ReadLimits
from dxe_eval.io.parse import (
    bad_expr,
    fix_other_shapes,
    fixed_offset,
    in_fixed_window,
    local_date_expr,
    other_shape_expr,
    parse_expr,
    problem_expr,
    readable,
    shown,
)
from dxe_eval.schema import Column, RecordType

ROW = "_row"
FILE = "_file"
DEFAULT_LIMITS = ReadLimits()
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".txt")
_LINE_END = re.compile(rb"\r\n|\r|\n")
_TEXT = "__text:"  # internal column names in validation
_OTHER = "__other:"
_STRIP = "__strip:"
_RAW = "__raw:"


@frozen(kw_only=True)
class Rejection:
    """A row that was not accepted, and why."""

    record_type: str
    file: str
    row: int
    column: str | None
    reason: str
    #: the row's id as written (stripped), when its type has ids and it was read; not
    #: part of the report, only for saying that an id asked for is a rejected row's
    ident: str | None = None


@frozen(kw_only=True)
class Blank:
    """A cell of an optional column whose value could not be read: left empty, its row kept.

    ``column`` is the contract's name, ``header`` the column as the file's header
    spells it, ``value`` the cell as written (stripped, at most 40 characters).
    """

    record_type: str
    file: str
    row: int
    column: str
    header: str
    value: str
    reason: str

    def describe(self) -> str:
        """One line naming the place and the value, Chinese first."""
        return (
            f"{self.file} 第 {self.row} 行 列 {self.header}：{self.reason}；已置空，该行照常接收 "
            f"/ {self.file} row {self.row} column {self.header}: left empty, the row kept"
        )


@frozen(kw_only=True)
class Counts:
    """Rows read, accepted and rejected for one record type, and cells left empty
    (:class:`Blank`) in the accepted rows."""

    read: int = 0
    accepted: int = 0
    rejected: int = 0
    blanked: int = 0


@frozen(kw_only=True)
class SourceFile:
    """An input file: its record type, path, SHA-256 and the rows read from it."""

    record_type: str
    path: str
    sha256: str
    rows: int
    encoding: str = ""


@frozen(kw_only=True)
class Dataset:
    """Accepted rows in typed columns per record type, and what was rejected.

    Each frame carries ``_row`` and ``_file`` so that every record can be traced
    back to where it was read.
    """

    frames: Mapping[str, pl.DataFrame]
    rejected: tuple[Rejection, ...] = ()
    blanked: tuple[Blank, ...] = ()
    counts: Mapping[str, Counts] = field(factory=dict)
    sources: tuple[SourceFile, ...] = ()
    warnings: tuple[str, ...] = ()
    timezone: str = "Asia/Shanghai"
    #: the folder or workbook read, as given; empty for records given in memory
    origin: str = ""
    #: each file's (or sheet's) columns: record type, and contract name → the header as the
    #: file spells it, and the rows read from it
    columns: tuple[FileColumns, ...] = ()

    def frame(self, name: str) -> pl.DataFrame:
        return self.frames[name]


@frozen(kw_only=True)
class FileColumns:
    """The columns one file (or sheet, or records given in memory) has, and its rows read.

    ``tabular``: the columns are a header row (a CSV file, a sheet, a DataFrame), so a
    column not there is missing; records (JSON Lines, mappings) may leave out the keys
    of their empty values, so a key no record has says nothing."""

    record_type: str
    file: str
    headers: Mapping[str, str]
    rows: int
    tabular: bool = True


@frozen
class _Raw:
    """Rows of one file as text, with canonical column names, before validation.

    ``frame`` is a query for a CSV file polars can read as it is (the text columns
    are then never held whole); a row of it that is wholly blank is a blank line,
    not a row (``blankable``). Should polars fail on the file as it runs the query,
    ``fallback`` reads it the slow way, which rejects the rows it cannot take.
    """

    file: str
    frame: pl.DataFrame | pl.LazyFrame
    pre_rejected: tuple[Rejection, ...] = ()
    blankable: bool = False
    fallback: Callable[[], _Raw] | None = None
    #: the file's bytes hold no NUL, so no cell of it needs testing for one
    nul_free: bool = False
    #: contract name → the header as the file spells it
    headers: Mapping[str, str] = field(factory=dict)
    #: the columns come from a header row (not from the keys of records)
    tabular: bool = True

    def rows(self) -> int:
        """The rows read, rejected ones too; ``-1`` for a query (counted as it runs)."""
        if isinstance(self.frame, pl.LazyFrame):
            return -1
        return self.frame.height + len(self.pre_rejected)


# ---------------------------------------------------------------------------
# files
# ---------------------------------------------------------------------------


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Text of a file in UTF-8 (with or without BOM) or GB18030, and the encoding used.

    UTF-16 and UTF-32 (what Excel writes as "Unicode text") are recognised by their
    byte-order mark or by NUL bytes in the first line, and refused with a message
    that says so rather than read as garbage.
    """
    _refuse_wide(data, file)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        name = "utf-8-sig"
    else:
        name = "utf-8"
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        pass
    _refuse_mixed(data, file)
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise DataError(
            f"cannot decode: not UTF-8 nor GB18030 (byte {exc.start})",
            file=file,
            zh="文件编码无法识别：请另存为 UTF-8 或 GB18030",
        ) from None


def _refuse_mixed(data: bytes, file: str) -> None:
    """Raise when a file that is not UTF-8 as a whole still has UTF-8 lines among its others
    (:func:`~dxe_eval.io.encoding.mixed_line`): it would be read garbled."""
    mixed = mixed_line(data)
    if mixed is None:
        return
    line, is_utf8 = mixed
    if is_utf8:
        en = f"line {line} is UTF-8 while the rest of the file is not (GB18030)"
        zh = f"第 {line} 行是 UTF-8 编码，而文件其余部分不是（GB18030）"
    else:
        en = f"line {line} is not UTF-8 while the rest of the file is"
        zh = f"第 {line} 行不是 UTF-8 编码，而文件其余部分是 UTF-8"
    raise DataError(
        f"the file mixes two encodings: {en}; save the whole file in one encoding (UTF-8)",
        file=file,
        row=line,
        zh=f"文件混用了两种编码：{zh}；请把整个文件另存为同一种编码（UTF-8）",
    )


def utf8_bytes(data: bytes, file: str) -> tuple[bytes | None, str]:
    """The bytes of a UTF-8 file without its BOM and the encoding, as :func:`decode` names it;
    ``None`` if the file is not UTF-8 (then :func:`decode` it). Nothing is decoded."""
    _refuse_wide(data, file)
    name = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        name = "utf-8-sig"
    if not data.isascii():
        try:  # polars checks UTF-8 several times faster than bytes.decode
            pl.Series([data], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:
            return None, ""
    return data, name


def _refuse_wide(data: bytes, file: str) -> None:
    head = data[:4096].split(b"\n", 1)[0]
    if data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or data[:2] in (
        b"\xff\xfe",
        b"\xfe\xff",
    ) or (len(head) > 1 and head.count(b"\x00") * 4 >= len(head)):
        raise DataError(
            "cannot decode: the file looks like UTF-16 or UTF-32 (or binary); "
            "save it as CSV in UTF-8 or GB18030",
            file=file,
            zh="文件似乎是 UTF-16/UTF-32 编码或二进制文件：请另存为 UTF-8 或 GB18030 编码的 CSV",
        )


def _match_type(stem: str, record_types: Mapping[str, RecordType]) -> str | None:
    stem_l = stem.lower()
    for rt in record_types.values():
        for name in (rt.name, rt.label):
            n = name.lower()
            if stem_l == n or any(stem_l.startswith(n + sep) for sep in ("-", "_", ".", " ")):
                return rt.name
    return None


def _header_map(rt: RecordType) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in rt.columns:
        out[col.name.lower()] = col.name
        out[col.label] = col.name
    return out


def canonical_headers(
    headers: Sequence[Any], rt: RecordType, file: str
) -> tuple[list[str | None], list[str]]:
    """Map a file's headers to column names; return the mapping and the ignored headers."""
    lookup = _header_map(rt)
    names: list[str | None] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for raw in headers:
        text = ("" if raw is None else str(raw)).replace("\ufeff", "").strip()
        key = text.lower() if text.isascii() else text
        name = lookup.get(key)
        if name is None:
            if text:
                ignored.append(text)
            names.append(None)
            continue
        if name in seen:
            raise DataError(
                f"columns {seen[name]!r} and {text!r} both mean {name!r}",
                file=file,
                column=text,
                zh=f"列 {seen[name]} 与 {text} 重复（都表示 {name}）",
            )
        seen[name] = text
        names.append(name)
    missing = [c for c in rt.required if c not in seen]
    if missing:
        col = rt.column(missing[0])
        typo = next((h for h, c in near_misses(ignored, seen, rt) if c.name == col.name), None)
        raise DataError(
            f"missing required column {col.name!r} ({col.label})"
            + (f"; is {typo!r} meant to be it?" if typo else "")
            + (f"; also missing {', '.join(missing[1:])}" if len(missing) > 1 else ""),
            file=file,
            column=col.name,
            zh=f"缺少必填列 {col.label}（{col.name}）"
            + (f"；文件中的 {typo} 是否应为 {col.label}？" if typo else ""),
        )
    return names, ignored


def spelled_headers(headers: Sequence[Any], names: Sequence[str | None]) -> dict[str, str]:
    """Contract name → the header as the file spells it (without a BOM and spaces)."""
    return {
        name: ("" if raw is None else str(raw)).replace("\ufeff", "").strip()
        for raw, name in zip(headers, names, strict=False)
        if name
    }


def _frame_from_rows(
    names: list[str | None],
    rows: Iterable[Sequence[Any]],
    row_numbers: Iterable[int],
    file: str,
    rt: RecordType,
) -> tuple[pl.DataFrame, list[Rejection]]:
    cols: dict[str, list[Any]] = {n: [] for n in names if n}
    rownums: list[int] = []
    rejected: list[Rejection] = []
    width = len(names)
    for number, row in zip(row_numbers, rows, strict=False):
        if len(row) > width and any(str(v).strip() for v in row[width:]):
            rejected.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=None,
                    reason=f"{len(row)} fields, but the header has {width} "
                    f"(字段数 {len(row)} 与表头列数 {width} 不符)",
                )
            )
            continue
        if not any(str(v).strip() for v in row if v is not None):
            continue  # a blank line is not a row
        for i, name in enumerate(names):
            if name:
                value = row[i] if i < len(row) else None
                cols[name].append(None if value is None else str(value))
        rownums.append(number)
    try:
        frame = _string_frame(cols, rownums)
    except UnicodeEncodeError:  # a lone surrogate (JSON "\ud800"): reject its row
        keep = list(range(len(rownums)))
        for name, values in cols.items():
            for i, v in enumerate(values):
                if v is not None and i in keep and not _encodable(v):
                    keep.remove(i)
                    rejected.append(
                        Rejection(
                            record_type=rt.name,
                            file=file,
                            row=rownums[i],
                            column=name,
                            reason="not valid Unicode text: a lone surrogate "
                            "(含有无效的 Unicode 字符)",
                        )
                    )
        cols = {n: [v[i] for i in keep] for n, v in cols.items()}
        frame = _string_frame(cols, [rownums[i] for i in keep])
    return frame, rejected


def _string_frame(cols: Mapping[str, list[Any]], rownums: list[int]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            **{n: pl.Series(n, v, dtype=pl.String) for n, v in cols.items()},
            ROW: pl.Series(ROW, rownums, dtype=pl.Int64),
        }
    )


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@contextlib.contextmanager
def _no_field_limit() -> Iterator[None]:
    """Lift the csv module's 128 KiB field limit: a huge cell is a rejection, not a crash."""
    old = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _header_row(data: bytes, file: str) -> tuple[list[str], int]:
    """The header cells and where the bytes after the header line start (the line may end
    in CR, LF or CRLF).

    ``data`` is UTF-8.
    """
    end = _LINE_END.search(data)
    head = (data if end is None else data[: end.start()]).decode("utf-8")
    body = len(data) if end is None else end.end()
    if "\x00" in head:
        raise DataError(
            "the header row contains NUL characters: not a CSV text file",
            file=file,
            row=1,
            zh="表头行含有 NUL 字符：不是 CSV 文本文件",
        )
    try:
        with _no_field_limit():
            headers = next(csv.reader([head]), [])
    except csv.Error as exc:
        raise DataError(f"cannot read the header row: {exc}", file=file, row=1) from None
    if not any(h.strip() for h in headers):
        raise DataError("the file is empty: no header row", file=file, zh="文件为空：没有表头行")
    if len(headers) == 1:
        for sep, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if sep in headers[0]:
                raise DataError(
                    f"the header is one column holding {name}: columns must be separated "
                    "by commas",
                    file=file,
                    row=1,
                    zh="表头只有一列且含分隔符：CSV 文件的列应以英文逗号分隔",
                )
    return headers, body


def read_csv_text(text: str, rt: RecordType, file: str) -> tuple[_Raw, list[str]]:
    """Rows of a CSV text; a ragged row is rejected, the rest kept as text columns."""
    return read_csv_utf8(text.encode("utf-8"), rt, file)


def read_csv_utf8(data: bytes, rt: RecordType, file: str) -> tuple[_Raw, list[str]]:
    """Rows of CSV bytes in UTF-8 (no BOM), as :func:`read_csv_text` of their text."""
    headers, body_at = _header_row(data, file)
    names, ignored = canonical_headers(headers, rt, file)
    spelled = spelled_headers(headers, names)
    width = len(headers)
    schema = {f"c{i}": pl.String for i in range(width)}
    # polars ends lines at LF only: NUL bytes and lone CRs (old Mac or mixed endings)
    # take the slow path, which counts lines as a person sees them (the header has neither:
    # it was read up to its line end, and a NUL in it is an error)
    plain = b"\x00" not in data and (
        b"\r" not in data or data.count(b"\r") == data.count(b"\r\n")
    )
    # a line end inside quotes would make the row numbers drift: the slow way too
    if plain and not (b'"' in data and _has_multiline_quotes(data, body_at)):
        # a query over the bytes as they are, the header line skipped: validation then
        # parses the cells as polars reads them, without holding the text columns
        lazy = (
            pl.scan_csv(
                data, has_header=False, skip_lines=1, schema=schema, raise_if_empty=False
            )
            # polars counts no header here: data row i is line i + 2
            .with_row_index(ROW, offset=2)
            .select(
                [pl.col(f"c{i}").alias(n) for i, n in enumerate(names) if n]
                + [pl.col(ROW).cast(pl.Int64)]
            )
        )
        return _Raw(
            file=file,
            frame=lazy,
            blankable=True,
            fallback=lambda: _read_csv_slow(data, body_at, names, rt, file, spelled),
            nul_free=True,  # ``plain``
            headers=spelled,
        ), ignored
    return _read_csv_slow(data, body_at, names, rt, file, spelled), ignored


def _read_csv_slow(
    data: bytes,
    body_at: int,
    names: list[str | None],
    rt: RecordType,
    file: str,
    spelled: Mapping[str, str],
) -> _Raw:
    """The rows after the header through the csv module: line numbers as a person sees
    them, and a row polars could not take rejected with its reason."""
    reader = csv.reader(io.StringIO(data[body_at:].decode("utf-8"), newline=""))
    rows: list[list[str]] = []
    numbers: list[int] = []
    line = 2
    try:
        with _no_field_limit():
            for row in reader:
                numbers.append(line)
                rows.append(row)
                line = reader.line_num + 2
    except csv.Error as exc:
        raise DataError(f"cannot read CSV: {exc}", file=file, row=line) from None
    frame, rejected = _frame_from_rows(names, rows, numbers, file, rt)
    return _Raw(file=file, frame=frame, pre_rejected=tuple(rejected), headers=spelled)


def _has_multiline_quotes(data: bytes, start: int = 0) -> bool:
    """Whether a line end falls inside double quotes (every other piece between quotes),
    counting from ``start``."""
    return any(b"\n" in piece for piece in data[start:].split(b'"')[1::2])


def read_jsonl_text(text: str, rt: RecordType, file: str) -> tuple[_Raw, list[str]]:
    """Rows of a JSON Lines text: one object per line; a line that is not one is rejected.

    Lines end at ``\n`` (or ``\r\n``) only, as JSON Lines says: U+2028, U+0085 and the
    other characters ``str.splitlines`` would end a line at are text inside a string."""
    objs: list[dict[str, Any]] = []
    numbers: list[int] = []
    rejected: list[Rejection] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            rejected.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=None,
                    reason=f"not valid JSON: {exc.msg} (不是有效的 JSON)",
                )
            )
            continue
        if not isinstance(obj, dict):
            rejected.append(
                Rejection(
                    record_type=rt.name,
                    file=file,
                    row=number,
                    column=None,
                    reason="not a JSON object (不是 JSON 对象)",
                )
            )
            continue
        objs.append(obj)
        numbers.append(number)
    raw, ignored = records_to_raw(objs, rt, file, numbers)
    both = sorted((*rejected, *raw.pre_rejected), key=lambda r: r.row)
    return _Raw(
        file=file, frame=raw.frame, pre_rejected=tuple(both), headers=raw.headers, tabular=False
    ), ignored


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value != value:
        return None
    return str(value)


def records_to_raw(
    records: Sequence[Mapping[str, Any]],
    rt: RecordType,
    file: str,
    numbers: Sequence[int] | None = None,
) -> tuple[_Raw, list[str]]:
    """Rows given as mappings (from JSON or from a calling system); an item that is not a
    mapping (``None``, a list…) is rejected as no record."""
    nums_in = list(numbers) if numbers is not None else list(range(1, len(records) + 1))
    kept: list[Mapping[str, Any]] = []
    nums: list[int] = []
    not_records: list[Rejection] = []
    for number, rec in zip(nums_in, records, strict=True):
        if isinstance(rec, Mapping):
            kept.append(rec)
            nums.append(number)
            continue
        not_records.append(
            Rejection(
                record_type=rt.name,
                file=file,
                row=number,
                column=None,
                reason=f"not a record: {type(rec).__name__}, not a mapping of columns to values "
                "(不是一条记录)",
            )
        )
    headers: list[Any] = []
    for rec in kept:
        for key in rec:
            if key not in headers:
                headers.append(key)
    if not headers:
        headers = [c.name for c in rt.columns if c.required] if not kept else headers
    names, ignored = canonical_headers(headers, rt, file)
    rows = [[_cell(rec.get(h)) for h in headers] for rec in kept]
    frame, rejected = _frame_from_rows(names, rows, nums, file, rt)
    spelled = spelled_headers(headers, names)
    both = sorted((*not_records, *rejected), key=lambda r: r.row)
    return _Raw(
        file=file, frame=frame, pre_rejected=tuple(both), headers=spelled, tabular=False
    ), ignored


def frame_to_raw(frame: Any, rt: RecordType, file: str) -> tuple[_Raw, list[str]]:
    """Rows given as a polars or pandas DataFrame."""
    if not isinstance(frame, pl.DataFrame):
        try:
            frame = pl.from_pandas(frame)
        except Exception as exc:
            raise DataError(
                f"cannot read records of type {type(frame).__name__}: {exc}", file=file
            ) from exc
    names, ignored = canonical_headers(frame.columns, rt, file)
    cols = []
    for src, name in zip(frame.columns, names, strict=True):
        if not name:
            continue
        s = frame[src]
        if s.dtype == pl.Boolean:
            s = s.cast(pl.String).str.to_lowercase()
        elif isinstance(s.dtype, pl.Datetime) and s.dtype.time_zone:
            s = s.dt.to_string("%Y-%m-%dT%H:%M:%S%:z")
        else:
            s = s.cast(pl.String)
        cols.append(s.alias(name))
    out = pl.DataFrame(cols).with_row_index(ROW, offset=1).with_columns(pl.col(ROW).cast(pl.Int64))
    return _Raw(file=file, frame=out, headers=spelled_headers(frame.columns, names)), ignored


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _type_order(record_types: Mapping[str, RecordType]) -> list[str]:
    """Record types ordered so that every referenced type comes before its referrers."""
    order: list[str] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if name in order or name in visiting or name not in record_types:
            return
        visiting.add(name)
        for col in record_types[name].columns:
            if col.refers_to == "candidates":
                for t in record_types.values():
                    if t.candidate_kind:
                        visit(t.name)
            elif col.refers_to:
                visit(col.refers_to)
        visiting.discard(name)
        order.append(name)

    for name in record_types:
        visit(name)
    return order


def _validate(
    rt: RecordType,
    raws: list[_Raw],
    tz: str,
    known: Mapping[str, pl.Series],
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
    accepted: Mapping[str, pl.DataFrame] | None = None,
) -> tuple[pl.DataFrame, list[Rejection], list[Blank], int, dict[str, int]]:
    """The accepted rows, the rejections, the cells left empty in accepted rows, the rows
    read, and the rows read per file.

    ``rejected_ids``: per record type, its rejected rows by id, so that a reference to
    one names it (:func:`_cascaded`)."""
    try:
        text = _text_of(rt, raws)
        frame, bad_rows, blank_rows = _parse_all(
            rt, text, tz, known, all(r.nul_free for r in raws)
        )
    except pl.exceptions.PolarsError:
        # polars could not read some file as it is: those files the slow way
        raws = [_materialized(raw) for raw in raws]
        text = _text_of(rt, raws)
        frame, bad_rows, blank_rows = _parse_all(
            rt, text, tz, known, all(r.nul_free for r in raws)
        )
    rejected: list[Rejection] = [r for raw in raws for r in raw.pre_rejected]
    read = frame.height + len(rejected)
    per_file = Counter(r.file for r in rejected)
    if frame.height:
        per_file.update(dict(frame.group_by(FILE).len().iter_rows()))
    if blank_rows is not None:  # known only once rejections are: kept beside the rows
        frame = frame.with_columns(blank_rows.alias(_BLANKED))
    if bad_rows is not None:
        # why, only for the rejected rows: the same tests on them, with the reasons (their
        # text read again: for a CSV file, from its bytes)
        bad = frame.filter(bad_rows)
        bad_text = text.join(
            bad.select(FILE, ROW).lazy(), on=[FILE, ROW], how="semi", maintain_order="left"
        ).collect()
        rejected.extend(_reasons(rt, bad_text, bad, known, rejected_ids, record_types))
        frame = frame.filter(~bad_rows)
    if rt.ref_checks and frame.height:
        frame, before = _ref_checked(rt, frame, accepted or {}, record_types)
        rejected.extend(before)
    if rt.id_column and frame.height:
        dup = _duplicated(frame[rt.id_column])
        if dup is not None:
            firsts = frame.filter(~dup).select(rt.id_column, ROW, FILE)
            lookup = {k: (r, f) for k, r, f in firsts.iter_rows()}
            for ident, row, file in frame.filter(dup).select(rt.id_column, ROW, FILE).iter_rows():
                r0, f0 = lookup[ident]
                rejected.append(
                    Rejection(
                        record_type=rt.name,
                        file=file,
                        row=row,
                        column=rt.id_column,
                        reason=shown(
                            f"duplicate id {ident}: the first, {f0} row {r0}, is kept "
                            f"(编号 {ident} 重复，保留 {f0} 第 {r0} 行)"
                        ),
                        ident=ident,
                    )
                )
            frame = frame.filter(~dup)
    blanks: list[Blank] = []
    if _BLANKED in frame.columns:
        rows = frame.filter(pl.col(_BLANKED)).drop(_BLANKED)
        if rows.height:
            rows_text = text.join(
                rows.select(FILE, ROW).lazy(), on=[FILE, ROW], how="semi", maintain_order="left"
            ).collect()
            headers = {raw.file: raw.headers for raw in raws}
            blanks = _blanks(rt, rows_text, rows, headers)
        frame = frame.drop(_BLANKED)
    return frame, rejected, blanks, read, dict(per_file)


def _ref_checked(
    rt: RecordType,
    frame: pl.DataFrame,
    accepted: Mapping[str, pl.DataFrame],
    record_types: Mapping[str, RecordType],
) -> tuple[pl.DataFrame, list[Rejection]]:
    """``frame`` without the rows that fail one of the type's
    :class:`~dxe_eval.schema.RefCheck`, and their rejections: a date earlier than the date
    of the record its ``via`` column refers to (that record's accepted row; for a time,
    its local date). A row's first failing check names it."""
    checks: list[tuple[str, pl.Series, pl.Series]] = []  # (column, bad, reason)
    for check in rt.ref_checks:
        target = rt.column(check.via).refers_to or ""
        other_rt = record_types.get(target)
        other = accepted.get(target)
        if other_rt is None or other is None or other_rt.id_column is None or not other.height:
            continue
        ocol = other_rt.column(check.other)
        day, olabel = pl.col(check.other), ocol.label
        if ocol.type == "datetime":  # its local date, named as a date (接收时间 → 接收日期)
            day, olabel = local_date_expr(other[check.other]), f"{olabel.removesuffix('时间')}日期"
        dates = other.select(pl.col(other_rt.id_column).alias("__via"), day.alias("__other"))
        bad = (pl.col(check.column) < pl.col("__other")).fill_null(False)
        what = check.what or rt.column(check.column).label
        got = (
            frame.select(pl.col(check.via).alias("__via"), pl.col(check.column))
            .join(dates, on="__via", how="left", maintain_order="left")
            .select(
                bad.alias("bad"),
                pl.when(bad).then(
                    pl.format(
                        f"{what} {{}} 早于其{other_rt.label} {{}} 的{olabel} {{}} "
                        f"({check.column} {{}} is before {check.other} {{}} of {{}} in "
                        f"{target})",
                        pl.col(check.column), pl.col("__via"), pl.col("__other"),
                        pl.col(check.column), pl.col("__other"), pl.col("__via"),
                    )
                ).alias("reason"),
            )
        )
        checks.append((check.column, got["bad"], got["reason"]))
    if not checks or not any(bad.any() for _, bad, _ in checks):
        return frame, []
    flags = pl.DataFrame({f"b{i}": bad for i, (_, bad, _) in enumerate(checks)})
    failing = pl.any_horizontal(pl.all())
    first = flags.select(
        failing.alias("bad"),
        pl.coalesce(
            [pl.when(pl.col(f"b{i}")).then(pl.lit(i)) for i in range(len(checks))]
        ).alias("i"),
        pl.coalesce([reason for _, _, reason in checks]).alias("reason"),
    )
    bad_rows = first["bad"]
    found = pl.concat(
        [frame.select(FILE, ROW, (pl.col(rt.id_column).cast(pl.String) if rt.id_column
                                  else pl.lit(None, pl.String)).alias("__id")),
         first.select("i", "reason")],
        how="horizontal",
    ).filter(bad_rows)
    out = [
        Rejection(record_type=rt.name, file=file, row=row, column=checks[i][0],
                  reason=shown(reason), ident=ident)
        for file, row, ident, i, reason in found.iter_rows()
    ]
    return frame.filter(~bad_rows), out


_BLANKABLE = "__blankable"
_BLANK = "__blank"


def _text_of(rt: RecordType, raws: list[_Raw]) -> pl.LazyFrame:
    """The text rows of all the record type's files as one query, with their file."""
    frames = []
    for raw in raws:
        f = raw.frame.lazy()
        have = set(f.collect_schema().names())
        missing = [c.name for c in rt.columns if c.name not in have]
        if missing:
            f = f.with_columns([pl.lit(None, dtype=pl.String).alias(c) for c in missing])
        frames.append(
            f.select([c.name for c in rt.columns] + [ROW]).with_columns(
                pl.lit(raw.file).alias(FILE), pl.lit(raw.blankable).alias(_BLANKABLE)
            )
        )
    if frames:
        return pl.concat(frames, how="vertical")
    return pl.LazyFrame(
        {
            **{c.name: pl.Series([], dtype=pl.String) for c in rt.columns},
            ROW: pl.Series([], dtype=pl.Int64),
            FILE: pl.Series([], dtype=pl.String),
            _BLANKABLE: pl.Series([], dtype=pl.Boolean),
        }
    )


def _materialized(raw: _Raw) -> _Raw:
    """``raw`` with its rows read: by polars if it can, else the slow way."""
    if isinstance(raw.frame, pl.DataFrame):
        return raw
    try:
        return attrs.evolve(raw, frame=raw.frame.collect(), fallback=None)
    except pl.exceptions.PolarsError:
        if raw.fallback is None:
            raise
        return raw.fallback()


def _text_exprs(rt: RecordType) -> dict[str, pl.Expr]:
    """Each column's cell text stripped, an empty cell null (``_STRIP`` columns hold the strip)."""
    return {
        c.name: pl.when(pl.col(f"{_STRIP}{c.name}") != "").then(pl.col(f"{_STRIP}{c.name}"))
        for c in rt.columns
    }


def _strip(rt: RecordType, prefix: str = "") -> list[pl.Expr]:
    """Each column's cell text (from the column ``prefix + name``) stripped, as ``_STRIP``."""
    return [
        pl.col(f"{prefix}{c.name}").str.strip_chars().alias(f"{_STRIP}{c.name}")
        for c in rt.columns
    ]


def _texts(rt: RecordType) -> list[pl.Expr]:
    """The ``_TEXT`` columns the row tests read: the stripped text, an empty cell null."""
    return [e.alias(f"{_TEXT}{name}") for name, e in _text_exprs(rt).items()]


class _Check(NamedTuple):
    """A test of a parsed row: the column it names (``None``: the whole row), whether the
    row fails it, why (null where it does not), and the record type a reference names."""

    column: str | None
    bad: pl.Expr
    reason: pl.Expr
    refers_to: str | None = None


def _row_checks(
    rt: RecordType, known: Mapping[str, pl.Series], nul_free: bool = False
) -> list[_Check]:
    """The tests that reject a row, in the order their reasons are reported: a repeated
    header row, the cells of required columns (on the ``_TEXT`` columns), the ordering
    checks and the references. A cell of an optional column that cannot be read does not
    reject its row: it is left empty (:func:`_blank_exprs`).
    ``nul_free``: the files hold no NUL byte, so the test for one is left out."""
    out: list[_Check] = []
    repeated = _header_row_expr(rt)
    if repeated is not None:  # first: a header row read as data fails every other test
        out.append(
            _Check(
                None,
                repeated,
                pl.when(repeated).then(
                    pl.lit(
                        "a repeated header row, as when two exports are joined "
                        "(重复的表头行，例如两份导出文件拼接而成)"
                    )
                ),
            )
        )
    for col in rt.columns:
        if not col.required:
            continue
        out.append(
            _Check(
                col.name,
                bad_expr(f"{_TEXT}{col.name}", col.name, col, nul_free=nul_free),
                problem_expr(f"{_TEXT}{col.name}", col.name, col),
            )
        )
    types = {c.name: c.type for c in rt.columns}
    for check in rt.checks:
        bad = (pl.col(check.column) < pl.col(check.not_before)).fill_null(False)
        # the reason shows both values: 整改日期早于评价日期 (…)（2022-03-01 < 2022-03-05）
        said = pl.format(
            f"{check.reason}（{{}} < {{}}）",
            _value_text(check.column, types[check.column]),
            _value_text(check.not_before, types[check.not_before]),
        )
        out.append(_Check(check.column, bad, pl.when(bad).then(said).otherwise(None)))
    for col in rt.columns:  # references to unknown ids
        if not col.refers_to:
            continue
        ids = known.get(col.refers_to, pl.Series([], dtype=pl.String))
        s = pl.col(col.name)
        bad = (s.is_not_null() & ~_member(s, ids)).fill_null(False)
        target = "candidate" if col.refers_to == "candidates" else col.refers_to
        reason = (
            pl.when(bad)
            .then(pl.format(f"unknown {target} id {{}} (找不到编号 {{}})", s, s))
            .otherwise(None)
        )
        out.append(_Check(col.name, bad, reason, col.refers_to))
    return out


def _value_text(column: str, kind: str) -> pl.Expr:
    """A parsed date or time as a reason shows it (a time to the minute, local)."""
    if kind == "datetime":
        return pl.col(column).dt.strftime("%Y-%m-%d %H:%M")
    return pl.col(column).cast(pl.String)


def _header_row_expr(rt: RecordType) -> pl.Expr | None:
    """Whether a row is a header row repeated inside the file: each required cell holds a
    column name or label of the record type (in any order, in the usual cases)."""
    words: set[str] = set()
    for col in rt.columns:
        words |= {col.name, col.name.lower(), col.name.upper(), col.name.title(), col.label}
    required = [c.name for c in rt.columns if c.required]
    if not required:
        return None
    return pl.all_horizontal(
        [pl.col(f"{_TEXT}{c}").is_in(sorted(words)).fill_null(False) for c in required]
    )


#: from this many ids on, a reference is looked up by binary search, not in a hash set
SEARCH_FROM = 200_000


def _member(s: pl.Expr, ids: pl.Series, search_from: int | None = None) -> pl.Expr:
    """Whether each value of ``s`` is one of ``ids`` (sorted, as :func:`_known_ids` keeps
    them). A few thousand ids (units, people) go in a hash set, which costs next to
    nothing; a million (requests) are searched, value by value, in their sorted
    order, which costs about half the hash set ``is_in`` would build and probe."""
    if ids.len() == 0:
        return pl.lit(False)
    if ids.len() < (SEARCH_FROM if search_from is None else search_from):
        return s.is_in(ids.implode())
    sorted_ids = pl.lit(ids)
    at = sorted_ids.search_sorted(s).clip(0, ids.len() - 1)
    return sorted_ids.gather(at) == s


def _known_ids(ids: pl.Series) -> pl.Series:
    """Accepted ids as :func:`_member` searches them: strings, sorted (in files written
    in id order, as most are, already so)."""
    return ids.cast(pl.String).sort()


def _duplicated(ids: pl.Series) -> pl.Series | None:
    """Which ids repeat one before them (``None``: none does). Ids that strictly increase,
    as in most files, are known to be distinct without hashing them all."""
    n = ids.len()
    if n < 2:
        return None
    if ids.null_count() == 0 and (ids.slice(1) > ids.slice(0, n - 1)).all():
        return None
    dup = ~ids.is_first_distinct()
    return dup if dup.any() else None


_BAD = "__bad"
_BLANKED = "__blanked"


def _parse_all(
    rt: RecordType,
    text: pl.LazyFrame,
    tz: str,
    known: Mapping[str, pl.Series],
    nul_free: bool = False,
) -> tuple[pl.DataFrame, pl.Series | None, pl.Series | None]:
    """Every column parsed, which rows are rejected and which have a cell left empty
    (``None``: none is).

    One query strips each cell once, parses every column and tests every row;
    the text lives only inside the query (for a CSV file, polars reads it as the
    query runs). Dates and times of an uncommon shape, if any, are then parsed by
    the general pattern and the rows tested again. A wholly blank line of a CSV
    file is dropped: it is no row. A cell of an optional column that cannot be read
    is null in the frame (:func:`_blank_exprs` tells which).
    """
    columns = [c.name for c in rt.columns]
    t_of = _text_exprs(rt)
    others = {
        c.name: e for c in rt.columns if (e := other_shape_expr(t_of[c.name], c)) is not None
    }
    flags = [f"{_OTHER}{name}" for name in others]
    checks = _row_checks(rt, known, nul_free)
    bad = pl.any_horizontal([c.bad for c in checks]) if checks else pl.lit(False)
    blanks = _blank_exprs(rt)
    blanked = pl.any_horizontal([b for _, b in blanks]) if blanks else pl.lit(False)
    blank = pl.col(_BLANKABLE) & pl.all_horizontal(
        [pl.col(f"{_TEXT}{c}").is_null() for c in columns]
    )

    def query(fixed: bool) -> pl.DataFrame:
        return (
            text.with_columns(_strip(rt))
            .with_columns(
                [
                    readable(t_of[c.name], parse_expr(t_of[c.name], c, tz, fixed=fixed), c,
                             nul_free=nul_free).alias(c.name)
                    for c in rt.columns
                ]
                + _texts(rt)
            )
            .select(
                [*columns, ROW, FILE, bad.alias(_BAD), blanked.alias(_BLANKED), blank.alias(_BLANK)]
                + [e.alias(flag) for e, flag in zip(others.values(), flags, strict=True)]
            )
            .collect()
        )

    # times placed by the zone's one offset, when it has one where they all fall
    by_offset = fixed_offset(tz) is not None and any(c.type == "datetime" for c in rt.columns)
    parsed = query(by_offset)
    if by_offset and not all(
        in_fixed_window(parsed[c.name], tz) for c in rt.columns if c.type == "datetime"
    ):  # a time outside the window: placed in the zone one by one
        parsed = query(fixed=False)
    if flags and parsed.height:
        anyflag = parsed.select(pl.col(flags).any()).row(0)
        todo = [name for name, has in zip(others, anyflag, strict=True) if has]
        if todo:  # the text again (rare: dates written another way), row for row
            raw = text.select(columns).collect()
            fixed = [
                fix_other_shapes(
                    parsed[name], raw[name], parsed[f"{_OTHER}{name}"].arg_true(),
                    rt.column(name), tz,
                ).alias(name)
                for name in todo
            ]
            # test the rows again with the values the general pattern gave
            parsed = parsed.with_columns(fixed)
            again = (
                _with_text(rt, parsed, raw)
                .select(bad.alias(_BAD), blanked.alias(_BLANKED))
                .collect()
            )
            parsed = parsed.with_columns(again[_BAD], again[_BLANKED])
    if parsed.height and parsed[_BLANK].any():
        parsed = parsed.filter(~pl.col(_BLANK))
    frame = parsed.select([*columns, ROW, FILE])
    bad_rows = parsed[_BAD]
    blank_rows = parsed[_BLANKED] & ~bad_rows
    return (
        frame,
        bad_rows if frame.height and bad_rows.any() else None,
        blank_rows if frame.height and blank_rows.any() else None,
    )


def _with_text(rt: RecordType, parsed: pl.DataFrame, text: pl.DataFrame) -> pl.LazyFrame:
    """The parsed rows beside their stripped text (``_TEXT`` columns), for the row tests."""
    columns = [c.name for c in rt.columns]
    raw = text.select([pl.col(c).alias(f"{_RAW}{c}") for c in columns])
    return (
        pl.concat([parsed.select([*columns, ROW, FILE]), raw], how="horizontal")
        .lazy()
        .with_columns(_strip(rt, _RAW))
        .with_columns(_texts(rt))
    )


def _reasons(
    rt: RecordType,
    text: pl.DataFrame,
    parsed: pl.DataFrame,
    known: Mapping[str, pl.Series],
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
) -> list[Rejection]:
    """The rejected rows (their text and parsed values), each with its first failing
    check's column and reason (the cell text it quotes with its invisible characters
    escaped: :func:`~dxe_eval.io.parse.shown`).

    A reference to a row that was itself rejected names that row and its reason (the
    first record of a cascade); a value that is not one of a choice column's names the
    nearest that is (:func:`_hint`)."""
    checks = _row_checks(rt, known)
    no_text = pl.lit(None, pl.String)
    first = (
        _with_text(rt, parsed, text)
        .select(
            pl.coalesce(
                [pl.when(c.reason.is_not_null()).then(pl.lit(i)) for i, c in enumerate(checks)]
            ).alias("i"),
            pl.coalesce([c.reason for c in checks]).alias("reason"),
            pl.coalesce(
                [
                    pl.when(c.reason.is_not_null()).then(
                        pl.col(f"{_TEXT}{c.column}") if c.column else no_text
                    )
                    for c in checks
                ]
            ).alias("value"),
            pl.col(ROW),
            pl.col(FILE),
            (pl.col(f"{_TEXT}{rt.id_column}") if rt.id_column else no_text).alias("ident"),
        )
        .collect()
    )
    out = []
    for i, reason, value, row, file, ident in first.iter_rows():
        check = checks[i]
        if check.refers_to and value is not None:
            reason = _cascaded(check.refers_to, value, reason, rejected_ids, record_types)
        elif check.column is not None:
            reason += _hint(rt.column(check.column), value)
        out.append(
            Rejection(
                record_type=rt.name,
                file=file,
                row=row,
                column=check.column,
                reason=shown(reason),
                ident=ident,
            )
        )
    return out


def _cascaded(
    target: str,
    value: str,
    reason: str,
    rejected_ids: Mapping[str, Mapping[str, Rejection]],
    record_types: Mapping[str, RecordType],
) -> str:
    """``reason`` for a reference to ``value``, naming the row of ``target`` with that id
    that was rejected, and why, when there is one."""
    first = rejected_ids.get(target, {}).get(value)
    if first is None:
        return reason
    rt = record_types.get(first.record_type)
    label = rt.label if rt is not None else first.record_type
    return (
        f"{label} {value} 在 {first.file} 第 {first.row} 行被拒收：{first.reason} "
        f"({first.record_type} id {value} was rejected at {first.file} row {first.row})"
    )


def _hint(column: Column, value: str | None) -> str:
    """`` (did you mean X? 是否应为 X？)`` for a value of a choice column that is near one of
    its values, else the empty string."""
    if column.type != "choice" or not value:
        return ""
    near = nearest(value, list(column.choices))
    if near is None:
        return ""
    return f" (did you mean {near}? 是否应为 {near}？)"


def _blank_exprs(rt: RecordType) -> list[tuple[str, pl.Expr]]:
    """Per optional column: whether its cell has text that could not be read (the value is
    then null: :func:`~dxe_eval.io.parse.readable`), on the ``_TEXT`` columns."""
    return [
        (c.name, pl.col(f"{_TEXT}{c.name}").is_not_null() & pl.col(c.name).is_null())
        for c in rt.columns
        if not c.required
    ]


def _blanks(
    rt: RecordType,
    text: pl.DataFrame,
    parsed: pl.DataFrame,
    headers: Mapping[str, Mapping[str, str]],
) -> list[Blank]:
    """The cells left empty in the rows given (their text and parsed values): one for each
    optional column whose text could not be read, with the value and why."""
    rows = _with_text(rt, parsed, text).collect()
    out: list[Blank] = []
    for name, flag in _blank_exprs(rt):
        column = rt.column(name)
        t = f"{_TEXT}{name}"
        found = rows.filter(flag).select(
            ROW, FILE, pl.col(t).str.slice(0, 40).alias("value"),
            problem_expr(t, name, column).alias("reason"),
        )
        for row, file, value, reason in found.iter_rows():
            out.append(
                Blank(
                    record_type=rt.name,
                    file=file,
                    row=row,
                    column=name,
                    header=headers.get(file, {}).get(name, column.label),
                    value=shown(value),
                    reason=shown(reason + _hint(column, value)),
                )
            )
    return sorted(out, key=lambda b: (b.file, b.row, [c.name for c in rt.columns].index(b.column)))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _collect_folder(
    folder: Path,
    record_types: Mapping[str, RecordType],
    hashing: ThreadPoolExecutor,
    *,
    lenient: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> tuple[dict[str, list[_Raw]], list[SourceFile], list[str], dict[str, Future[str]]]:
    """The raw rows, the sources, the warnings and the digests of a folder's files.

    Each file's SHA-256 (for the manifest) is worked out in ``hashing``, beside the
    reading and validation that follow (hashing lets go of the GIL); the digests, by
    file name, go into the sources once they are validated (:func:`_validated`)."""
    raws: dict[str, list[_Raw]] = {name: [] for name in record_types}
    sources: list[SourceFile] = []
    warnings: list[str] = []
    digests: dict[str, Future[str]] = {}
    names_of = {rt.name: (rt.name, rt.label) for rt in record_types.values()}
    files = data_files(
        folder, SUFFIXES, lambda stem: _match_type(stem, record_types), names_of, warnings
    )
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            from dxe_eval.io.xlsx import read_workbook

            for sheet_type, raw, ignored, src in read_workbook(
                path, record_types, warnings, limits=limits
            ):
                raws[sheet_type].append(raw)
                sources.append(src)
                warnings.extend(_ignored(raw, ignored, record_types[sheet_type], lenient))
            continue
        if suffix not in SUFFIXES:
            continue
        name = _match_type(path.stem, record_types)
        if name is None:
            warnings.append(
                f"文件 {path.name} 不对应任何记录类型，已忽略 "
                f"(file {path.name} matches no record type; ignored)"
            )
            continue
        data = path.read_bytes()
        digests[path.name] = hashing.submit(_sha256, data)
        rt = record_types[name]
        if suffix in (".jsonl", ".ndjson"):
            text, encoding = decode(data, path.name)
            raw, ignored = read_jsonl_text(text, rt, path.name)
        else:
            utf8, encoding = utf8_bytes(data, path.name)
            if utf8 is not None:  # passed to polars as it is
                raw, ignored = read_csv_utf8(utf8, rt, path.name)
            else:
                text, encoding = decode(data, path.name)
                raw, ignored = read_csv_text(text, rt, path.name)
        raws[name].append(raw)
        warnings.extend(_ignored(raw, ignored, rt, lenient))
        sources.append(
            SourceFile(
                record_type=name,
                path=path.name,
                sha256="",  # from ``digests``, once validated
                rows=raw.rows(),  # for a query: counted in validation
                encoding=encoding,
            )
        )
    return raws, sources, warnings, digests


def _ignored(raw: _Raw, ignored: list[str], rt: RecordType, lenient: bool) -> list[str]:
    """The warnings for the headers of ``raw`` that are not in the contract. One that is a
    near miss of a column the file lacks (:func:`~dxe_eval.io.headers.near_misses`) is
    an error naming both, unless ``lenient`` (then a warning of its own)."""
    if not ignored:
        return []
    file = raw.file
    out = []
    for header, col in near_misses(ignored, raw.headers, rt):
        zh = (
            f"{rt.label} 的列 {header} 不在数据格式中，是否应为 {col.label}（{col.name}）？"
        )
        en = (
            f"column {header!r} of {rt.name} is not in the contract: did you mean "
            f"{col.label!r} ({col.name})?"
        )
        if not lenient:
            raise DataError(
                f"{en} Correct the header, or run with --lenient to ignore the column",
                file=file,
                column=header,
                zh=f"{zh}请改正表头，或加 --lenient 忽略该列",
            )
        out.append(f"文件 {file}：{zh}已按 --lenient 忽略该列 / {file}: {en} Ignored (--lenient)")
    return [
        *out,
        f"文件 {file} 中的列 {'、'.join(ignored)} 不在数据格式中，已忽略 "
        f"(columns {', '.join(ignored)} of {file} are not in the contract; ignored)",
    ]


def read_dataset(
    data: str | Path | Mapping[str, Any],
    record_types: Mapping[str, RecordType],
    *,
    timezone: str = "Asia/Shanghai",
    lenient: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> Dataset:
    """Read a data set: a folder, an ``.xlsx`` workbook, or records per type in memory.

    A header that is a near miss of a contract column the file lacks is an error unless
    ``lenient``; ``limits`` caps what a workbook may unpack to."""
    warnings: list[str] = []
    if isinstance(data, str | Path):
        path = Path(data)
        if not path.exists():
            raise DataError("no such file or folder", file=str(path), zh="找不到数据文件或文件夹")
        if path.is_dir():
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxe-eval-sha") as hashing:
                raws, sources, warnings, digests = _collect_folder(
                    path, record_types, hashing, lenient=lenient, limits=limits
                )
                return _validated(raws, sources, warnings, record_types, timezone, data, digests)
        elif path.suffix.lower() == ".xlsx":
            from dxe_eval.io.xlsx import read_workbook

            raws = {name: [] for name in record_types}
            sources = []
            for sheet_type, raw, ignored, src in read_workbook(
                path, record_types, warnings, limits=limits
            ):
                raws[sheet_type].append(raw)
                sources.append(src)
                warnings.extend(_ignored(raw, ignored, record_types[sheet_type], lenient))
        else:
            raise DataError(
                "expected a folder of CSV/JSON Lines files or an .xlsx workbook",
                file=str(path),
                zh="数据应为文件夹或 .xlsx 工作簿",
            )
    elif isinstance(data, Mapping):
        raws = {name: [] for name in record_types}
        sources = []
        for key, value in data.items():
            name = _match_type(str(key), record_types)
            if name is None:
                raise DataError(
                    f"unknown record type {key!r}", file=str(key), zh=f"未知的记录类型 {key}"
                )
            rt = record_types[name]
            if isinstance(value, Sequence) and not isinstance(value, str | bytes):
                raw, ignored = records_to_raw(list(value), rt, f"<{name}>")
            else:
                raw, ignored = frame_to_raw(value, rt, f"<{name}>")
            raws[name].append(raw)
            warnings.extend(_ignored(raw, ignored, rt, lenient))
    else:
        raise DataError(
            f"cannot read a data set from {type(data).__name__}", zh="无法识别的数据输入"
        )
    return _validated(raws, sources, warnings, record_types, timezone, data)


def _validated(
    raws: dict[str, list[_Raw]],
    sources: list[SourceFile],
    warnings: list[str],
    record_types: Mapping[str, RecordType],
    timezone: str,
    data: Any,
    digests: Mapping[str, Future[str]] | None = None,
) -> Dataset:
    """The data set of the raw rows: each type validated, in the order references need.

    The sources get what is known only now: the rows of a file read as a query, and
    the ``digests`` of a folder's files, worked out beside the validation."""
    if "units" in record_types and not raws.get("units"):
        _no_units(record_types["units"], data)
    frames: dict[str, pl.DataFrame] = {}
    counts: dict[str, Counts] = {}
    rejected: list[Rejection] = []
    blanked: list[Blank] = []
    known: dict[str, pl.Series] = {}  # the accepted ids of each type, for references
    # the rejected rows of each type by id (the first one of an id), for references to them
    rejected_ids: dict[str, dict[str, Rejection]] = {"candidates": {}}
    rows_of: dict[str, int] = {}  # rows read per file
    columns = [
        (name, raw.file, raw.headers, raw.tabular) for name, some in raws.items() for raw in some
    ]
    for name in _type_order(record_types):
        rt = record_types[name]
        # popped: the text frames of a type are dropped once it is validated
        frame, rej, blanks, read, per_file = _validate(
            rt, raws.pop(name, []), timezone, known, rejected_ids, record_types, frames
        )
        rows_of.update(per_file)
        frames[name] = frame
        rejected.extend(rej)
        blanked.extend(blanks)
        counts[name] = Counts(
            read=read, accepted=frame.height, rejected=len(rej), blanked=len(blanks)
        )
        by_id = {r.ident: r for r in reversed(rej) if r.ident}  # the first of an id wins
        rejected_ids[name] = by_id
        if rt.candidate_kind:
            rejected_ids["candidates"] = {**by_id, **rejected_ids["candidates"]}
        if rt.id_column:
            known[name] = _known_ids(frame[rt.id_column])
        if rt.candidate_kind:
            known["candidates"] = _known_ids(
                pl.concat(
                    [known.get("candidates", pl.Series([], dtype=pl.String)),
                     known.get(name, pl.Series([], dtype=pl.String))]
                )
            )
    order = {name: i for i, name in enumerate(record_types)}
    rejected.sort(key=lambda r: (order.get(r.record_type, len(order)), r.file, r.row))
    blanked.sort(key=lambda b: (order.get(b.record_type, len(order)), b.file, b.row))
    if blanked:
        warnings.append(_blank_summary(blanked))
    return Dataset(
        frames={name: frames[name] for name in record_types},
        rejected=tuple(rejected),
        blanked=tuple(blanked),
        columns=tuple(
            FileColumns(record_type=t, file=f, headers=h, rows=rows_of.get(f, 0), tabular=tab)
            for t, f, h, tab in columns
        ),
        counts={name: counts[name] for name in record_types},
        sources=tuple(_completed(src, rows_of, digests or {}) for src in sources),
        warnings=tuple(warnings),
        timezone=timezone,
        origin=str(data) if isinstance(data, str | Path) else "",
    )


def _blank_summary(blanked: Sequence[Blank]) -> str:
    """One warning for the cells left empty: how many, of which types, and the first."""
    per_type = Counter(b.record_type for b in blanked)
    zh = "，".join(f"{k} {v}" for k, v in per_type.items())
    en = ", ".join(f"{k} {v}" for k, v in per_type.items())
    n = len(blanked)
    return (
        f"{n} 个单元格取值无效，已置空，所在行照常接收（{zh}），详见置空清单；"
        f"首个：{blanked[0].describe()} "
        f"/ {n} cell(s) with a value that cannot be read were left empty, their rows kept "
        f"({en}); see the blanked list"
    )


def _no_units(rt: RecordType, data: Any) -> None:
    """Raise for a data set without units, naming what is expected where: a file of the
    folder, a sheet of the workbook, records in memory."""
    en, zh = rt.name, rt.label
    if isinstance(data, str | Path) and Path(data).suffix.lower() == ".xlsx":
        raise DataError(
            f"no {en} sheet: the workbook needs a sheet named {zh} or {en}; "
            "there is nothing to score",
            file=str(data),
            zh=f"缺少{zh}工作表：工作簿中应有名为 {zh} 或 {en} 的工作表",
        )
    if isinstance(data, str | Path):
        raise DataError(  # no file=: the folder is no file
            f"no {en} file: the folder {data} needs {en}.csv or {zh}.csv; "
            "there is nothing to score",
            zh=f"缺少{zh}文件：文件夹 {data} 中应有 {en}.csv 或 {zh}.csv",
        )
    raise DataError(
        f"no {en} records ({en} or {zh}): there is nothing to score",
        zh=f"缺少{zh}记录（{zh} 或 {en}）",
    )


def _completed(
    src: SourceFile, rows_of: Mapping[str, int], digests: Mapping[str, Future[str]]
) -> SourceFile:
    """``src`` with its rows counted in validation (a query) and its digest (a folder's file)."""
    changes: dict[str, Any] = {}
    if src.rows < 0:
        changes["rows"] = rows_of.get(src.path, 0)
    if src.path in digests:
        changes["sha256"] = digests[src.path].result()
    return attrs.evolve(src, **changes) if changes else src
