"""Writing whole or not at all, and reading workbooks within their caps."""

from __future__ import annotations

import io
import os
import threading
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from dxe_eval.errors import DataError, DxeEvalError
from dxe_eval.files import refuse_inputs, replacing, write_text
from dxe_eval.manager import get_registry
from dxe_eval.read.dataset import read_dataset
from dxe_eval.read.limits import ReadLimits

TYPES = get_registry(autoload=False).record_types


def test_an_error_while_writing_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "result.json"
    target.write_text("previous", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt), replacing(target) as f:
        f.write(b"half a docu")
        raise KeyboardInterrupt
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_two_writers_of_one_file_each_write_it_whole(tmp_path: Path) -> None:
    # two runs writing one file at once: each writes its own temporary file and renames it
    # over the target; whichever renames last stays, and it is whole (never a mix)
    target = tmp_path / "out.txt"
    texts = ["a" * 200_000 + "\n", "b" * 300_000 + "\n"]
    threads = [threading.Thread(target=write_text, args=(target, t)) for t in texts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert target.read_text(encoding="utf-8") in texts
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_new_file_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_text(tmp_path / "new.txt", "x")
    finally:
        os.umask(umask)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644


def test_output_naming_an_input_through_a_link_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text("unit_id,name,category\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(data)
    with pytest.raises(DxeEvalError, match="is an input of this run"):
        refuse_inputs(tmp_path / "link.csv", [data])
    refuse_inputs(tmp_path / "other.json", [data])  # anything else is fine


def _workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位编号", "单位名称", "类别"])
    ws.append(["U1", "质量发展处", "处室"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _with_declared_size(data: bytes, member: str, size: int) -> bytes:
    """``data`` (a zip) with ``member``'s declared unpacked size in the central directory and
    the local header set to ``size``, as a forger would write it."""
    z = zipfile.ZipFile(io.BytesIO(data))
    info = z.getinfo(member)
    out = bytearray(data)
    # the local header: signature, version, flags, method, time, date, crc, csize, usize
    local = info.header_offset
    out[local + 22 : local + 26] = size.to_bytes(4, "little")
    # each central record names the member; find the one for ``member``
    at = data.index(b"PK\x01\x02")
    while True:
        name_len = int.from_bytes(data[at + 28 : at + 30], "little")
        extra = int.from_bytes(data[at + 30 : at + 32], "little")
        comment = int.from_bytes(data[at + 32 : at + 34], "little")
        if data[at + 46 : at + 46 + name_len].decode() == member:
            out[at + 24 : at + 28] = size.to_bytes(4, "little")
            break
        at += 46 + name_len + extra + comment
    return bytes(out)


def test_a_workbook_declaring_a_huge_size_is_refused_before_unpacking(tmp_path: Path) -> None:
    # the sheet declares 4,000,000,000 bytes unpacked: more than 512 MB, refused at once
    path = tmp_path / "数据.xlsx"
    path.write_bytes(_with_declared_size(_workbook(), "xl/worksheets/sheet1.xml", 4_000_000_000))
    with pytest.raises(DataError, match="more than the limit of 512 MB"):
        read_dataset(path, TYPES)


def test_a_sheet_unpacking_to_more_than_it_declares_is_a_data_error(tmp_path: Path) -> None:
    # declared 10 bytes, far fewer than the sheet's XML: zipfile stops at 10 bytes and the
    # check of the part fails; a data error naming the workbook, not a traceback
    path = tmp_path / "数据.xlsx"
    path.write_bytes(_with_declared_size(_workbook(), "xl/worksheets/sheet1.xml", 10))
    with pytest.raises(DataError, match=r"数据\.xlsx"):
        read_dataset(path, TYPES)


def test_rows_past_the_cap_are_an_error_naming_the_sheet(tmp_path: Path) -> None:
    # the header and one unit are 2 rows: a cap of 1 row is past at row 2
    path = tmp_path / "数据.xlsx"
    path.write_bytes(_workbook())
    with pytest.raises(DataError, match="more than 1 rows") as caught:
        read_dataset(path, TYPES, limits=ReadLimits(xlsx_rows=1))
    assert "数据.xlsx:单位" in str(caught.value)
