"""Fuzzing the readers: whatever bytes a folder holds, the outcome is a Dataset or a DxeEvalError.

A Dataset must keep ``read == accepted + rejected`` for every record type, and
every rejection must name its file, a row and a reason. Anything else (a
``csv.Error``, a polars panic, a ``UnicodeEncodeError``) is a bug in the reader.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dxe_eval.errors import DxeEvalError
from dxe_eval.read.dataset import read_dataset
from dxe_eval.read.raw import Dataset
from tests import builders

UNITS_HEADER = "unit_id,name,category,staff_count"
REQUESTS_HEADER = "request_id,unit_id,received_at,responded_at,kind,outcome"


@functools.cache
def _types() -> Mapping[str, Any]:
    """The record types a requests file touches (the rest would only cost time)."""
    every = builders.registry().record_types
    return {name: every[name] for name in ("units", "people", "projects", "requests")}


def _read(files: Mapping[str, bytes]) -> Dataset | DxeEvalError:
    folder = Path(tempfile.mkdtemp(prefix="dxe-fuzz-"))
    try:
        for name, data in files.items():
            (folder / name).write_bytes(data)
        try:
            return read_dataset(folder, _types())
        except DxeEvalError as exc:
            assert str(exc).strip(), "an error must say something"
            return exc
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _check(outcome: Dataset | DxeEvalError) -> None:
    if isinstance(outcome, DxeEvalError):
        return
    for name, c in outcome.counts.items():
        assert c.read == c.accepted + c.rejected, name
        assert c.accepted == outcome.frames[name].height, name
    for r in outcome.rejected:
        assert r.file and r.row >= 1 and r.reason


# cells a person (or a broken export) might type: ids, dates, numbers, quotes, control chars
CELL = st.one_of(
    st.sampled_from(
        [
            "U1",
            "U2",
            "R1",
            "",
            " ",
            "2022-09-30 10:00",
            "2022/9/30",
            "2022-02-30",
            "25:00",
            "咨询",
            "delivered",
            "12",
            "-1",
            "1e3",
            "=SUM(A1)",
            "+1",
            "@x",
            '"',
            '""',
            "\r",
            "\n",
            "\x00",
            "\ufeff",
            "\ud7ff",
            "满意",
            "是",
        ]
    ),
    st.text(max_size=12),
)
ROW = st.lists(CELL, min_size=0, max_size=8)


@st.composite
def near_csv(draw: st.DrawFn, header: str) -> bytes:
    """A CSV text close to valid: the right header (mostly) and rows of odd cells."""
    lines = [header if draw(st.integers(0, 9)) else draw(st.text(max_size=30))]
    for row in draw(st.lists(ROW, max_size=8)):
        cells = []
        for cell in row:
            quoted = draw(st.booleans())
            cells.append('"' + cell.replace('"', '""') + '"' if quoted else cell)
        lines.append(",".join(cells))
    eol = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = eol.join(lines) + draw(st.sampled_from(["", eol]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
    return text.encode(encoding, errors="surrogatepass" if encoding == "utf-8" else "replace")


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.binary(max_size=300))
def test_random_bytes(units: bytes, requests: bytes) -> None:
    _check(_read({"units.csv": units, "requests.csv": requests}))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=200))
def test_random_bytes_after_a_valid_header(tail: bytes) -> None:
    units = b"unit_id,name,category\nU1,a,b\n"
    _check(_read({"units.csv": units, "requests.csv": REQUESTS_HEADER.encode() + b"\n" + tail}))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(near_csv(UNITS_HEADER), near_csv(REQUESTS_HEADER))
def test_near_csv(units: bytes, requests: bytes) -> None:
    _check(_read({"units.csv": units, "requests.csv": requests}))


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.dictionaries(
            st.sampled_from(["request_id", "unit_id", "received_at", "kind", "x"]),
            st.one_of(
                st.none(),
                st.booleans(),
                st.integers(),
                st.floats(),
                CELL,
                st.lists(st.integers(), max_size=2),
            ),
            max_size=5,
        ),
        max_size=6,
    ),
    st.text(max_size=40),
)
def test_json_lines(objs: list[dict[str, Any]], junk: str) -> None:
    import json

    lines = [json.dumps(o, ensure_ascii=True) for o in objs] + [junk]
    units = b"unit_id,name,category\nU1,a,b\n"
    _check(
        _read({"units.csv": units, "requests.jsonl": "\n".join(lines).encode("utf-8", "replace")})
    )
