"""The synthetic data generator: reproducible, the sizes asked for, and clean input."""

from __future__ import annotations

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
    estimated_rows,
    generate,
    generate_frames,
)
from dxe_eval.io.read import read_dataset
from dxe_eval.manager import get_registry

SMALL = Sizes(units=40, people=300, projects=80, requests=3_000, surveys=600)


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    generate(tmp_path / "a", SMALL, seed=7)
    generate(tmp_path / "b", SMALL, seed=7)
    a, b = _bytes(tmp_path / "a"), _bytes(tmp_path / "b")
    assert sorted(a) == sorted(f"{name}.csv" for name in ORDER)
    assert a == b


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
    frames = generate_frames(Sizes(units=200, people=2_000, projects=400, requests=40_000,
                                   surveys=10_000), seed=1)
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
        [sys.executable, "-m", "dxe_eval.cli", "generate", "--units", "10", "--people", "30",
         "--projects", "8", "--requests", "100", "--surveys", "20", "--seed", "5",
         "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "requests" in out.stdout and (tmp_path / "requests.csv").exists()
