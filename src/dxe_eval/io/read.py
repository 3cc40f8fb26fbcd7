"""Compatibility re-export until issue 19's two halves are integrated: reading lives in
:mod:`dxe_eval.read`."""

from dxe_eval.read.dataset import SUFFIXES, read_dataset
from dxe_eval.read.raw import (
    DEFAULT_LIMITS,
    FILE,
    ROW,
    Blank,
    Counts,
    Dataset,
    FileColumns,
    Rejection,
    SourceFile,
    decode,
    utf8_bytes,
)

__all__ = [
    "DEFAULT_LIMITS",
    "FILE",
    "ROW",
    "SUFFIXES",
    "Blank",
    "Counts",
    "Dataset",
    "FileColumns",
    "Rejection",
    "SourceFile",
    "decode",
    "read_dataset",
    "utf8_bytes",
]
