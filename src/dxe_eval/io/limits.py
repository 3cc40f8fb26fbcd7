"""Compatibility re-export until issue 19's two halves are integrated: see
:mod:`dxe_eval.read.limits`."""

from dxe_eval.read.limits import MB, RESULT_BYTES, RULESET_BYTES, ReadLimits, read_capped

__all__ = ["MB", "RESULT_BYTES", "RULESET_BYTES", "ReadLimits", "read_capped"]
