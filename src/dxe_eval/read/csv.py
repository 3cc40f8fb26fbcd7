"""Reading CSV files (UTF-8 with or without BOM, GB18030) into :class:`~dxe_eval.read.raw.Raw`
rows."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Final

import polars as pl

from dxe_eval.errors import DataError
from dxe_eval.read.raw import (
    ROW,
    Raw,
    Reader,
    ReadFile,
    canonical_headers,
    decode,
    frame_from_rows,
    spelled_headers,
    utf8_bytes,
)
from dxe_eval.schema import RecordType

LINE_END = re.compile(rb"\r\n|\r|\n")


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
    end = LINE_END.search(data)
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
                    f"the header is one column holding {name}: columns must be separated by commas",
                    file=file,
                    row=1,
                    zh="表头只有一列且含分隔符：CSV 文件的列应以英文逗号分隔",
                )
    return headers, body


def read_csv_text(text: str, rt: RecordType, file: str) -> tuple[Raw, list[str]]:
    """Rows of a CSV text; a ragged row is rejected, the rest kept as text columns."""
    return read_csv_utf8(text.encode("utf-8"), rt, file)


def read_csv_utf8(data: bytes, rt: RecordType, file: str) -> tuple[Raw, list[str]]:
    """Rows of CSV bytes in UTF-8 (no BOM), as :func:`read_csv_text` of their text."""
    headers, body_at = _header_row(data, file)
    names, ignored = canonical_headers(headers, rt, file)
    spelled = spelled_headers(headers, names)
    width = len(headers)
    schema = {f"c{i}": pl.String for i in range(width)}
    # polars ends lines at LF only: NUL bytes and lone CRs (old Mac or mixed endings)
    # take the slow path, which counts lines as a person sees them (the header has neither:
    # it was read up to its line end, and a NUL in it is an error)
    plain = b"\x00" not in data and (b"\r" not in data or data.count(b"\r") == data.count(b"\r\n"))
    # a line end inside quotes would make the row numbers drift: the slow way too
    if plain and not (b'"' in data and _has_multiline_quotes(data, body_at)):
        # a query over the bytes as they are, the header line skipped: validation then
        # parses the cells as polars reads them, without holding the text columns
        columns = [pl.col(f"c{i}").alias(n) for i, n in enumerate(names) if n]

        def scan(body: bytes, first_row: int, skip: int = 0) -> pl.LazyFrame:
            return (
                pl.scan_csv(
                    body, has_header=False, skip_lines=skip, schema=schema, raise_if_empty=False
                )
                .with_row_index(ROW, offset=first_row)
                .select([*columns, pl.col(ROW).cast(pl.Int64)])
            )

        def piece(a: int, b: int, first_row: int) -> Callable[[], pl.LazyFrame]:
            # the piece's bytes copied only while it is read
            return lambda: scan(data[a:b], first_row)

        # the whole file, the header line skipped (polars counts no header here: data row
        # i is line i + 2)
        lazy = scan(data, 2, skip=1)
        # a big file also in pieces cut after a line end (no quoted cell spans lines
        # here), each numbered from the lines before it
        cuts = _cuts(data, body_at, PIECE)
        firsts = [2]  # each piece's first row: the lines before it, counted piece by piece
        for a, b in itertools.pairwise(cuts[:-1]):
            firsts.append(firsts[-1] + data.count(b"\n", a, b))
        parts = tuple(
            piece(a, b, first) for a, b, first in zip(cuts, cuts[1:], firsts, strict=False)
        )
        return Raw(
            file=file,
            frame=lazy,
            parts=parts if len(parts) > 1 else (),
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
) -> Raw:
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
        raise DataError(
            f"cannot read CSV: {exc}", file=file, row=line, zh=f"CSV 文件无法读取（{exc}）"
        ) from None
    frame, rejected = frame_from_rows(names, rows, numbers, file, rt)
    return Raw(file=file, frame=frame, pre_rejected=tuple(rejected), headers=spelled)


#: a CSV file's bytes are validated in pieces of about this size (about 130,000 requests)
PIECE: Final = 16 << 20


def _cuts(data: bytes, start: int, piece: int) -> list[int]:
    """Offsets from ``start`` to the end of ``data``, about ``piece`` bytes apart, each
    just after a line end (or the end)."""
    cuts = [start]
    while len(data) - cuts[-1] > piece:
        end = data.find(b"\n", cuts[-1] + piece)
        if end < 0 or end + 1 >= len(data):
            break
        cuts.append(end + 1)
    cuts.append(len(data))
    return cuts


def _has_multiline_quotes(data: bytes, start: int = 0) -> bool:
    """Whether a line end falls inside double quotes (every other piece between quotes),
    counting from ``start``."""
    return any(b"\n" in piece for piece in data[start:].split(b'"')[1::2])


def read_csv_file(data: bytes, rt: RecordType, file: str) -> ReadFile:
    """A CSV file's bytes: UTF-8 goes to polars as it is, GB18030 is decoded first."""
    utf8, encoding = utf8_bytes(data, file)
    if utf8 is not None:  # passed to polars as it is
        raw, ignored = read_csv_utf8(utf8, rt, file)
    else:
        text, encoding = decode(data, file)
        raw, ignored = read_csv_text(text, rt, file)
    return ReadFile(raw=raw, ignored=ignored, encoding=encoding)


#: CSV files; ``.txt`` is what Excel's "Unicode text" and some systems' exports are called
CSV_READER: Final = Reader(name="csv", suffixes=(".csv", ".txt"), read=read_csv_file)
