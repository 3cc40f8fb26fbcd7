"""How much a run reads at most: caps with safe defaults, and a clear error past them.

A 3 MB ``.xlsx`` can unpack to gigabytes (a zip bomb); ``--ruleset /dev/zero`` never
ends; a result file can be any size. Every such read is capped: past a cap the
run stops with an error that names the file and the cap, and says how to raise
it. The caps are parameters (:class:`ReadLimits`), the defaults generous for real
data: a province's year fits well inside them.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Final

from attrs import frozen

from dxe_eval.errors import DxeEvalError

MB: Final = 1 << 20


@frozen(kw_only=True)
class ReadLimits:
    """Caps on what a data set's workbooks may unpack to.

    - ``xlsx_bytes``: the uncompressed size of all the parts of one ``.xlsx`` workbook
      together, as its zip directory declares them (a part that unpacks to more than it
      declares fails its check as it is read);
    - ``xlsx_rows``: rows of one sheet (Excel's own limit is 1,048,576);
    - ``xlsx_columns``: columns of a sheet that are read (cells to the right are not).
    """

    xlsx_bytes: int = 512 * MB
    xlsx_rows: int = 1_048_576
    xlsx_columns: int = 256


#: a ruleset is a few kilobytes of TOML
RULESET_BYTES: Final = 1 * MB
#: a province's JSON result is about 130 MB
RESULT_BYTES: Final = 2048 * MB


def read_capped(path: str | Path, cap: int, what: str, what_zh: str) -> bytes:
    """The bytes of ``path``, a regular file of at most ``cap`` bytes; else a
    :class:`DxeEvalError` naming it (a device such as ``/dev/zero`` or a FIFO is never
    read: it may have no end)."""
    path = Path(path)
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise DxeEvalError(
            f"{path}: the {what} is not a regular file",
            zh=f"{what_zh} {path} 不是普通文件",
        )
    with open(path, "rb") as f:
        data = f.read(cap + 1)
    if len(data) > cap:
        raise DxeEvalError(
            f"{path}: the {what} is larger than {cap // MB} MB; it cannot be one",
            zh=f"{what_zh} {path} 超过 {cap // MB} MB，不可能是{what_zh}",
        )
    return data
