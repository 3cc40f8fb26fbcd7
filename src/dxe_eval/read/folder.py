"""Which files of a data folder are read, and which entries are refused.

A record type's file is named after it (``units.csv``, ``单位.csv``,
``requests-2.csv``). Under such a name only a regular file (or a symbolic link
to one) is read: a folder, a FIFO, a dangling link or a link loop there would
otherwise be skipped without a word and the type read as empty, so it is an
error naming the entry. A file that looks like a copy of another
(``units (1).csv``, ``units - 副本.csv``, ``units_backup.csv``) beside the real one
is not read, with a warning: read as well, its rows would be counted twice.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Final

from dxe_eval.errors import DataError

#: what follows a record type's name in the name of a file that looks like a copy
_COPY: Final = re.compile(
    r"^[\s_.\-]*(?:\(\d+\)|（\d+）|-?\s*副本|copy|backup|bak|备份)(?:\s*(?:\(\d+\)|（\d+）|\d+))?$",
    re.IGNORECASE,
)


def entry_kind(path: Path) -> tuple[str, str]:
    """``("文件", "file")`` for a regular file or a link to one, else what the entry is, in
    words: Chinese, English."""
    try:
        mode = os.stat(path).st_mode  # follows links
    except OSError as exc:
        if path.is_symlink():
            if exc.errno == errno.ELOOP:
                return "符号链接循环", "a symbolic link loop"
            return "指向不存在的文件的符号链接", "a dangling symbolic link"
        return f"无法读取的项（{exc.strerror}）", f"unreadable: {exc.strerror}"
    if stat.S_ISREG(mode):
        return "文件", "file"
    if stat.S_ISDIR(mode):
        return "文件夹", "a folder"
    if stat.S_ISFIFO(mode):
        return "命名管道（FIFO）", "a FIFO, a named pipe"
    if stat.S_ISSOCK(mode):
        return "套接字", "a socket"
    return "设备文件", "a device"


def is_copy(stem: str, type_names: Sequence[str]) -> bool:
    """Whether a file's name (without suffix) is a record type's name followed by what a
    copy's name has (`` (1)``, `` - 副本``, ``_backup``…)."""
    lowered = stem.lower()
    for name in type_names:
        n = name.lower()
        if lowered.startswith(n) and _COPY.match(stem[len(n) :]):
            return True
    return False


def data_files(
    folder: Path,
    suffixes: Sequence[str],
    match: Callable[[str], str | None],
    names_of: Mapping[str, Sequence[str]],
    warnings: list[str],
) -> list[Path]:
    """The files of ``folder`` to read, in name order: workbooks (``.xlsx``) and the files
    with one of ``suffixes`` whose name ``match`` gives a record type; copies beside the
    real file left out with a warning appended to ``warnings``.

    ``names_of`` gives each record type's names (English and Chinese). An entry under
    a record type's name that is not a regular file is a :class:`DataError`.
    """
    chosen: list[tuple[Path, str | None]] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        suffix = path.suffix.lower()
        if suffix == ".xlsx":
            record_type = None
        elif suffix in suffixes:
            record_type = match(path.stem)
        elif not suffix:
            record_type = match(path.name)  # a folder named ``requests``
        else:
            continue
        kind_zh, kind = entry_kind(path)
        if kind != "file":
            if record_type is None and suffix != ".xlsx":
                continue  # not under a record type's name: not data
            raise DataError(
                f"{path.name} is not a regular file but {kind}; a record type's data must be "
                "a regular file (or a link to one)",
                file=path.name,
                zh=f"{path.name} 不是普通文件，而是{kind_zh}：每类记录的数据必须是普通文件（或指向"
                "普通文件的链接）",
            )
        if suffix == ".xlsx" or record_type is not None or suffix in suffixes:
            chosen.append((path, record_type))
    out: list[Path] = []
    for path, record_type in chosen:
        if record_type is not None and is_copy(path.stem, names_of[record_type]):
            originals = [
                p.name
                for p, t in chosen
                if t == record_type and not is_copy(p.stem, names_of[record_type])
            ]
            if originals:
                warnings.append(
                    f"文件 {path.name} 像是 {originals[0]} 的副本，未读取；如果它是另一部分数据，"
                    f"请改名为 {record_type}-2{path.suffix} 之类的名称 "
                    f"({path.name} looks like a copy of {originals[0]}; not read: if it holds "
                    f"other rows, name it like {record_type}-2{path.suffix})"
                )
                continue
        out.append(path)
    return out
