"""The public API for plugin authors: everything a rule, threshold, calendar, record type,
reader or reporter needs, in one import.

A plugin imports from here and nowhere else in ``dxe_eval`` (the example plugin in
``plugins/dxe-eval-innovation`` and the code in docs/plugins.md are held to it by a
test), so the modules behind these names may move without breaking a plugin::

    from dxe_eval.plugin import CID, KIND, Rule, RuleResult, hookimpl
"""

from __future__ import annotations

from dxe_eval.evidence import CID, EVERY_ROW, KIND, Evidence, FactSpec, per_candidate, spec_facts
from dxe_eval.hookspecs import hookimpl
from dxe_eval.model import (
    CANDIDATE_KINDS,
    Assessment,
    Calendar,
    Candidate,
    Finding,
    IdList,
    Rule,
    RuleResult,
    Threshold,
)
from dxe_eval.numbers import (
    exact,
    fmt_pct,
    fmt_points,
    half_up_div,
    linear,
    pct_short,
    percent,
    round2,
    share_points,
)
from dxe_eval.read.raw import (
    Raw,
    Reader,
    ReadFile,
    canonical_headers,
    decode,
    frame_from_rows,
    spelled_headers,
)
from dxe_eval.report.present import level_name, levels_text, rank_text, standings, status_text
from dxe_eval.report.reporter import Reporter, ReportOptions
from dxe_eval.result import Evaluation
from dxe_eval.schema import Column, RecordType, RefCheck, RowCheck, choice
from dxe_eval.scoring.bands import RateBands, kinds_validator, rate_assessment
from dxe_eval.scoring.share import (
    empty_result,
    share_parts,
    share_result,
    when_empty_validator,
)
from dxe_eval.scoring.small_sample import completed_rate, completed_ratio, describe, with_pools
from dxe_eval.service import (
    DEFAULT_COMPLETION_DAYS,
    DEFAULT_RESPONSE_DAYS,
    RECEIVED_IN_PERIOD,
    REQUEST_KINDS,
    late_expr,
)

__all__ = [
    "CANDIDATE_KINDS",
    "CID",
    "DEFAULT_COMPLETION_DAYS",
    "DEFAULT_RESPONSE_DAYS",
    "EVERY_ROW",
    "KIND",
    "RECEIVED_IN_PERIOD",
    "REQUEST_KINDS",
    "Assessment",
    "Calendar",
    "Candidate",
    "Column",
    "Evaluation",
    "Evidence",
    "FactSpec",
    "Finding",
    "IdList",
    "RateBands",
    "Raw",
    "ReadFile",
    "Reader",
    "RecordType",
    "RefCheck",
    "ReportOptions",
    "Reporter",
    "RowCheck",
    "Rule",
    "RuleResult",
    "Threshold",
    "canonical_headers",
    "choice",
    "completed_rate",
    "completed_ratio",
    "decode",
    "describe",
    "empty_result",
    "exact",
    "fmt_pct",
    "fmt_points",
    "frame_from_rows",
    "half_up_div",
    "hookimpl",
    "kinds_validator",
    "late_expr",
    "level_name",
    "levels_text",
    "linear",
    "pct_short",
    "per_candidate",
    "percent",
    "rank_text",
    "rate_assessment",
    "round2",
    "share_parts",
    "share_points",
    "share_result",
    "spec_facts",
    "spelled_headers",
    "standings",
    "status_text",
    "when_empty_validator",
    "with_pools",
]
