"""dxe_eval — annual evaluation of the 金牌“店小二” service programme.

Public API::

    import dxe_eval
    ev = dxe_eval.evaluate("path/to/data", "hubei-2022")
    dxe_eval.to_dict(ev)   # the documented JSON shape (also to_json, to_table)
    ev.scorecard("U07")    # one candidate's rule results, reasons and evidence
    ev.frames()            # polars frames: scorecards, rules, findings, lists, excluded

This module is the API façade, the top of the layers (``docs/architecture.md``): the
reports are functions of an evaluation, found here beside it.

Heavy modules (polars) are imported on first use, so ``dxe-eval --version``
stays fast.
"""

from __future__ import annotations

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from dxe_eval.errors import (
    CalendarError,
    DataError,
    DxeEvalError,
    PluginError,
    PluginLoadError,
    RejectedRowsError,
    RuleError,
    RulesetError,
)
from dxe_eval.hookspecs import hookimpl, hookspec
from dxe_eval.version import __version__

if _TYPE_CHECKING:
    from dxe_eval.engine import Prepared, evaluate, prepare, run
    from dxe_eval.manager import Registry, get_plugin_manager, get_registry
    from dxe_eval.model import (
        Assessment,
        Calendar,
        Candidate,
        Finding,
        Rule,
        RuleResult,
        Scorecard,
        Threshold,
        UnknownId,
    )
    from dxe_eval.read.dataset import read_dataset
    from dxe_eval.read.raw import Dataset
    from dxe_eval.report.json import to_dict, to_json
    from dxe_eval.report.schema import result_schema
    from dxe_eval.report.table import to_table
    from dxe_eval.result import Evaluation
    from dxe_eval.ruleset import Ruleset, check_ruleset, load_ruleset
    from dxe_eval.schema import Column, RecordType

_LAZY = {
    "Evaluation": "dxe_eval.result",
    "to_dict": "dxe_eval.report.json",
    "to_json": "dxe_eval.report.json",
    "to_table": "dxe_eval.report.table",
    "result_schema": "dxe_eval.report.schema",
    "Prepared": "dxe_eval.engine",
    "evaluate": "dxe_eval.engine",
    "prepare": "dxe_eval.engine",
    "run": "dxe_eval.engine",
    "Dataset": "dxe_eval.read.raw",
    "read_dataset": "dxe_eval.read.dataset",
    "Registry": "dxe_eval.manager",
    "get_plugin_manager": "dxe_eval.manager",
    "get_registry": "dxe_eval.manager",
    "Assessment": "dxe_eval.model",
    "Calendar": "dxe_eval.model",
    "Candidate": "dxe_eval.model",
    "Finding": "dxe_eval.model",
    "Rule": "dxe_eval.model",
    "RuleResult": "dxe_eval.model",
    "Scorecard": "dxe_eval.model",
    "Threshold": "dxe_eval.model",
    "UnknownId": "dxe_eval.model",
    "Ruleset": "dxe_eval.ruleset",
    "check_ruleset": "dxe_eval.ruleset",
    "load_ruleset": "dxe_eval.ruleset",
    "Column": "dxe_eval.schema",
    "RecordType": "dxe_eval.schema",
}

__all__ = [
    "Assessment",
    "Calendar",
    "CalendarError",
    "Candidate",
    "Column",
    "DataError",
    "Dataset",
    "DxeEvalError",
    "Evaluation",
    "Finding",
    "PluginError",
    "PluginLoadError",
    "Prepared",
    "RecordType",
    "Registry",
    "RejectedRowsError",
    "Rule",
    "RuleError",
    "RuleResult",
    "Ruleset",
    "RulesetError",
    "Scorecard",
    "Threshold",
    "UnknownId",
    "__version__",
    "check_ruleset",
    "evaluate",
    "get_plugin_manager",
    "get_registry",
    "hookimpl",
    "hookspec",
    "load_ruleset",
    "prepare",
    "read_dataset",
    "result_schema",
    "run",
    "to_dict",
    "to_json",
    "to_table",
]


def __getattr__(name: str) -> _Any:
    """The public names of :data:`_LAZY`, imported on first use."""
    if name in _LAZY:
        value = getattr(_importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'dxe_eval' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (:data:`__all__`), not the helpers this module imports."""
    return sorted(__all__)
