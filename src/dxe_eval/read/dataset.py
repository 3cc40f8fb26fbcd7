"""Reading a data set: a folder, a workbook or records in memory, through the readers."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

from dxe_eval.errors import DataError
from dxe_eval.read.csv import CSV_READER
from dxe_eval.read.folder import data_files
from dxe_eval.read.frames import frame_to_raw, records_to_raw
from dxe_eval.read.headers import near_misses
from dxe_eval.read.jsonl import JSONL_READER
from dxe_eval.read.limits import ReadLimits
from dxe_eval.read.raw import (
    DEFAULT_LIMITS,
    Dataset,
    Raw,
    Reader,
    SourceFile,
    match_type,
)
from dxe_eval.read.validate import validated
from dxe_eval.read.xlsx import read_workbook
from dxe_eval.schema import RecordType

#: the readers of the built-in formats, by suffix: what a folder is read with when the
#: caller gives no readers (the registry's come from ``dxe_eval_register_readers``)
BUILTIN_READERS: Final[Mapping[str, Reader]] = {
    suffix: reader for reader in (CSV_READER, JSONL_READER) for suffix in reader.suffixes
}
SUFFIXES: Final = tuple(BUILTIN_READERS)


def by_suffix(readers: Iterable[Reader]) -> dict[str, Reader]:
    """The readers by the suffixes they read; a workbook (``.xlsx``) is read by
    :mod:`dxe_eval.read.xlsx`, one sheet per record type."""
    return {suffix.lower(): r for r in readers for suffix in r.suffixes if suffix != ".xlsx"}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _collect_folder(
    folder: Path,
    record_types: Mapping[str, RecordType],
    hashing: ThreadPoolExecutor,
    *,
    lenient: bool = False,
    limits: ReadLimits = DEFAULT_LIMITS,
    readers: Mapping[str, Reader] = BUILTIN_READERS,
) -> tuple[dict[str, list[Raw]], list[SourceFile], list[str], dict[str, Future[str]]]:
    """The raw rows, the sources, the warnings and the digests of a folder's files.

    Each file's SHA-256 (for the manifest) is worked out in ``hashing``, beside the
    reading and validation that follow (hashing lets go of the GIL); the digests, by
    file name, go into the sources once they are validated (:func:`validated`)."""
    raws: dict[str, list[Raw]] = {name: [] for name in record_types}
    sources: list[SourceFile] = []
    warnings: list[str] = []
    digests: dict[str, Future[str]] = {}
    names_of = {rt.name: (rt.name, rt.label) for rt in record_types.values()}
    files = data_files(
        folder, tuple(readers), lambda stem: match_type(stem, record_types), names_of, warnings
    )
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            for sheet_type, raw, ignored, src in read_workbook(
                path, record_types, warnings, limits=limits
            ):
                raws[sheet_type].append(raw)
                sources.append(src)
                warnings.extend(ignored_warnings(raw, ignored, record_types[sheet_type], lenient))
            continue
        reader = readers.get(suffix)
        if reader is None:
            continue
        name = match_type(path.stem, record_types)
        if name is None:
            warnings.append(
                f"文件 {path.name} 不对应任何记录类型，已忽略 "
                f"(file {path.name} matches no record type; ignored)"
            )
            continue
        data = path.read_bytes()
        digests[path.name] = hashing.submit(_sha256, data)
        rt = record_types[name]
        got = reader.read(data, rt, path.name)
        raw, ignored, encoding = got.raw, got.ignored, got.encoding
        raws[name].append(raw)
        warnings.extend(ignored_warnings(raw, ignored, rt, lenient))
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


def ignored_warnings(raw: Raw, ignored: list[str], rt: RecordType, lenient: bool) -> list[str]:
    """The warnings for the headers of ``raw`` that are not in the contract. One that is a
    near miss of a column the file lacks (:func:`~dxe_eval.read.headers.near_misses`) is
    an error naming both, unless ``lenient`` (then a warning of its own)."""
    if not ignored:
        return []
    file = raw.file
    out = []
    for header, col in near_misses(ignored, raw.headers, rt):
        zh = f"{rt.label} 的列 {header} 不在数据格式中，是否应为 {col.label}（{col.name}）？"
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
    readers: Iterable[Reader] | None = None,
) -> Dataset:
    """Read a data set: a folder, an ``.xlsx`` workbook, or records per type in memory.

    A header that is a near miss of a contract column the file lacks is an error unless
    ``lenient``; ``limits`` caps what a workbook may unpack to. ``readers`` (by default the
    built-in CSV and JSON Lines readers; the engine passes the registry's) read a folder's
    files by their suffix."""
    warnings: list[str] = []
    if isinstance(data, str | Path):
        path = Path(data)
        if not path.exists():
            raise DataError("no such file or folder", file=str(path), zh="找不到数据文件或文件夹")
        if path.is_dir():
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="dxe-eval-sha") as hashing:
                raws, sources, warnings, digests = _collect_folder(
                    path,
                    record_types,
                    hashing,
                    lenient=lenient,
                    limits=limits,
                    readers=BUILTIN_READERS if readers is None else by_suffix(readers),
                )
                return validated(raws, sources, warnings, record_types, timezone, data, digests)
        elif path.suffix.lower() == ".xlsx":
            raws = {name: [] for name in record_types}
            sources = []
            for sheet_type, raw, ignored, src in read_workbook(
                path, record_types, warnings, limits=limits
            ):
                raws[sheet_type].append(raw)
                sources.append(src)
                warnings.extend(ignored_warnings(raw, ignored, record_types[sheet_type], lenient))
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
            name = match_type(str(key), record_types)
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
            warnings.extend(ignored_warnings(raw, ignored, rt, lenient))
    else:
        raise DataError(
            f"cannot read a data set from {type(data).__name__}", zh="无法识别的数据输入"
        )
    return validated(raws, sources, warnings, record_types, timezone, data)
