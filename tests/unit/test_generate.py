"""The synthetic data generator: reproducible, the sizes asked for, and clean input."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from dxe_eval.generate import (
    ORDER,
    XLSX_MAX_ROWS,
    GenerateError,
    Sizes,
    draw,
    estimated_rows,
    generate,
    generate_frames,
)
from dxe_eval.manager import get_registry
from dxe_eval.read.dataset import read_dataset

SMALL = Sizes(units=40, people=300, projects=80, requests=3_000, surveys=600)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", SMALL, seed=7)
    generate(tmp_path / "b", SMALL, seed=7)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert sorted(a) == sorted(f"{name}.csv" for name in ORDER)
    assert a == b


# sha256 of each file of SMALL with seed 7, as written by the generator before it wrote in
# chunks (commit e9b962b, one frame per record type held whole; its surveys re-rate a request
# six days later): the chunked writer must
# give the same bytes, whatever the chunk and piece sizes
BEFORE_CHUNKS = {
    "capabilities.csv": "78fbc7dd2665c5e3a4e9c2889b59206318dabedec23ee962c512a8761403eeee",
    "evaluations.csv": "edf34a2b6d39e5d1aebcaf8e8d00068fda6f1225e1cd89b6add4bdbe38740d93",
    "ledger.csv": "97eea17a949f75c9f14eef770b3495f7139ca8e9640079da6c18711e9dd4ca32",
    "media.csv": "f747e6391965213bd4a68c9b40e7f3d77c6bd6687f89b202398d52b9c9fccdd6",
    "people.csv": "cc316c05fdaf89a7719da15808ccc7c6ee939019a18706b3a3f6cc6ed0ad08c1",
    "projects.csv": "ac63c012335c81632d332ad7da311b70e4677d9817674e5c2e9896bf1329a2ae",
    "requests.csv": "ee90ead8b85f990a5e03b9ef55fd5436599e31d6e8f3fd916e6e138abfabeb34",
    "sanctions.csv": "833de1bec176ffa5673f5a94e60c6834ad89a1bfcb6b58e25b2c1a2a1b309679",
    "summaries.csv": "e3f47fed867a41eeaacc2174ceb73a856fdcd72aeaeff5956e290c862c44bb6e",
    "supervision.csv": "ef4228590d3a1b4d24f960333f64b211e8f2087ccfbf8c1ad94f282352f7f7cc",
    "surveys.csv": "05e63fc13dfafd28a65ffa3cdd48d308a83551aae5460340057f7b6fd0e0861f",
    "units.csv": "9b66995da5180278aa4c3f7348ff814673e516206c35ccd00528a0ffaa046a36",
    "visits.csv": "b53d01dde799b148e06fb0c37bfb462dec9cbb1c5f925d81ad9d328a615bb470",
}


def _hashes(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in _bytes(folder).items()}


def test_same_bytes_as_before_the_chunked_writer(tmp_path: Path) -> None:
    generate(tmp_path, SMALL, seed=7)
    assert _hashes(tmp_path) == BEFORE_CHUNKS


def test_chunks_and_pieces_do_not_change_the_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 3,000 requests in chunks of 97 rows (the last one short), random columns drawn 64
    # uniforms at a time: every record type is cut at places the default sizes never cut
    monkeypatch.setattr(draw, "CHUNK_ROWS", 97)
    monkeypatch.setattr(draw, "PIECE", 64)
    generate(tmp_path, SMALL, seed=7)
    assert _hashes(tmp_path) == BEFORE_CHUNKS


def test_later_records_refer_to_the_requests_as_written(tmp_path: Path) -> None:
    # ledger entries and visits follow delivered requests only; a ledger entry is its
    # request's unit's, and no earlier than the request's closing day; a linked survey
    # response is its request's unit's, with its request's handler when it names one
    generate(tmp_path, SMALL, seed=3)
    req = pl.read_csv(tmp_path / "requests.csv", infer_schema=False)
    for name in ("ledger", "visits"):
        rows = pl.read_csv(tmp_path / f"{name}.csv", infer_schema=False).join(
            req, on="request_id", how="left", suffix="_req"
        )
        assert rows["outcome"].to_list() == ["delivered"] * rows.height, name
    ledger = pl.read_csv(tmp_path / "ledger.csv", infer_schema=False).join(
        req, on="request_id", suffix="_req"
    )
    assert (ledger["unit_id"] == ledger["unit_id_req"]).all()
    assert (ledger["recorded_on"] >= ledger["closed_at"].str.slice(0, 10)).all()
    sv = pl.read_csv(tmp_path / "surveys.csv", infer_schema=False).drop_nulls("request_id")
    linked = sv.join(req, on="request_id", suffix="_req")
    assert linked.height == sv.height > 0
    assert (linked["unit_id"] == linked["unit_id_req"]).all()
    assert linked["handler_id"].eq_missing(linked["handler_id_req"]).all()


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", SMALL, seed=1)
    generate(tmp_path / "b", SMALL, seed=2)
    assert _bytes(tmp_path / "a")["requests.csv"] != _bytes(tmp_path / "b")["requests.csv"]


def test_counts_are_as_asked(tmp_path: Path) -> None:
    counts = generate(tmp_path, SMALL)
    for name in ("units", "people", "projects", "requests", "surveys"):
        assert counts[name] == getattr(SMALL, name), name
    for name in ORDER:
        assert counts[name] > 0, name
        rows = pl.read_csv(tmp_path / f"{name}.csv", infer_schema=False).height
        assert rows == counts[name], name


def test_every_file_reads_without_rejections(tmp_path: Path) -> None:
    generate(tmp_path, SMALL, seed=3)
    reg = get_registry()
    ds = read_dataset(tmp_path, reg.record_types)
    assert ds.rejected == ()
    for name in ORDER:
        c = ds.counts[name]
        assert c.read == c.accepted > 0, name


def test_shapes_are_realistic() -> None:
    frames = generate_frames(
        Sizes(units=200, people=2_000, projects=400, requests=40_000, surveys=10_000), seed=1
    )
    units = frames["units"]
    assert set(units["category"]) == {"处室", "直属单位", "市州局", "县市区局", "社会服务力量"}
    per_unit = frames["requests"].group_by("unit_id").len()["len"]
    assert per_unit.max() > 5 * per_unit.median()  # skewed
    rating = frames["surveys"]["rating"]
    satisfied = rating.is_in(["非常满意", "满意", "基本满意"]).mean()
    assert 0.93 < satisfied < 0.99
    received = frames["requests"]["received_at"].str.slice(0, 10)
    assert (received == "2022-10-01").sum() > 0  # National Day: a holiday, some still come in
    tiers = frames["media"]["tier"].value_counts()
    national = tiers.filter(pl.col("tier") == "national")["count"].sum()
    assert national < 0.05 * frames["media"].height


def test_size_out_of_range() -> None:
    with pytest.raises(GenerateError):
        generate_frames(Sizes(units=0))
    with pytest.raises(GenerateError):
        generate_frames(Sizes(requests=-1))


@pytest.mark.parametrize("year", [0, "first", "last", 99999])
def test_year_outside_the_calendar(year: int | str, tmp_path: Path) -> None:
    # was NotImplementedError from chinese_calendar, or ValueError from datetime: a traceback
    from dxe_eval.calendar import cn_years

    lo, hi = cn_years()  # the data reach into the year before and after: neither end will do
    year = {"first": lo, "last": hi}.get(year, year)  # type: ignore[arg-type]
    with pytest.raises(GenerateError, match=f"--year must be from {lo + 1} to {hi - 1}"):
        generate(tmp_path / "out", Sizes(units=2, people=3, projects=1, requests=5), year=year)
    assert not (tmp_path / "out").exists()  # refused before writing anything


def test_xlsx_refused_when_large(tmp_path: Path) -> None:
    big = Sizes(units=100, people=1_000, projects=200, requests=150_000, surveys=10_000)
    assert estimated_rows(big) > XLSX_MAX_ROWS
    with pytest.raises(GenerateError, match="--format csv"):
        generate(tmp_path, big, fmt="xlsx")
    assert not any(tmp_path.iterdir())  # refused before writing anything


def test_xlsx_small_is_reproducible_and_reads(tmp_path: Path) -> None:
    tiny = Sizes(units=10, people=40, projects=12, requests=200, surveys=50)
    generate(tmp_path / "a", tiny, fmt="xlsx")
    generate(tmp_path / "b", tiny, fmt="xlsx")
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert list(a) == ["data.xlsx"] and a == b
    ds = read_dataset(tmp_path / "a" / "data.xlsx", get_registry().record_types)
    assert ds.rejected == ()
    assert ds.counts["requests"].accepted == 200


def test_command(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dxe_eval.cli",
            "generate",
            "--units",
            "10",
            "--people",
            "30",
            "--projects",
            "8",
            "--requests",
            "100",
            "--surveys",
            "20",
            "--seed",
            "5",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "requests" in out.stdout and (tmp_path / "requests.csv").exists()
