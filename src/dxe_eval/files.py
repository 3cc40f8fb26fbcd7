"""Writing an output file whole or not at all, and never over an input.

Every file dxe_eval writes (reports, templates, generated data) goes through
:func:`replacing`: the content is written to a temporary file in the target's
own folder, flushed to disk (``fsync``) and renamed over the target
(``os.replace``, atomic on one file system). An interrupted run (Ctrl-C, a
crash, a full disk) leaves the previous file as it was; a ``kill -9`` may leave
the temporary ``.NAME.*.tmp`` file beside it, never a truncated target. Two
runs writing the same file each write a complete file of their own; the one
renamed last is the one that stays. A workbook is saved reproducibly
(:func:`save_reproducibly`): the same content always gives the same bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from dxe_eval.errors import DxeEvalError


def _mode_for(path: Path) -> int:
    """The permissions a new file would get (the umask applied), or the existing file's."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _fsync_folder(folder: Path) -> None:
    """Flush the folder's entry for the renamed file (best effort: not every system can)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(
    path: str | Path, *, text: bool = False, newline: str | None = None
) -> Iterator[IO[Any]]:
    """A file object to write ``path``'s new content to; ``path`` is replaced when the
    block ends without an error, and left as it was otherwise.

    A symbolic link at ``path`` is followed: the file it points to is replaced.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        mode = "w" if text else "wb"
        with os.fdopen(fd, mode, encoding="utf-8" if text else None, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:  # Ctrl-C too: the previous file stays, the temporary one goes
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(folder)


def write_bytes(path: str | Path, data: bytes) -> None:
    """``path`` replaced by ``data`` (see :func:`replacing`)."""
    with replacing(path) as f:
        f.write(data)


def write_text(path: str | Path, text: str, *, newline: str | None = None) -> None:
    """``path`` replaced by ``text`` in UTF-8 (see :func:`replacing`)."""
    with replacing(path, text=True, newline=newline) as f:
        f.write(text)


def refuse_inputs(
    output: str | Path, inputs: Iterable[str | Path], *, folders: Iterable[str | Path] = ()
) -> None:
    """Raise when ``output`` resolves to one of ``inputs`` (files read for this run) or is one
    of ``folders`` (a data folder): a report must never overwrite what it was made from."""
    out = Path(os.path.realpath(output))
    for path in inputs:
        if Path(os.path.realpath(path)) == out:
            raise DxeEvalError(
                f"--output {output} is an input of this run ({path}); write the report elsewhere",
                zh=f"输出文件 {output} 是本次运行读取的输入文件（{path}），请写到别处",
            )
    for folder in folders:
        if Path(os.path.realpath(folder)) == out:
            raise DxeEvalError(
                f"--output {output} is the data folder of this run; write the report elsewhere",
                zh=f"输出位置 {output} 是本次运行的数据文件夹，请写到别处",
            )


def save_reproducibly(wb: Any, when: dt.datetime) -> bytes:
    """A workbook's bytes with ``when`` as every timestamp, so that the same content
    always gives the same file (openpyxl stamps ``modified`` with the clock on save)."""
    wb.properties.created = when
    buf = io.BytesIO()
    wb.save(buf)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp + rb"\g<2>",
                    content,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=when.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, content)
    return out.getvalue()
