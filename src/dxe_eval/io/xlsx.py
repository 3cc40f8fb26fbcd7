"""Compatibility re-export until issue 19's two halves are integrated: reading a workbook
is :mod:`dxe_eval.read.xlsx`, saving one reproducibly :func:`dxe_eval.files.save_reproducibly`."""

from dxe_eval.files import save_reproducibly
from dxe_eval.read.xlsx import cell_text, read_workbook

__all__ = ["cell_text", "read_workbook", "save_reproducibly"]
