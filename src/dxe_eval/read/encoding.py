"""Whether a file is wholly one encoding: UTF-8, or GB18030 (what Excel on Chinese Windows
saves), never a mix.

Two exports pasted into one file can leave a UTF-8 file with a few GB18030 lines
(or the other way round). Read as GB18030 (which decodes almost any bytes) the
UTF-8 lines would come out garbled, names and categories changed without a
word; read as UTF-8 the GB18030 lines are not text at all. So when a file is
not UTF-8, :func:`mixed_line` looks for lines that are: a line that decodes as
UTF-8 and holds a character from U+0800 up (Chinese text in UTF-8; a GB18030 line
is very unlikely to be such by chance) beside a line that is not UTF-8 means
the file mixes the two, and it is refused, naming the first line of the smaller
part.
"""

from __future__ import annotations

import re
from typing import Final

#: a byte that is not UTF-8, as ``surrogateescape`` decodes it
_NOT_UTF8: Final = re.compile("[\udc80-\udcff]")
#: a character UTF-8 writes in three or four bytes (Chinese text among them)
_WIDE: Final = re.compile("[\u0800-\ud7ff\ue000-\U0010ffff]")


def mixed_line(data: bytes) -> tuple[int, bool] | None:
    """The first line of the smaller part of a file that mixes UTF-8 lines with lines that
    are not UTF-8, and whether that line is the UTF-8 one; ``None`` when the file is not
    such a mix. Lines are counted from 1 and end at ``\\n``. Called only for a file that
    is not UTF-8 as a whole."""
    text = data.decode("utf-8", errors="surrogateescape")
    first_bad = first_good = 0
    bad = good = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.isascii():
            continue
        if _NOT_UTF8.search(line):
            bad += 1
            first_bad = first_bad or number
        elif _WIDE.search(line):
            good += 1
            first_good = first_good or number
    if not bad or not good:
        return None
    return (first_bad, False) if good >= bad else (first_good, True)
