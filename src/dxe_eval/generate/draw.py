"""Random columns, ids and the spans data sets are written in.

The random numbers come from :mod:`random` as raw bytes (``Random.randbytes``,
stable for a seed across Python versions), one seeded stream per record type, and
are turned into uniforms, choices and dates by polars expressions. A column is
always drawn whole, in the order the record type's code asks for it: the stream's
position of each value, and so the data, depend only on the sizes and the seed,
not on how the rows are later cut into chunks.
"""

from __future__ import annotations

import array
import math
import random
import sys
from collections.abc import Sequence
from typing import Final

import polars as pl

#: rows formatted and written at a time (text columns of one chunk are all that is held)
CHUNK_ROWS: Final = 500_000
#: uniforms drawn at a time (a column is drawn whole, in pieces of this many)
PIECE: Final = 1 << 20


def spans(n: int) -> list[tuple[int, int]]:
    """``[start, stop)`` row ranges of :data:`CHUNK_ROWS` covering ``n`` rows; one empty
    span when ``n == 0`` (a file of a header only is still written)."""
    if n <= 0:
        return [(0, 0)]
    return [(a, min(n, a + CHUNK_ROWS)) for a in range(0, n, CHUNK_ROWS)]


class Stream:
    """Uniform random columns from one seeded stream (one stream per record type)."""

    def __init__(self, seed: int, name: str) -> None:
        self._r = random.Random(f"dxe-eval:{seed}:{name}")

    def u(self, n: int, name: str = "u") -> pl.Series:
        """``n`` uniforms in ``[0, 1)`` (32-bit resolution).

        The bytes are drawn a piece at a time: ``randbytes(4 * a)`` then
        ``randbytes(4 * b)`` are the bytes of ``randbytes(4 * (a + b))`` (whole 32-bit
        words of the same stream), so the numbers do not depend on the pieces, and a
        column of 30 million takes its own 240 MB and little more."""
        pieces = [self._piece(min(PIECE, n - a)) for a in range(0, n, PIECE)]
        if not pieces:
            return pl.Series(name, [], dtype=pl.Float64)
        return pl.concat(pieces, rechunk=False).alias(name)

    def _piece(self, n: int) -> pl.Series:
        raw = array.array("I")
        if raw.itemsize != 4:  # pragma: no cover - exotic platforms
            raw = array.array("L")
        raw.frombytes(self._r.randbytes(4 * n))
        if sys.byteorder == "big":  # pragma: no cover - same numbers on every machine
            raw.byteswap()
        return pl.Series("u", raw, dtype=pl.UInt32).cast(pl.Float64) / 4294967296.0

    def normal(self, n: int, name: str = "z") -> pl.Series:
        """Standard normal deviates (Box–Muller)."""
        u1 = 1.0 - self.u(n)  # (0, 1]
        u2 = self.u(n)
        return ((-2.0 * u1.log()).sqrt() * (2 * math.pi * u2).cos()).alias(name)

    def choice(self, n: int, weights: Sequence[float], name: str = "i") -> pl.Series:
        """Indexes into ``weights``, each drawn with its weight's share."""
        return pick(self.u(n), weights).alias(name)

    def below(self, n: int, bound: pl.Series | int, name: str = "i") -> pl.Series:
        """A whole number in ``[0, bound)`` for each row (``bound`` may vary by row)."""
        out = (self.u(n) * bound).floor().cast(pl.Int64)
        return out.alias(name)


def pick(u: pl.Series, weights: Sequence[float]) -> pl.Series:
    """Turn uniforms into indexes drawn with the given weights."""
    total = float(sum(weights))
    cum, acc = [], 0.0
    for w in weights:
        acc += w / total
        cum.append(acc)
    cum[-1] = 1.0
    idx = pl.Series(cum, dtype=pl.Float64).search_sorted(u, side="right")
    return idx.cast(pl.Int64).clip(0, len(weights) - 1)


def ids_expr(prefix: str, n: int, first: pl.Expr) -> pl.Expr:
    """The id of row ``first`` (0-based) of ``n``: ``prefix`` and the 1-based number,
    zero-filled to the width of ``n`` (at least four digits)."""
    width = max(4, len(str(n)))
    return pl.lit(prefix) + (first + 1).cast(pl.String).str.zfill(width)


def ids(prefix: str, n: int, start: int = 0, stop: int | None = None) -> pl.Series:
    """The ids of rows ``[start, stop)`` of ``n`` (all ``n`` by default)."""
    stop = n if stop is None else stop
    return pl.select(
        ids_expr(prefix, n, pl.int_range(start, stop, dtype=pl.Int64)).alias("id")
    ).to_series()


def from_values(values: Sequence[str], idx: pl.Series) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def by_size(rng: Stream, n: int, units: pl.DataFrame, power: float = 1.0) -> pl.Series:
    """Unit indexes drawn in proportion to unit size (to ``power``)."""
    w = (units["_size"] ** power).to_list()
    return rng.choice(n, w, name="unit")


def ranges(unit_of: pl.Series, n_units: int) -> pl.DataFrame:
    """For rows sorted by unit: each unit's first row and row count."""
    counts = pl.DataFrame({"unit": unit_of}).group_by("unit").agg(pl.len().alias("count"))
    return (
        pl.DataFrame({"unit": pl.int_range(0, n_units, eager=True)})
        .join(counts, on="unit", how="left")
        .sort("unit")
        .with_columns(pl.col("count").fill_null(0).cast(pl.Int64))
        .with_columns((pl.col("count").cum_sum() - pl.col("count")).alias("start"))
    )


def member(rng: Stream, unit: pl.Series, unit_ranges: pl.DataFrame, size: int) -> pl.Series:
    """The row (0-based) of a random member (person, project) of each row's unit among the
    ``size`` members sorted by unit; null where the unit has none."""
    start = unit_ranges["start"].gather(unit)
    count = unit_ranges["count"].gather(unit)
    k = (rng.u(len(unit)) * count).floor().cast(pl.Int64)
    pos = (start + k).clip(0, max(size - 1, 0))
    return (
        pl.DataFrame({"v": pos, "c": count})
        .select(pl.when((pl.col("c") > 0) & pl.lit(size > 0)).then(pl.col("v")).otherwise(None))
        .to_series()
        .cast(pl.Int32)
        .alias("member")
    )
