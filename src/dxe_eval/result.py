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
from dxe_eval.model import Finding, Scorecard, UnknownId, suggest
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

    def scorecard(self, candidate_id: str) -> Scorecard:
        """The scorecard of candidate ``candidate_id`` (a unit's, a person's or a project's id).

        Raises :class:`~dxe_eval.model.UnknownId` (a ``KeyError``) with the nearest id
        when there is no such candidate; :meth:`get_scorecard` returns ``None`` instead.
        """
        card = self.get_scorecard(candidate_id)
        if card is not None:
            return card
        ids = [c.candidate.candidate_id for c in self.scorecards]
        raise UnknownId(
            f"没有对象 {candidate_id}{suggest(candidate_id, ids)} "
            f"/ no candidate {candidate_id!r} in this evaluation"
        )

    def get_scorecard(self, candidate_id: str) -> Scorecard | None:
        """The scorecard of candidate ``candidate_id``, or ``None`` when there is none."""
        for card in self.scorecards:
            if card.candidate.candidate_id == candidate_id:
                return card
        return None

    def findings_of(self, candidate_id: str) -> tuple[Finding, ...]:
        """The findings (警示、责令改正、通报批评) of candidate ``candidate_id``, possibly none."""
        return tuple(f for f in self.findings if f.candidate_id == candidate_id)
