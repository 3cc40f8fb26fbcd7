"""Laws of the input guardrails: whatever one cell of a file holds, the run says so in words
(never a traceback), and no other row's result changes.

One cell of one request row is replaced by arbitrary text (written as a CSV writer
quotes it) or arbitrary bytes (quoted the same way, byte for byte). The data set is
read, and what every other request row became (accepted with its values, or
rejected, or a cell left empty) must be what it was. No other file refers to
requests here, so nothing may cascade; a value equal to another row's id would
make that row a duplicate, so such values are left out.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import polars as pl
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dxe_eval.errors import DxeEvalError
from dxe_eval.manager import get_registry
from dxe_eval.read.dataset import read_dataset
from dxe_eval.read.raw import Dataset

_TYPES = get_registry(autoload=False).record_types
COLUMNS = [c.name for c in _TYPES["requests"].columns]
UNITS = "unit_id,name,category,staff_count\nU1,质量发展处,处室,12\nU2,标准化处,处室,8\n"
ROWS = [
    {
        "request_id": "R1",
        "unit_id": "U1",
        "received_at": "2022-03-01 10:00:00",
        "responded_at": "2022-03-01 11:00:00",
        "closed_at": "2022-03-02 10:00:00",
        "outcome": "delivered",
        "kind": "咨询",
        "channel": "12345",
    },
    {
        "request_id": "R2",
        "unit_id": "U2",
        "received_at": "2022-03-02 10:00:00",
        "kind": "投诉",
        "outcome": "open",
    },
    {
        "request_id": "R3",
        "unit_id": "U1",
        "received_at": "2022/3/3 9:30",
        "responded_at": "2022-03-04 09:00:00+08:00",
        "handler_id": "",
    },
]
IDS = {r["request_id"] for r in ROWS}


def _fields(row: dict[str, Any]) -> list[bytes]:
    return [str(row.get(c, "")).encode("utf-8") for c in COLUMNS]


def _quoted(cell: bytes) -> bytes:
    return b'"' + cell.replace(b'"', b'""') + b'"'


def _write(folder: Path, at: int, column: int, cell: bytes | None) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    lines = [",".join(COLUMNS).encode()]
    for i, row in enumerate(ROWS):
        fields = [_quoted(f) for f in _fields(row)]
        if i == at and cell is not None:
            fields[column] = _quoted(cell)
        lines.append(b",".join(fields))
    (folder / "requests.csv").write_bytes(b"\r\n".join(lines) + b"\r\n")
    return folder


def _outcome(ds: Dataset) -> dict[Any, Any]:
    """Each request row's result by its id (a cell with a line end moves the line numbers
    of the rows after it, not their results): its values and blanks, or its rejection."""
    out: dict[Any, Any] = {}
    frame = ds.frames["requests"]
    for row in frame.select([*COLUMNS, "_row"]).iter_rows(named=True):
        number = row.pop("_row")
        blanks = sorted(
            (b.column, b.reason)
            for b in ds.blanked
            if b.record_type == "requests" and b.row == number
        )
        out[row["request_id"]] = ("accepted", row, blanks)
    for r in ds.rejected:
        if r.record_type == "requests":
            out[r.ident] = ("rejected", r.column, r.reason)
    return out


_BASE: dict[Any, Any] = {}


def _base(tmp: Path) -> dict[Any, Any]:
    if not _BASE:
        _BASE.update(_outcome(read_dataset(_write(tmp / "base", 0, 0, None), _TYPES)))
    return _BASE


def _same_elsewhere(tmp: Path, at: int, column: int, cell: bytes) -> None:
    try:
        ds = read_dataset(_write(tmp / "changed", at, column, cell), _TYPES)
    except DxeEvalError:
        return  # a file-level problem (an encoding that is no encoding): said in words
    got = _outcome(ds)
    base = _base(tmp)
    others = IDS - {ROWS[at]["request_id"]}
    assert {k: got.get(k) for k in others} == {k: base[k] for k in others}
    c = ds.counts["requests"]
    assert c.read == c.accepted + c.rejected == len(ROWS)


@settings(max_examples=25)  # each example reads a data set: a few dozen say enough
@given(
    at=st.integers(0, len(ROWS) - 1),
    column=st.integers(0, len(COLUMNS) - 1),
    text=st.text(max_size=40),
)
def test_any_text_in_one_cell_changes_no_other_row(
    tmp_path_factory: Any, at: int, column: int, text: str
) -> None:
    assume(text.strip() not in IDS)
    tmp = tmp_path_factory.getbasetemp() / "guardrails-text"
    tmp.mkdir(exist_ok=True)
    buf = io.StringIO()
    csv.writer(buf).writerow([text])  # only to be sure the text is a CSV cell at all
    _same_elsewhere(tmp, at, column, text.encode("utf-8", errors="surrogatepass"))


@settings(max_examples=25)
@given(
    at=st.integers(0, len(ROWS) - 1),
    column=st.integers(0, len(COLUMNS) - 1),
    cell=st.binary(max_size=40),
)
def test_any_bytes_in_one_cell_change_no_other_row(
    tmp_path_factory: Any, at: int, column: int, cell: bytes
) -> None:
    assume(cell.strip() not in {i.encode() for i in IDS})
    tmp = tmp_path_factory.getbasetemp() / "guardrails-bytes"
    tmp.mkdir(exist_ok=True)
    _same_elsewhere(tmp, at, column, cell)


def test_the_base_reads_whole() -> None:
    # the unchanged data: 3 requests, all accepted, nothing left empty (so the laws above
    # compare against rows that were read, not against rejections)
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        ds = read_dataset(_write(Path(tmp), 0, 0, None), _TYPES)
    assert ds.frames["requests"].height == 3 and not ds.rejected and not ds.blanked
    assert isinstance(ds.frames["requests"], pl.DataFrame)
