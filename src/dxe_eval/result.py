"""The result of one run: :class:`Evaluation`, every fact a report needs.

It sits above the engine that makes it and below the reports that render it, so it
imports no report: the JSON, the tables and every other format are functions of an
evaluation in :mod:`dxe_eval.report` (reached through the façade,
``dxe_eval.to_dict(ev)``, ``dxe_eval.to_json(ev)``, ``dxe_eval.to_table(ev)``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import polars as pl
from attrs import frozen

from dxe_eval.commend import CommendationResult, Entry, Measures
from dxe_eval.errors import DxeEvalError
from dxe_eval.evidence import Evidence
from dxe_eval.manager import Registry
from dxe_eval.model import Finding, Scorecard, UnknownId, suggest
from dxe_eval.read.raw import Dataset
from dxe_eval.ruleset import Ruleset

#: the columns of each frame :meth:`Evaluation.frames` returns, with their polars types
FRAME_SCHEMAS: Final[dict[str, dict[str, Any]]] = {
    "scorecards": {
        "kind": pl.String,
        "candidate_id": pl.String,
        "name": pl.String,
        "category": pl.String,
        "unit_id": pl.String,
        "base": pl.Float64,
        "bonus": pl.Float64,
        "deductions": pl.Float64,
        "total": pl.Float64,
        "finding_count": pl.Int64,
        "standing": pl.String,
    },
    "rules": {
        "kind": pl.String,
        "candidate_id": pl.String,
        "rule": pl.String,
        "title": pl.String,
        "plugin": pl.String,
        "bonus": pl.Boolean,
        "points": pl.Float64,
        "max": pl.Float64,
        "applicable": pl.Boolean,
        "reason": pl.String,
        "reason_en": pl.String,
        "evidence_count": pl.Int64,
    },
    "findings": {
        "kind": pl.String,
        "candidate_id": pl.String,
        "unit_id": pl.String,
        "threshold": pl.String,
        "level": pl.String,
        "code": pl.String,
        "value": pl.Float64,
        "limit": pl.Float64,
        "reason": pl.String,
        "reason_en": pl.String,
        "count": pl.Int64,
    },
    "lists": {
        "kind": pl.String,
        "status": pl.String,
        "group": pl.String,
        "rank": pl.Int64,
        "candidate_id": pl.String,
        "name": pl.String,
        "category": pl.String,
        "unit_id": pl.String,
        "total": pl.Float64,
        "tied": pl.Boolean,
        "decided_by": pl.String,
        "note": pl.String,
    },
    "excluded": {
        "kind": pl.String,
        "candidate_id": pl.String,
        "name": pl.String,
        "category": pl.String,
        "total": pl.Float64,
        "code": pl.String,
        "reason": pl.String,
    },
}


@frozen(kw_only=True, eq=False)
class Evaluation:
    """One frozen result: every fact a report needs, so every format renders the same facts.

    ``scorecards`` (one per candidate), ``findings``, ``commendation`` (the lists, near
    misses and exclusions), ``measures`` (the counts the commendation reads), the
    ``dataset`` as read (counts, rejected and blanked cells), the ``ruleset`` and the
    plugins' ``registry`` that made it, and the data ``warnings`` (提示). Look a
    candidate up with :meth:`scorecard`; take everything as tables with :meth:`frames`
    (polars) or :meth:`to_pandas`; the JSON is ``dxe_eval.to_dict(ev)``.
    """

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

    def frames(self) -> dict[str, pl.DataFrame]:
        """The result as polars DataFrames, keyed ``scorecards``, ``rules``, ``findings``,
        ``lists`` and ``excluded`` (columns: :data:`FRAME_SCHEMAS`, ``docs/api.md``).

        - ``scorecards``: one row per candidate, in the order of :attr:`scorecards`;
          ``finding_count`` counts its findings, ``standing`` is ``listed``, ``pending``,
          ``near``, ``excluded`` or null (its kind has no list);
        - ``rules``: one row per candidate and rule on its card; ``evidence_count``
          is the number of record ids that decided the result;
        - ``findings``: one row per finding, with its stable ``code``;
        - ``lists``: the commendation lists and their near misses, one row per entry
          (``status``: ``listed``, ``pending`` or ``near``);
        - ``excluded``: one row per reason a candidate is not eligible, with the
          reason's stable ``code`` (``docs/json.md``).
        """
        standing = {key: _standing(place) for key, place in self.commendation.standing().items()}
        counts: dict[tuple[str, str], int] = {}
        for f in self.findings:
            counts[(f.kind, f.candidate_id)] = counts.get((f.kind, f.candidate_id), 0) + 1
        cards = []
        rules = []
        for card in self.scorecards:
            c = card.candidate
            key = (c.kind, c.candidate_id)
            cards.append(
                (c.kind, c.candidate_id, c.name, c.category, c.unit_id, card.base, card.bonus,
                 card.deductions, card.total, counts.get(key, 0), standing.get(key))
            )  # fmt: skip
            for r in card.rules:
                res = r.result
                rules.append(
                    (c.kind, c.candidate_id, r.rule, r.title, r.plugin, r.bonus, res.points,
                     res.max, res.applicable, res.reason, res.reason_en, len(res.evidence))
                )  # fmt: skip
        findings = [
            (f.kind, f.candidate_id, f.unit_id, f.threshold, f.level, f.code, f.value, f.limit,
             f.reason, f.reason_en, f.count)
            for f in self.findings
        ]  # fmt: skip
        lists = [
            (e.kind, e.status, e.group, e.rank, e.candidate_id, e.name, e.category, e.unit_id,
             e.total, e.tied, e.decided_by, e.note)
            for source in (self.commendation.lists, self.commendation.near_misses)
            for entries in source.values()
            for e in entries
        ]  # fmt: skip
        lists.sort(
            key=lambda row: (
                _KIND_ORDER.get(row[0], 9),
                row[2],
                _STATUS_ORDER[row[1]],
                row[3],
                row[4],
            )
        )
        excluded = [
            (x.kind, x.candidate_id, x.name, x.category, x.total, code, reason)
            for x in self.commendation.excluded
            for code, reason in zip(x.codes or ("",) * len(x.reasons), x.reasons, strict=True)
        ]
        rows: dict[str, list[tuple[Any, ...]]] = {
            "scorecards": cards,
            "rules": rules,
            "findings": findings,
            "lists": lists,
            "excluded": excluded,
        }
        return {
            name: pl.DataFrame(rows[name], schema=schema, orient="row")
            for name, schema in FRAME_SCHEMAS.items()
        }

    def to_pandas(self) -> dict[str, Any]:
        """:meth:`frames` as pandas DataFrames (the same keys, columns and rows).

        pandas is imported only here, and pyarrow is not needed; without pandas this
        raises :class:`~dxe_eval.errors.DxeEvalError` saying how to install it.
        """
        try:
            import pandas as pd  # lazy: start-up (an optional dependency)
        except ImportError as exc:
            raise DxeEvalError(
                "to_pandas() needs pandas: pip install pandas",
                zh="to_pandas() 需要 pandas：pip install pandas",
            ) from exc
        return {name: _to_pandas(pd, frame) for name, frame in self.frames().items()}


_KIND_ORDER: Final = {"unit": 0, "person": 1, "project": 2}
_STATUS_ORDER: Final = {"listed": 0, "pending": 0, "near": 1}


def _standing(place: tuple[str, Any]) -> str:
    """``listed``, ``pending``, ``near`` or ``excluded``: a candidate's standing."""
    state, what = place
    return what.status if isinstance(what, Entry) else state


def _to_pandas(pd: Any, frame: pl.DataFrame) -> Any:
    """One polars frame as a pandas one without pyarrow (``DataFrame.to_pandas`` needs it):
    numbers as float64 or int64 (float64 when a value is missing), text as object."""
    data: dict[str, Any] = {}
    for name, series in frame.to_dict().items():
        if (series.dtype.is_numeric() or series.dtype == pl.Boolean) and not series.null_count():
            data[name] = series.to_numpy()
        elif series.dtype.is_float():
            data[name] = series.to_numpy()  # null as NaN
        else:
            data[name] = pd.Series(series.to_list(), dtype=object)
    return pd.DataFrame(data, columns=frame.columns)
