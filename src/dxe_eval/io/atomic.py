"""Compatibility re-export until issue 19's two halves are integrated: see
:mod:`dxe_eval.files`."""

from dxe_eval.files import refuse_inputs, replacing, write_bytes, write_text

__all__ = ["refuse_inputs", "replacing", "write_bytes", "write_text"]
