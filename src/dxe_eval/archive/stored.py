"""An archived run as an evaluation the reports can render: ``archive export``, ``compare run:ID``.

:func:`stored_evaluation` rebuilds, from a run's checked JSON document, the parts of an
:class:`~dxe_eval.result.Evaluation` that the reports and the comparison read: the
scorecards, findings and commendation as the model's own value objects, the read
counts, rejections and inputs, and the ruleset's and run's identity. What the
document does not hold (the evidence rows, the facts) is not there: a stored run is
read, never re-scored. Its :meth:`StoredEvaluation.to_dict` is the stored document
itself, so ``archive export --format json`` gives back exactly what was archived.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen

from dxe_eval.archive.runs import RunInfo
from dxe_eval.commend import CommendationResult, Entry, Exclusion
from dxe_eval.model import KINDS, Candidate, Finding, RuleResult, Scorecard, ScoredRule
from dxe_eval.read.raw import Counts, Rejection, SourceFile
from dxe_eval.report.json import dumps
from dxe_eval.report.table import to_table


@frozen(kw_only=True)
class StoredPeriod:
    start: dt.date
    end: dt.date


@frozen(kw_only=True)
class StoredRuleset:
    id: str
    title: str
    source: str
    fingerprint: str
    period: StoredPeriod
    file: str = ""
    timezone: str = ""
    calendar: str = ""


@frozen(kw_only=True)
class StoredPlugin:
    name: str
    distribution: str
    version: str


@frozen(kw_only=True)
class StoredRegistry:
    plugins: tuple[StoredPlugin, ...] = ()
    record_types: Mapping[str, Any] = field(factory=dict)


@frozen(kw_only=True)
class StoredWorkdays:
    calendar_version: str = ""


@frozen(kw_only=True)
class StoredEvidence:
    workdays: StoredWorkdays


@frozen(kw_only=True)
class StoredDataset:
    counts: Mapping[str, Counts]
    rejected: tuple[Rejection, ...]
    sources: tuple[SourceFile, ...]
    origin: str = ""
    warnings: tuple[str, ...] = ()


@frozen(kw_only=True, eq=False)
class StoredEvaluation:
    """An archived run, shaped as an evaluation for the reports (see the module's docs)."""

    run: RunInfo
    document: Mapping[str, Any]
    ruleset: StoredRuleset
    registry: StoredRegistry
    dataset: StoredDataset
    evidence: StoredEvidence
    scorecards: tuple[Scorecard, ...]
    findings: tuple[Finding, ...]
    commendation: CommendationResult
    warnings: tuple[str, ...] = ()

    def scorecard(self, candidate_id: str) -> Scorecard | None:
        return next((c for c in self.scorecards if c.candidate.candidate_id == candidate_id), None)

    def findings_of(self, candidate_id: str) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.candidate_id == candidate_id)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.document)

    def to_json(self, *, indent: int | None = 2) -> str:
        return dumps(self.to_dict(), indent=indent)

    def to_table(self, *, lang: str = "zh") -> str:
        return to_table(self, lang=lang)  # type: ignore[arg-type]


def _known(cls: type, values: Mapping[str, Any], **more: Any) -> Any:
    """``cls`` from the keys of ``values`` it has fields for (a key added to the JSON
    contract later flows in when the class has the field; one it lacks is left out)."""
    names = attrs.fields_dict(cls)
    kept = {k: v for k, v in values.items() if k in names}
    return cls(**{**kept, **more})


def _card(card: Mapping[str, Any]) -> Scorecard:
    candidate = Candidate(
        candidate_id=card["candidate_id"],
        kind=card["kind"],
        name=card["name"],
        category=card["category"],
        unit_id=card["unit_id"],
    )
    rules = tuple(
        ScoredRule(
            rule=r["rule"],
            title=r["title"],
            plugin=r["plugin"],
            bonus=r["bonus"],
            result=RuleResult(
                points=r["points"],
                max=r["max"],
                reason=r["reason"],
                reason_en=r.get("reason_en", ""),
                evidence=tuple(r.get("evidence", ())),
                applicable=r["applicable"],
            ),
        )
        for r in card["rules"]
    )
    return Scorecard(
        candidate=candidate,
        rules=rules,
        base=card["base"],
        bonus=card["bonus"],
        deductions=card["deductions"],
        total=card["total"],
    )


def stored_evaluation(run: RunInfo, document: Mapping[str, Any]) -> StoredEvaluation:
    """The run's document (checked by :func:`~dxe_eval.archive.runs.load_document`) as an
    evaluation the reports render."""
    rs = document["ruleset"]
    manifest = document.get("manifest", {})
    ruleset = StoredRuleset(
        id=rs["id"],
        title=rs.get("title", ""),
        source=rs.get("source", ""),
        fingerprint=rs.get("fingerprint", ""),
        period=StoredPeriod(start=run.period_start, end=run.period_end),
        file=(manifest.get("ruleset") or {}).get("file") or "",
        timezone=manifest.get("timezone", ""),
        calendar=(manifest.get("calendar") or {}).get("id", ""),
    )
    registry = StoredRegistry(
        plugins=tuple(
            StoredPlugin(
                name=p["name"],
                distribution=p.get("distribution") or "",
                version=p.get("version") or "",
            )
            for p in manifest.get("plugins", ())
        )
    )
    warnings = tuple(document.get("warnings", ()))
    dataset = StoredDataset(
        counts={k: Counts(**v) for k, v in document.get("records", {}).items()},
        rejected=tuple(_known(Rejection, r) for r in document.get("rejected", ())),
        sources=tuple(
            SourceFile(
                record_type=i["record_type"],
                path=i["file"],
                sha256=i.get("sha256", ""),
                rows=i.get("rows", 0),
                encoding=i.get("encoding", ""),
            )
            for i in manifest.get("inputs", ())
        ),
        origin=(manifest.get("data") or {}).get("path") or "",
        warnings=warnings,
    )
    lists = {
        kind: tuple(_known(Entry, e, kind=kind) for e in document["commendation"][kind])
        for kind in KINDS
        if kind in document.get("commendation", {})
    }
    near = {
        kind: tuple(_known(Entry, e, kind=kind) for e in document["near_misses"][kind])
        for kind in KINDS
        if kind in document.get("near_misses", {})
    }
    excluded = tuple(
        _known(Exclusion, {**x, "reasons": tuple(x.get("reasons", ()))})
        for x in document.get("excluded", ())
    )
    return StoredEvaluation(
        run=run,
        document=document,
        ruleset=ruleset,
        registry=registry,
        dataset=dataset,
        evidence=StoredEvidence(
            workdays=StoredWorkdays(
                calendar_version=(manifest.get("calendar") or {}).get("version") or ""
            )
        ),
        scorecards=tuple(_card(c) for c in document.get("scorecards", ())),
        findings=tuple(
            _known(Finding, {**f, "evidence": tuple(f.get("evidence", ()))})
            for f in document.get("findings", ())
        ),
        commendation=CommendationResult(lists=lists, near_misses=near, excluded=excluded),
        warnings=warnings,
    )
