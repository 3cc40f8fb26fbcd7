"""The :class:`Reporter` value object: an output format, registered like a rule.

A plugin (the built-in formats are one, :mod:`dxe_eval.report.builtin`) returns its
reporters from the ``dxe_eval_register_reporters`` hook; ``dxe-eval evaluate --format
NAME`` looks the format up by its name (:func:`dxe_eval.report.registry.reporters`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from attrs import field, frozen

from dxe_eval.report.yoy import Previous, PreviousResult, Signature
from dxe_eval.result import Evaluation


@frozen(kw_only=True)
class ReportOptions:
    """What a report may be asked besides the evaluation."""

    #: ``zh`` (Chinese first) or ``en``
    lang: str = "zh"
    #: the terminal table: every row and column (``--full``), else the summary
    full: bool = False
    #: the summary: the first ``top`` of each group (``--top N``)
    top: int = 5
    #: the summary's width in columns (``None``: the terminal's)
    width: int | None = None
    #: the previous period's published totals, for a 同比 (xlsx, html)
    previous: Previous | None = None
    #: the candidate a per-candidate report explains (``dxe-eval explain``)
    candidate: str | None = None
    #: a published result to compare with (``--previous RESULT.json``): html 概要, 同比
    previous_result: PreviousResult | None = None
    #: the first pages only: 概要, charts, lists, findings (``--summary``; html)
    summary: bool = False
    #: 制表单位 / 制表日期 / 审核 / 签发 under the 概要 (html)
    signature: Signature | None = None
    #: how many evidence ids a machine-read report keeps per list: ``all``, ``none`` or
    #: ``first:N`` (``dxe-eval evaluate --evidence``; the JSON reporter reads it)
    evidence: str = "all"
    #: machine-read JSON on one line, no space after ``,`` and ``:`` (``--compact``)
    compact: bool = False


#: renders an evaluation as text, for standard output or a file
Render = Callable[[Evaluation, ReportOptions], str]
#: writes an evaluation to the path as given (``DIR/`` may name a folder); returns the files
#: to announce as written
Write = Callable[[Evaluation, str, ReportOptions], Sequence[Path]]


@frozen(kw_only=True)
class Reporter:
    """An output format: ``render`` gives its text, ``write`` writes its file(s).

    A reporter has ``render``, ``write`` or both. Without ``write``, ``--output FILE``
    gets ``render``'s text (written whole or not at all) and is announced; without
    ``render`` (or with ``file_only``) the format needs ``--output`` (a workbook, a page).
    """

    #: the name ``--format`` takes
    name: str = field()
    #: one line for ``--help``: Chinese / English
    title: str = ""
    render: Render | None = None
    write: Write | None = None
    #: read by machines: no progress line when it goes to standard output
    machine: bool = False
    #: written only to a file (``--output``), even when it has a ``render``
    file_only: bool = False
    #: explains one candidate (:attr:`ReportOptions.candidate`): not a ``--format``
    per_candidate: bool = False
    #: the plugin that registered it (filled in by the registry)
    plugin: str = ""

    @name.validator
    def _check_name(self, _: object, value: str) -> None:
        if not value or not value.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"a reporter's name is letters, digits, - and _: {value!r}")
