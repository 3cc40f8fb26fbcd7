"""The result of one run: :class:`Evaluation`, every fact a report needs.

It sits above the engine that makes it and below the reports that render it, so it
imports no report: the JSON, the tables and every other format are functions of an
evaluation in :mod:`dxe_eval.report` (reached through the façade,
``dxe_eval.to_dict(ev)``, ``dxe_eval.to_json(ev)``, ``dxe_eval.to_table(ev)``).
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from dxe_eval.commend import CommendationResult, Measures
from dxe_eval.evidence import Evidence
from dxe_eval.manager import Registry
from dxe_eval.model import Finding, Scorecard
from dxe_eval.read.raw import Dataset
from dxe_eval.ruleset import Ruleset


@frozen(kw_only=True, eq=False)
class Evaluation:
    """One frozen result: every fact a report needs, so every format renders the same facts."""

    ruleset: Ruleset
    registry: Registry
    dataset: Dataset
    evidence: Evidence
    scorecards: tuple[Scorecard, ...]
    findings: tuple[Finding, ...]
    commendation: CommendationResult
    measures: Mapping[tuple[str, str], Measures]
    warnings: tuple[str, ...] = ()

    def scorecard(self, candidate_id: str) -> Scorecard | None:
        for card in self.scorecards:
            if card.candidate.candidate_id == candidate_id:
                return card
        return None

    def findings_of(self, candidate_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.candidate_id == candidate_id)
