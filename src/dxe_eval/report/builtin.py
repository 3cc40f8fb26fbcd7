"""The built-in output formats, registered as a plugin: one line per format module."""

from __future__ import annotations

from collections.abc import Sequence

from dxe_eval.hookspecs import hookimpl
from dxe_eval.report import csv, explain, html, json, table, xlsx
from dxe_eval.report.reporter import Reporter


@hookimpl
def dxe_eval_register_reporters() -> Sequence[Reporter]:
    return (
        table.REPORTER,
        json.REPORTER,
        csv.REPORTER,
        xlsx.REPORTER,
        html.REPORTER,
        explain.REPORTER,
    )
