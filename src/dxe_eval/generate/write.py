"""Every record type as chunks of text, and the files they are written to."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

import polars as pl

from dxe_eval.files import replacing, save_reproducibly, write_bytes
from dxe_eval.generate.draw import Stream
from dxe_eval.generate.requests import Requests, ledger_chunks, visit_chunks
from dxe_eval.generate.sizes import (
    XLSX_MAX_ROWS,
    GenerateError,
    Sizes,
    check_year,
    estimated_rows,
)
from dxe_eval.generate.small import (
    capabilities_frame,
    evaluations_frame,
    media_frame,
    people_frame,
    projects_frame,
    sanctions_frame,
    summaries_frame,
    supervision_frame,
    units_frame,
)
from dxe_eval.generate.surveys import survey_chunks
from dxe_eval.generate.workdays import Workdays
from dxe_eval.records import BUILTIN_RECORD_TYPES

#: record types in the order they are written
ORDER = tuple(rt.name for rt in BUILTIN_RECORD_TYPES)  # the contract's order


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Drop helper columns (``_…``) and write every value as the text a file would hold."""
    cols = []
    for name, dtype in frame.schema.items():
        if name.startswith("_"):
            continue
        if isinstance(dtype, pl.Datetime):
            cols.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S"))
        elif dtype == pl.Date:
            cols.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        else:
            cols.append(pl.col(name).cast(pl.String))
    return frame.select(cols)


def record_chunks(
    sizes: Sizes, seed: int = 1, year: int = 2022
) -> Iterator[tuple[str, Iterator[pl.DataFrame]]]:
    """Each record type's name and its rows as text chunks, record type by record type.

    Each record type's chunks are to be read to the end before the next record type
    is asked for: the ledger, the visits and the survey responses are made from what
    the requests leave once written.
    """
    sizes.check()
    check_year(year)
    cal = Workdays(year)

    def stream(name: str) -> Stream:
        return Stream(seed, name)

    units = units_frame(sizes, stream("units"))
    people, pranges = people_frame(sizes, stream("people"), units)
    projects, jranges = projects_frame(sizes, stream("projects"), units, people, pranges, year)
    whole = {
        "units": lambda: units,
        "people": lambda: people,
        "projects": lambda: projects,
        "capabilities": lambda: capabilities_frame(sizes, stream("capabilities"), units, year),
        "supervision": lambda: supervision_frame(
            sizes, stream("supervision"), units, projects, year
        ),
        "summaries": lambda: summaries_frame(stream("summaries"), projects),
        "evaluations": lambda: evaluations_frame(stream("evaluations"), projects),
        "media": lambda: media_frame(sizes, stream("media"), units, projects, year),
        "sanctions": lambda: sanctions_frame(sizes, stream("sanctions"), units, year),
    }
    requests: Requests | None = None
    for name in ORDER:
        if name in whole:
            yield name, iter((as_text(whole[name]()),))
        elif name == "requests":
            requests = Requests(
                sizes, stream("requests"), units, people, pranges, projects, jranges, cal, year
            )
            yield name, requests.chunks()
        else:
            if requests is None:  # pragma: no cover - the contract lists requests first
                raise RuntimeError(f"{name} comes before the requests it follows")
            rows = requests.rows
            if name == "ledger":
                chunks = ledger_chunks(
                    stream("ledger"), rows, cal, units["unit_id"], projects["project_id"]
                )
            elif name == "visits":
                chunks = visit_chunks(stream("visits"), rows, cal)
            elif name == "surveys":
                chunks = survey_chunks(
                    sizes, stream("surveys"), units, people, pranges, projects, rows, year
                )
            else:  # pragma: no cover - a record type added to the contract
                raise RuntimeError(f"no generator for record type {name!r}")
            yield name, chunks


def generate_frames(sizes: Sizes, seed: int = 1, year: int = 2022) -> dict[str, pl.DataFrame]:
    """Every record type as one frame of text columns, in :data:`ORDER` (for small sizes:
    :func:`generate` writes a large data set chunk by chunk instead)."""
    return {name: pl.concat(list(chunks)) for name, chunks in record_chunks(sizes, seed, year)}


def generate(
    out: str | Path,
    sizes: Sizes | None = None,
    *,
    seed: int = 1,
    year: int = 2022,
    fmt: str = "csv",
    force: bool = False,
) -> dict[str, int]:
    """Write a synthetic data set to the folder ``out``; return the rows per record type.

    ``fmt="csv"`` writes one UTF-8 CSV file per record type, a chunk of rows at a
    time; ``fmt="xlsx"`` one workbook ``data.xlsx`` with a sheet per record type, for
    at most :data:`XLSX_MAX_ROWS` rows in all. A folder that holds anything already is
    refused unless ``force`` (the files of the same names are then replaced): a data set
    is never written over by mistake. Each file is written whole or not at all
    (:func:`dxe_eval.files.replacing`); a run stopped half way leaves the files
    written before it.
    """
    folder = Path(out)
    if not force and folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise GenerateError(
            f"{folder} exists and is not an empty folder; give a new folder, or --force to "
            "write into it (files of the same names are replaced)",
            zh=f"{folder} 已存在且不是空文件夹：请指定新的文件夹，或加 --force 写入"
            "（同名文件将被替换）",
        )
    sizes = sizes or Sizes()
    sizes.check()
    check_year(year)
    if fmt not in ("csv", "xlsx"):
        raise GenerateError(f"unknown format {fmt!r}; use csv or xlsx", zh="格式应为 csv 或 xlsx")
    if fmt == "xlsx":
        estimate = estimated_rows(sizes)
        if estimate > XLSX_MAX_ROWS:
            raise GenerateError(
                f"about {estimate:,} rows is too many for an .xlsx workbook (at most "
                f"{XLSX_MAX_ROWS:,}); use --format csv",
                zh=f"约 {estimate:,} 行，超过 .xlsx 工作簿上限 {XLSX_MAX_ROWS:,} 行，"
                "请用 --format csv",
            )
        frames = generate_frames(sizes, seed=seed, year=year)
        folder.mkdir(parents=True, exist_ok=True)
        _write_xlsx(folder / "data.xlsx", frames)
        return {name: frame.height for name, frame in frames.items()}
    counts: dict[str, int] = {}
    for name, chunks in record_chunks(sizes, seed, year):
        folder.mkdir(parents=True, exist_ok=True)
        counts[name] = _write_csv(folder / f"{name}.csv", chunks)
    return counts


def _write_csv(path: Path, chunks: Iterator[pl.DataFrame]) -> int:
    """Write the chunks as one CSV file (the header once); the rows written."""
    rows = 0
    header = True
    with replacing(path) as f:
        for chunk in chunks:
            buf = io.BytesIO()
            chunk.write_csv(buf, include_header=header, line_terminator="\n", null_value="")
            f.write(buf.getvalue())
            rows += chunk.height
            header = False
    return rows


def _write_xlsx(path: Path, frames: Mapping[str, pl.DataFrame]) -> None:
    try:
        from openpyxl import Workbook  # lazy: start-up (openpyxl only for --xlsx)
    except ImportError:  # pragma: no cover - openpyxl comes with the xlsx reader
        raise GenerateError(
            "writing .xlsx needs openpyxl: pip install openpyxl",
            zh="生成 .xlsx 需要 openpyxl：pip install openpyxl",
        ) from None

    wb = Workbook(write_only=True)
    wb.properties.creator = "dxe-eval generate"
    for name, frame in frames.items():
        ws = wb.create_sheet(title=name)
        ws.append(frame.columns)
        for row in frame.iter_rows():
            ws.append(list(row))
    write_bytes(path, save_reproducibly(wb, dt.datetime(2000, 1, 1)))
