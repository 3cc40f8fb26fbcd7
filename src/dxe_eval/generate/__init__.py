"""A synthetic province-scale data set, for benchmarks and load tests.

:func:`generate` writes every record type of the input contract as a CSV file
(one per record type), a chunk of rows at a time, or, for small sizes, one
``.xlsx`` workbook; :func:`generate_frames` gives them as frames of text columns.
The data are fictitious but have the shapes of the real thing:

- unit sizes are skewed (log-normal), in the five categories 处室, 直属单位,
  市州局, 县市区局 and 社会服务力量; people, projects and requests go to units
  in proportion to their size;
- requests cluster on working days, some arrive on weekends and holidays, with
  rushes before and after National Day and the Spring Festival; most are
  answered within two working days, with a long tail of late responses and a
  few units much slower than the rest;
- about 95 % of ratings are satisfied, with a few units much worse;
- ledger entries, visits, supervision items, summaries, evaluations,
  capabilities, media items (national ones rare) and earlier sanctions come in
  proportion to the counts asked for.

Everything is columnar: the random numbers come from :mod:`random` as raw
bytes and are turned into uniforms, choices and dates by polars expressions
(:mod:`~dxe_eval.generate.draw`), so a million requests take seconds. Working days
come from the one working-day table (:mod:`dxe_eval.calendar`). The same sizes and
seed give byte-identical files, however the rows are cut into chunks.

The package: :mod:`~dxe_eval.generate.sizes` (what is asked for and refused),
:mod:`~dxe_eval.generate.vocab` (the words), :mod:`~dxe_eval.generate.draw`
(random columns and ids), :mod:`~dxe_eval.generate.workdays`,
:mod:`~dxe_eval.generate.small` (the record types that grow with units and
projects), :mod:`~dxe_eval.generate.requests` (requests, ledger, visits),
:mod:`~dxe_eval.generate.surveys` and :mod:`~dxe_eval.generate.write` (the
files).
"""

from dxe_eval.generate.sizes import XLSX_MAX_ROWS, GenerateError, Sizes, estimated_rows
from dxe_eval.generate.write import ORDER, generate, generate_frames, record_chunks

__all__ = [
    "ORDER",
    "XLSX_MAX_ROWS",
    "GenerateError",
    "Sizes",
    "estimated_rows",
    "generate",
    "generate_frames",
    "record_chunks",
]
