"""The shared reading layer: rows of a file as text before validation (:class:`Raw`), the
value objects a read gives (:class:`Dataset`, :class:`Rejection`, :class:`Counts`…), decoding,
and the mapping of a file's headers onto a record type's columns. Every reader uses it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import polars as pl
from attrs import field, frozen

from dxe_eval.errors import DataError
from dxe_eval.read.encoding import mixed_line
from dxe_eval.read.headers import near_misses
from dxe_eval.read.limits import ReadLimits
from dxe_eval.schema import RecordType

ROW = "_row"


FILE = "_file"


DEFAULT_LIMITS = ReadLimits()


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
class Raw:
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
    fallback: Callable[[], Raw] | None = None
    #: the file's bytes hold no NUL, so no cell of it needs testing for one
    nul_free: bool = False
    #: contract name → the header as the file spells it
    headers: Mapping[str, str] = field(factory=dict)
    #: the columns come from a header row (not from the keys of records)
    tabular: bool = True
    #: ``frame`` in pieces of a few hundred thousand rows, in order (a big CSV file), each
    #: made when called: validation parses one piece at a time, so what it works on at
    #: once is a piece
    parts: tuple[Callable[[], pl.LazyFrame], ...] = ()

    def rows(self) -> int:
        """The rows read, rejected ones too; ``-1`` for a query (counted as it runs)."""
        if isinstance(self.frame, pl.LazyFrame):
            return -1
        return self.frame.height + len(self.pre_rejected)


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
    (:func:`~dxe_eval.read.encoding.mixed_line`): it would be read garbled."""
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
    if not data.isascii() and not _is_utf8(data):
        return None, ""
    return data, name


#: UTF-8 is checked this many bytes at a time: a big file is not copied whole to check it
UTF8_CHUNK: Final = 1 << 24


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, checked by polars (several times faster than
    ``bytes.decode``) in pieces of about :data:`UTF8_CHUNK` bytes cut after a line end
    (no UTF-8 sequence holds the byte ``\\n``), so the check costs a piece, not a copy of
    the file."""
    view = memoryview(data)
    start = 0
    while start < len(data):
        end = len(data) if len(data) - start <= UTF8_CHUNK else data.find(b"\n", start + UTF8_CHUNK)
        end = len(data) if end < 0 else end + 1
        try:
            pl.Series([view[start:end].tobytes()], dtype=pl.Binary).cast(pl.String)
        except pl.exceptions.PolarsError:
            return False
        start = end
    return True


def _refuse_wide(data: bytes, file: str) -> None:
    head = data[:4096].split(b"\n", 1)[0]
    if (
        data[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
        or data[:2]
        in (
            b"\xff\xfe",
            b"\xfe\xff",
        )
        or (len(head) > 1 and head.count(b"\x00") * 4 >= len(head))
    ):
        raise DataError(
            "cannot decode: the file looks like UTF-16 or UTF-32 (or binary); "
            "save it as CSV in UTF-8 or GB18030",
            file=file,
            zh="文件似乎是 UTF-16/UTF-32 编码或二进制文件：请另存为 UTF-8 或 GB18030 编码的 CSV",
        )


def match_type(stem: str, record_types: Mapping[str, RecordType]) -> str | None:
    stem_l = stem.lower()
    for rt in record_types.values():
        for name in (rt.name, rt.label):
            n = name.lower()
            if stem_l == n or any(stem_l.startswith(n + sep) for sep in ("-", "_", ".", " ")):
                return rt.name
    return None


def header_map(rt: RecordType) -> dict[str, str]:
    out: dict[str, str] = {}
    for col in rt.columns:
        out[col.name.lower()] = col.name
        out[col.label] = col.name
    return out


def canonical_headers(
    headers: Sequence[Any], rt: RecordType, file: str
) -> tuple[list[str | None], list[str]]:
    """Map a file's headers to column names; return the mapping and the ignored headers."""
    lookup = header_map(rt)
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


def frame_from_rows(
    names: list[str | None],
    rows: Iterable[Sequence[Any]],
    row_numbers: Iterable[int],
    file: str,
    rt: RecordType,
) -> tuple[pl.DataFrame, list[Rejection]]:
    """Rows of cells (a header's ``names`` from :func:`canonical_headers`; a column named
    ``None`` is dropped) as a frame of text columns with their row numbers; a row with
    more cells than the header is rejected, a wholly blank one skipped."""
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
                    reason=f"字段数 {len(row)} 与表头列数 {width} 不符 / "
                    f"{len(row)} fields, but the header has {width}",
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
                            reason="含有无效的 Unicode 字符（单独的代理码位） / "
                            "not valid Unicode text: a lone surrogate",
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


@frozen(kw_only=True)
class ReadFile:
    """What a reader makes of one file: its rows as text, the headers not in the contract,
    and the encoding it was read in (for the manifest)."""

    raw: Raw
    ignored: list[str]
    encoding: str


@frozen(kw_only=True)
class Reader:
    """A file format a data folder may hold, registered through the
    ``dxe_eval_register_readers`` hook like a rule.

    ``suffixes`` are the file name endings it reads (lower case, with the dot: ``.csv``);
    ``read(data, record_type, file)`` turns a file's bytes into a :class:`ReadFile`, and
    builds its rows with the shared layer (:func:`frame_from_rows`,
    :func:`canonical_headers`, :func:`decode`…), so that validation, rejections and
    counts are the same for every format. ``plugin`` is filled in by the registry."""

    name: str
    suffixes: tuple[str, ...]
    read: Callable[[bytes, RecordType, str], ReadFile]
    plugin: str = ""
