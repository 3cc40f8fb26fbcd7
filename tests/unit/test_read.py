"""Reading: encodings, Chinese headers, value formats, rejections with file/row/column, counts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from dxe_eval.errors import DataError
from dxe_eval.read.dataset import read_dataset
from tests import builders

UNITS = "unit_id,name,category\nU1,甲,处室\nU2,乙,市州局\n"


def _types():
    return builders.registry().record_types


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    return folder


def _counts_hold(ds) -> None:
    for name, c in ds.counts.items():
        assert c.read == c.accepted + c.rejected, name


def test_chinese_headers_and_gb18030(tmp_path: Path) -> None:
    units = "单位编号,单位名称,类别\nU1,质量发展处,处室\n".encode("gb18030")
    reqs = "需求编号,单位编号,接收时间\nR1,U1,2022/9/30 10:00\n".encode("gb18030")
    ds = read_dataset(_write(tmp_path, {"单位.csv": units, "服务需求.csv": reqs}), _types())
    assert ds.frames["units"]["name"].to_list() == ["质量发展处"]
    got = ds.frames["requests"]["received_at"][0]
    assert got.replace(tzinfo=None) == dt.datetime(2022, 9, 30, 10, 0)
    assert ds.sources[0].encoding == "gb18030"
    _counts_hold(ds)


def test_utf8_bom_and_offsets(tmp_path: Path) -> None:
    reqs = (
        "\ufeffrequest_id,unit_id,received_at\n"
        "R1,U1,2022-09-30T02:00:00Z\n"  # 02:00 UTC = 10:00 in Shanghai
        "R2,U1,2022-09-30T10:00:00+08:00\n"
        "R3,U1,2022-09-30 10:00\n"
    )
    ds = read_dataset(_write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs}), _types())
    local = [t.replace(tzinfo=None) for t in ds.frames["requests"]["received_at"]]
    assert local == [dt.datetime(2022, 9, 30, 10, 0)] * 3


def test_bad_date_is_rejected_with_file_row_column(tmp_path: Path) -> None:
    reqs = (
        "request_id,unit_id,received_at\n"
        "R1,U1,2022-09-30 10:00\n"
        "R2,U1,2022-02-30 10:00\n"  # row 3: no 30 February
        "R3,U9,2022-09-30 10:00\n"
    )  # row 4: unknown unit
    ds = read_dataset(_write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs}), _types())
    c = ds.counts["requests"]
    assert (c.read, c.accepted, c.rejected) == (3, 1, 2)
    bad = {(r.file, r.row, r.column) for r in ds.rejected}
    assert bad == {("requests.csv", 3, "received_at"), ("requests.csv", 4, "unit_id")}
    assert any("U9" in r.reason for r in ds.rejected)


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    units = UNITS + "U1,丙,处室\n"  # row 4 repeats U1
    ds = read_dataset(_write(tmp_path, {"units.csv": units}), _types())
    assert ds.frames["units"]["name"].to_list() == ["甲", "乙"]
    (rej,) = ds.rejected
    assert (rej.row, rej.column) == (4, "unit_id")
    assert "units.csv row 2" in rej.reason


def test_missing_required_column_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {"units.csv": UNITS, "requests.csv": "request_id,unit_id\nR1,U1\n"})
    with pytest.raises(DataError) as info:
        read_dataset(tmp_path, _types())
    assert info.value.file == "requests.csv"
    assert info.value.column == "received_at"


def test_response_before_receipt_is_rejected(tmp_path: Path) -> None:
    reqs = "request_id,unit_id,received_at,responded_at\nR1,U1,2022-09-30 10:00,2022-09-29 10:00\n"
    ds = read_dataset(_write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs}), _types())
    (rej,) = ds.rejected
    assert rej.column == "responded_at" and rej.row == 2


def test_values_in_excel_forms(tmp_path: Path) -> None:
    surveys = (
        "response_id,unit_id,answered_on,rating,appeal_upheld\n"
        "S1,U1,2022/9/30,满意,是\n"
        "S2,U1,2022-09-30,5,false\n"
        "S3,U1,2022-09-30,6,否\n"  # rating out of range
        "S4,U1,2022-09-30,满意,也许\n"
    )  # not a yes/no: an optional column, so the cell is left empty and the row kept
    ds = read_dataset(_write(tmp_path, {"units.csv": UNITS, "surveys.csv": surveys}), _types())
    assert ds.frames["surveys"]["rating"].to_list() == [4, 5, 4]
    assert ds.frames["surveys"]["appeal_upheld"].to_list() == [True, False, None]
    assert {(r.row, r.column) for r in ds.rejected} == {(4, "rating")}
    assert [(b.row, b.column, b.header, b.value) for b in ds.blanked] == [
        (5, "appeal_upheld", "appeal_upheld", "也许")
    ]


def test_jsonl_and_in_memory_records_agree(tmp_path: Path) -> None:
    import json

    rows = [{"unit_id": "U1", "name": "甲", "category": "处室", "staff_count": 12}]
    (tmp_path / "units.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8"
    )
    a = read_dataset(tmp_path, _types())
    b = read_dataset({"units": rows}, _types())
    c = read_dataset({"units": pl.DataFrame(rows)}, _types())
    for ds in (a, b, c):
        assert ds.frames["units"].select("unit_id", "name", "staff_count").rows() == [
            ("U1", "甲", 12)
        ]


def test_ragged_row_is_rejected_not_lost(tmp_path: Path) -> None:
    units = UNITS + "U3,丙,处室,多余,字段\n"
    ds = read_dataset(_write(tmp_path, {"units.csv": units}), _types())
    c = ds.counts["units"]
    assert (c.read, c.accepted, c.rejected) == (3, 2, 1)
    assert ds.rejected[0].row == 4


def test_no_units_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, {"people.csv": "person_id,name,unit_id\n"})
    with pytest.raises(DataError):
        read_dataset(tmp_path, _types())


def test_undecodable_file_names_the_file(tmp_path: Path) -> None:
    _write(tmp_path, {"units.csv": b"unit_id,name,category\n\x81\x30\xff\xff,x,y\n"})
    with pytest.raises(DataError) as info:
        read_dataset(tmp_path, _types())
    assert info.value.file == "units.csv"


def test_blank_lines_are_no_rows_and_row_numbers_stay_the_lines(tmp_path: Path) -> None:
    # lines: 1 header, 2 U1, 3 blank, 4 only commas and spaces, 5 U2 without a name
    # (rejected, and named as line 5), 6 U3, 7 blank at the end
    units = "unit_id,name,category\nU1,甲,处室\n\n , ,\nU2,,处室\nU3,丙,处室\n\n"
    ds = read_dataset(_write(tmp_path, {"units.csv": units}), _types())
    # read: U1, U2 and U3 (the blank lines are not rows); U2 rejected on its own line
    assert (ds.counts["units"].read, ds.counts["units"].accepted) == (3, 2)
    assert [(r.row, r.column) for r in ds.rejected] == [(5, "name")]
    assert ds.sources[0].rows == 3
    _counts_hold(ds)


def test_a_file_polars_cannot_read_beside_one_it_can(tmp_path: Path) -> None:
    # two files of units: the second has a row with too many fields, so polars stops on
    # it as the query runs; that file is read the slow way, the first is kept as it is
    ok = "unit_id,name,category\nU1,甲,处室\nU2,乙,处室\n"
    ragged = "unit_id,name,category\nU3,丙,处室\nU4,丁,处室,多余,多余\nU5,戊,处室\n"
    ds = read_dataset(_write(tmp_path, {"units.csv": ok, "单位.csv": ragged}), _types())
    assert sorted(ds.frames["units"]["unit_id"].to_list()) == ["U1", "U2", "U3", "U5"]
    assert [(r.file, r.row) for r in ds.rejected] == [("单位.csv", 3)]
    assert {s.path: s.rows for s in ds.sources} == {"units.csv": 2, "单位.csv": 3}
    _counts_hold(ds)


def test_a_message_quotes_the_cell_without_its_surrounding_spaces(tmp_path: Path) -> None:
    # docs/checks.md: the quoted text and the 4096-character limit leave out the spaces
    # around a cell; 4096 characters padded with spaces is still within the limit
    name = "名" * 4096
    units = f"unit_id,name,category\nU1,  {name}  ,处室\nU2,乙,处室\n"
    reqs = "request_id,unit_id,received_at\nR1,U2,  2022-13-45  \n"
    ds = read_dataset(_write(tmp_path, {"units.csv": units, "requests.csv": reqs}), _types())
    assert ds.counts["units"].accepted == 2
    [bad] = ds.rejected
    assert (bad.file, bad.row, bad.column) == ("requests.csv", 2, "received_at")
    # the header as the file wrote it (received_at), Chinese first
    assert bad.reason.startswith("received_at 2022-13-45：日期时间格式应如")
    assert " / received_at 2022-13-45: expected" in bad.reason


def test_times_outside_the_zones_fixed_offset_years_are_placed_in_the_zone(
    tmp_path: Path,
) -> None:
    # China kept daylight saving time from 1986 to 1991: 1988-07-01 10:00 in Shanghai was
    # UTC+9, so 01:00 UTC; 2022-07-01 10:00 is UTC+8, so 02:00 UTC. Times from 1992 on are
    # placed by the one offset (+8); a file with a time before then is placed row by row.
    reqs = "request_id,unit_id,received_at\nR1,U1,2022-07-01 10:00:00\nR2,U1,1988-07-01 10:00:00\n"
    ds = read_dataset(_write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs}), _types())
    utc = ds.frames["requests"]["received_at"].dt.convert_time_zone("UTC").to_list()
    assert [t.replace(tzinfo=None) for t in utc] == [
        dt.datetime(2022, 7, 1, 2, 0),
        dt.datetime(1988, 7, 1, 1, 0),
    ]


def test_a_zone_with_daylight_saving_places_each_time(tmp_path: Path) -> None:
    # Berlin: 2022-01-15 10:00 is UTC+1 (09:00 UTC), 2022-07-15 10:00 is UTC+2 (08:00 UTC);
    # 2022-03-27 02:30 does not exist there (clocks jump from 02:00 to 03:00): rejected
    reqs = (
        "request_id,unit_id,received_at\n"
        "R1,U1,2022-01-15 10:00:00\n"
        "R2,U1,2022-07-15 10:00:00\n"
        "R3,U1,2022-03-27 02:30:00\n"
    )
    ds = read_dataset(
        _write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs}),
        _types(),
        timezone="Europe/Berlin",
    )
    utc = ds.frames["requests"]["received_at"].dt.convert_time_zone("UTC").to_list()
    assert [t.replace(tzinfo=None) for t in utc] == [
        dt.datetime(2022, 1, 15, 9, 0),
        dt.datetime(2022, 7, 15, 8, 0),
    ]
    assert [(r.row, r.column) for r in ds.rejected] == [(4, "received_at")]
    _counts_hold(ds)


def test_words_in_any_case_and_unknown_words(tmp_path: Path) -> None:
    # the words as written are looked up first; other cases lower-cased, as before
    reqs = (
        "request_id,unit_id,received_at,kind,outcome\n"
        "R1,U1,2022-09-30 10:00:00,咨询,delivered\n"
        "R2,U1,2022-09-30 10:00:00,Consult,DELIVERED\n"  # kind by its English alias
        "R3,U1,2022-09-30 10:00:00,HELP,已办结\n"
        "R4,U1,2022-09-30 10:00:00,咨询,Finished\n"  # no such outcome: left empty
    )
    visits = "visit_id,visited_on,request_id,reached\nV1,2022-10-01,R1,YES\nV2,2022-10-01,R2,No\n"
    ds = read_dataset(
        _write(tmp_path, {"units.csv": UNITS, "requests.csv": reqs, "visits.csv": visits}),
        _types(),
    )
    req = ds.frames["requests"]
    assert req["kind"].to_list() == ["咨询", "咨询", "求助", "咨询"]
    assert req["outcome"].to_list() == ["delivered"] * 3 + [None]
    assert ds.frames["visits"]["reached"].to_list() == [True, False]
    assert ds.rejected == ()
    assert [(b.file, b.row, b.column) for b in ds.blanked] == [("requests.csv", 5, "outcome")]
    _counts_hold(ds)


def test_a_negative_staff_count_is_left_empty_in_csv_and_xlsx(tmp_path: Path) -> None:
    # staff_count is a count: U2's -30 is no count (a negative count would make the
    # commendation's cap per unit negative), and staff_count is optional: the cell is left
    # empty, U2 kept; 0, +5 and -0 (which is 0) are counts.
    # 5 rows read, 5 accepted, 0 rejected; one cell left empty (row 3)
    from openpyxl import Workbook

    rows = [
        ("U1", "甲", "处室", "24"),
        ("U2", "乙", "处室", "-30"),
        ("U3", "丙", "处室", "0"),
        ("U4", "丁", "处室", "+5"),
        ("U5", "戊", "处室", "-0"),
    ]
    folder = tmp_path / "csv"
    folder.mkdir()
    lines = ["unit_id,name,category,staff_count", *(",".join(r) for r in rows)]
    _write(folder, {"units.csv": "\n".join(lines) + "\n"})
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(["单位编号", "单位名称", "类别", "人数"])
    for *text, count in rows:  # numbers as Excel holds them: -30 is the number -30.0
        ws.append([*text, float(count)])
    wb.save(tmp_path / "数据.xlsx")
    # the reason names the column as each file's header does: staff_count, 人数
    said = "{0} -30：应为不小于 0 的整数 / {0} -30: expected a whole number, 0 or more"
    for data, file, header in (
        (folder, "units.csv", "staff_count"),
        (tmp_path / "数据.xlsx", "数据.xlsx:单位", "人数"),
    ):
        expected_reason = said.format(header)
        ds = read_dataset(data, _types())
        units = ds.frames["units"]
        assert units["unit_id"].to_list() == ["U1", "U2", "U3", "U4", "U5"], file
        assert units["staff_count"].to_list() == [24, None, 0, 5, 0], file
        assert [(b.file, b.row, b.column, b.reason) for b in ds.blanked] == [
            (file, 3, "staff_count", expected_reason)
        ]
        c = ds.counts["units"]
        assert (c.read, c.accepted, c.rejected, c.blanked) == (5, 5, 0, 1)
        _counts_hold(ds)


def test_invisible_characters_in_a_quoted_cell_are_shown_escaped(tmp_path: Path) -> None:
    # units: U01 (row 2), "U02\u200b" (row 3, a zero-width space after U02) and again
    # "U02\u200b" (row 4: a duplicate of row 3). people: "U01\u200b" (row 2) and
    # "\ufeffU01" (row 3, a BOM before U01) look like U01 but are unknown; "Ｕ０１" (row 4,
    # full-width, visible) is unknown and quoted as it is; "U01" (row 5) is accepted.
    # requests: received_at "2022-09-30\u00a010:00" (row 2: a no-break space, a space, so
    # it is kept as it is) and "2022-09-30 10:00\u2060" (row 3: a word joiner).
    # Which rows are rejected does not change; only how their text reads.
    units = "unit_id,name,category\nU01,甲,处室\nU02\u200b,乙,处室\nU02\u200b,丙,处室\n"
    people = (
        "person_id,name,unit_id\n"
        "P1,张一,U01\u200b\nP2,张二,\ufeffU01\nP3,张三,Ｕ０１\nP4,张四,U01\n"
    )
    reqs = (
        "request_id,unit_id,received_at\n"
        "R1,U01,2022-09-30\u00a010:00\nR2,U01,2022-09-30 10:00\u2060\n"
    )
    files = {"units.csv": units, "people.csv": people, "requests.csv": reqs}
    ds = read_dataset(_write(tmp_path, files), _types())
    # Chinese first, each part with its note; the headers as the files wrote them
    zh_note = "（单元格含有不可见字符 {0}）"
    en_note = "; the cell holds an invisible character, shown as {0}"
    zh_dt = "日期时间格式应如 2022-09-30 10:00，年份在 1900–2100 之间，时区偏移不超过 ±14:00"
    en_dt = (
        "expected a date and time such as 2022-09-30 10:00, in 1900–2100, any offset within ±14:00"
    )
    assert [(r.file, r.row, r.column, r.reason) for r in ds.rejected] == [
        (
            "units.csv",
            4,
            "unit_id",
            "unit_id U02\\u200b 重复，保留 units.csv 第 3 行"
            + zh_note.format("\\u200b")
            + " / duplicate id U02\\u200b: the first, units.csv row 3, is kept"
            + en_note.format("\\u200b"),
        ),
        (
            "people.csv",
            2,
            "unit_id",
            "找不到 unit_id U01\\u200b"
            + zh_note.format("\\u200b")
            + " / unknown units id U01\\u200b"
            + en_note.format("\\u200b"),
        ),
        (
            "people.csv",
            3,
            "unit_id",
            "找不到 unit_id \\ufeffU01"
            + zh_note.format("\\ufeff")
            + " / unknown units id \\ufeffU01"
            + en_note.format("\\ufeff"),
        ),
        ("people.csv", 4, "unit_id", "找不到 unit_id Ｕ０１ / unknown units id Ｕ０１"),
        (
            "requests.csv",
            2,
            "received_at",
            f"received_at 2022-09-30\u00a010:00：{zh_dt} / "
            f"received_at 2022-09-30\u00a010:00: {en_dt}",
        ),
        (
            "requests.csv",
            3,
            "received_at",
            f"received_at 2022-09-30 10:00\\u2060：{zh_dt}"
            + zh_note.format("\\u2060")
            + f" / received_at 2022-09-30 10:00\\u2060: {en_dt}"
            + en_note.format("\\u2060"),
        ),
    ]
    assert ds.frames["units"]["unit_id"].to_list() == ["U01", "U02\u200b"]
    assert ds.frames["people"]["person_id"].to_list() == ["P4"]
    assert [(c.read, c.accepted, c.rejected) for c in ds.counts.values()][:2] == [
        (3, 2, 1),
        (4, 1, 3),
    ]
    _counts_hold(ds)


def test_no_units_names_what_is_expected(tmp_path: Path) -> None:
    # the error named "file units", which is no file; it now names the folder, the
    # workbook or neither, and the files or sheets that would hold units
    from openpyxl import Workbook

    folder = tmp_path / "data"
    folder.mkdir()
    _write(folder, {"服务需求.csv": "需求编号,单位编号,接收时间\nR1,U1,2022-09-30 10:00\n"})
    with pytest.raises(DataError) as exc:
        read_dataset(folder, _types())
    assert exc.value.file is None  # a folder is no file
    assert f"缺少单位文件：文件夹 {folder} 中应有 units.csv 或 单位.csv" in str(exc.value)
    assert f"the folder {folder} needs units.csv or 单位.csv" in str(exc.value)

    wb = Workbook()
    wb.active.title = "服务需求"
    wb.active.append(["需求编号", "单位编号", "接收时间"])
    book = tmp_path / "数据.xlsx"
    wb.save(book)
    with pytest.raises(DataError) as exc:
        read_dataset(book, _types())
    assert exc.value.file == str(book)
    assert "缺少单位工作表：工作簿中应有名为 单位 或 units 的工作表" in str(exc.value)
    assert "the workbook needs a sheet named 单位 or units" in str(exc.value)

    with pytest.raises(DataError) as exc:
        read_dataset({"requests": []}, _types())
    assert exc.value.file is None and "缺少单位记录（单位 或 units）" in str(exc.value)


def test_a_reason_names_the_column_as_the_files_header_does(tmp_path: Path) -> None:
    # the same rows in two folders, headed in Chinese and in English: with 单位编号 as the
    # header the reason says 单位编号, with unit_id it says unit_id; the rejection's
    # column is the contract's name (unit_id) either way. DW01 is no unit (U1, U2 are).
    cases = {
        "zh": ("人员编号,姓名,单位编号\nP1,张一,DW01\nP2,,U1\n", "单位编号", "姓名"),
        "en": ("person_id,name,unit_id\nP1,张一,DW01\nP2,,U1\n", "unit_id", "name"),
    }
    for key, (people, unit_header, name_header) in cases.items():
        folder = tmp_path / key
        folder.mkdir()
        ds = read_dataset(_write(folder, {"units.csv": UNITS, "people.csv": people}), _types())
        got = [(r.row, r.column, r.reason) for r in ds.rejected]
        gap = " " if unit_header.isascii() else ""  # 找不到 unit_id, 找不到单位编号
        assert got == [
            (2, "unit_id", f"找不到{gap}{unit_header} DW01 / unknown units id DW01"),
            (3, "name", f"必填项 {name_header} 为空 / required value missing"),
        ], key


def test_a_cross_record_check_without_its_own_name_names_the_header(tmp_path: Path) -> None:
    # the visits' check against the request's receipt, with no ``what`` of its own: the
    # reason names visited_on as each file's header does. Visit V1 is dated 2022-09-29,
    # the day before its request R1 was received (2022-09-30 10:00, local date 09-30).
    import attrs

    types = dict(_types())
    check = attrs.evolve(types["visits"].ref_checks[0], what="")
    types["visits"] = attrs.evolve(types["visits"], ref_checks=(check,))
    reqs = "request_id,unit_id,received_at\nR1,U1,2022-09-30 10:00\n"
    for header in ("回访日期", "visited_on"):
        folder = tmp_path / header
        folder.mkdir()
        visits = f"visit_id,{header},request_id\nV1,2022-09-29,R1\n"
        files = {"units.csv": UNITS, "requests.csv": reqs, "visits.csv": visits}
        [rej] = read_dataset(_write(folder, files), types).rejected
        assert rej.column == "visited_on"
        assert rej.reason == (
            f"{header} 2022-09-29 早于其服务需求 R1 的接收日期 2022-09-30 / "
            "visited_on 2022-09-29 is before received_at 2022-09-30 of R1 in requests"
        )


@pytest.mark.parametrize("chunk", [1, 3, 5, 1 << 24])
def test_utf8_checked_in_pieces_cut_after_line_ends(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    # a big file is checked piece by piece (cut after a line end, so no character is cut
    # in two); whatever the piece size, the answer is the whole file's
    from dxe_eval.read import raw

    monkeypatch.setattr(raw, "UTF8_CHUNK", chunk)
    text = "单位编号,名称\nU01,质量发展处\nU02,登记注册局\n".encode()
    assert raw.utf8_bytes(text, "u.csv") == (text, "utf-8")
    broken = text[:20] + b"\xff" + text[20:]  # one byte that is no UTF-8, mid-file
    assert raw.utf8_bytes(broken, "u.csv") == (None, "")
    cut = text + "处".encode()[:2]  # the last character cut short
    assert raw.utf8_bytes(cut, "u.csv") == (None, "")
    gbk = "单位编号,名称\nU01,质量发展处\n".encode("gb18030")
    assert raw.utf8_bytes(gbk, "u.csv") == (None, "")


def _pieces_cases() -> list[Path]:
    from dxe_eval.engine import default_data

    corpus = Path(__file__).resolve().parents[1] / "data" / "bad"
    cases = [
        p
        for p in sorted(corpus.iterdir())
        if p.is_dir() and any(p.glob("*.csv")) and not (p / "plugin.py").exists()
    ]
    return [default_data(), *cases]


@pytest.mark.parametrize("folder", _pieces_cases(), ids=lambda p: p.name)
def test_a_file_read_in_pieces_is_the_file_read_whole(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a big CSV file is validated in pieces cut after a line end (read.csv.PIECE bytes);
    # with pieces of 97 bytes (a row or two each: every kind of row meets a cut, blank
    # lines and rejected rows too), every frame, rejection, emptied cell and count is
    # what reading each file whole gives
    from dxe_eval.errors import DxeEvalError
    from dxe_eval.manager import get_registry
    from dxe_eval.read import csv as csv_reader

    types = get_registry().record_types

    def read() -> Any:
        try:
            return read_dataset(folder, types)
        except DxeEvalError as exc:
            return str(exc)

    whole = read()
    monkeypatch.setattr(csv_reader, "PIECE", 97)
    pieces = read()
    if isinstance(whole, str):
        assert pieces == whole
        return
    assert pieces.rejected == whole.rejected
    assert pieces.blanked == whole.blanked
    assert pieces.counts == whole.counts
    assert pieces.sources == whole.sources
    for name, frame in whole.frames.items():
        assert pieces.frames[name].equals(frame), name
