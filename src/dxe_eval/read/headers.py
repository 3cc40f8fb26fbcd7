"""A file's header that is almost a contract column: a typo, not an extra column.

An unknown column is ignored (a ledger may carry 备注 and more). But one that is
within a small edit distance of a contract column's English name or Chinese
label, while that column is missing from the file (``首次回应时间`` typed for
``首次响应时间``), is almost certainly that column mistyped: ignored, it would make
every request unanswered. :func:`near_misses` finds them; the reader makes each
an error naming both, unless the run is lenient (then a warning).

The distance is Damerau-Levenshtein (optimal string alignment: one insertion,
deletion, substitution or swap of neighbours each), on English names in lower
case with spaces and hyphens as underscores: at most 1 for a name or label of up
to 6 characters, 2 for a longer one. No two names or labels of one record type
are that near each other (a test checks it), so a near miss points at one column.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

from dxe_eval.schema import Column, RecordType


def distance(a: str, b: str) -> int:
    """The optimal-string-alignment distance between ``a`` and ``b``."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed(name: str) -> int:
    """How far a header may be from ``name`` and still be taken for a typo of it."""
    return 1 if len(name) <= 6 else 2


def _normal(text: str) -> str:
    text = text.strip()
    return text.lower().replace(" ", "_").replace("-", "_") if text.isascii() else text


def nearest_column(header: str, rt: RecordType) -> Column | None:
    """The column of ``rt`` whose name or label ``header`` is a near miss of, if any."""
    got = _normal(header)
    best: tuple[int, Column] | None = None
    for col in rt.columns:
        for target in (col.name, col.label):
            d = distance(got, _normal(target))
            if d <= allowed(target) and (best is None or d < best[0]):
                best = (d, col)
    return best[1] if best else None


def near_misses(
    ignored: Iterable[str], present: Collection[str], rt: RecordType
) -> list[tuple[str, Column]]:
    """The ignored headers that are near misses of a column the file does not have."""
    out = []
    for header in ignored:
        col = nearest_column(header, rt)
        if col is not None and col.name not in present:
            out.append((header, col))
    return out
