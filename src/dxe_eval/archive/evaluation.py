"""``evaluate … --archive``: an evaluation that reads its history from the archive and is stored.

Before the evaluation, the published runs' findings of earlier periods become
``sanctions`` rows (:func:`dxe_eval.archive.history.earlier_sanctions`), merged with a
``sanctions`` file when the data set has one; the escalation and unrectified
thresholds read them as they read the file's. The result is then stored as a draft
run in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from attrs import frozen

from dxe_eval.archive.history import (
    earlier_sanctions,
    previous_run,
    previous_totals,
    with_sanctions,
)
from dxe_eval.archive.runs import RunInfo, save_document
from dxe_eval.archive.store import DEFAULT_NAME, open_archive
from dxe_eval.engine import default_data
from dxe_eval.engine import evaluate as run_evaluation
from dxe_eval.manager import Registry
from dxe_eval.read.dataset import read_dataset
from dxe_eval.report.json import to_dict
from dxe_eval.report.yoy import Previous
from dxe_eval.result import Evaluation
from dxe_eval.ruleset import DEFAULT_RULESET, Ruleset, load_ruleset


@frozen(kw_only=True)
class Archived:
    """What ``evaluate --archive`` did: the evaluation, where it was stored and as which run."""

    evaluation: Evaluation
    run_id: int
    label: str
    earlier: int
    #: the totals of the run published for the period before, by (kind, candidate id)
    previous: dict[tuple[str, str], float] | None
    previous_run: RunInfo | None
    notes: tuple[str, ...]

    def yoy(self) -> Previous | None:
        """The previous period's published totals for the reports' 同比, when there is a run."""
        return to_previous(self.previous_run, self.previous)


def to_previous(
    run: RunInfo | None, totals: dict[tuple[str, str], float] | None
) -> Previous | None:
    if run is None or totals is None:
        return None
    return Previous(label=f"run {run.id}（{run.period}，{run.ruleset_id}）", totals=totals)


def default_target(data: str | None) -> tuple[str, str | None]:
    """``dxe-eval.sqlite`` beside the data folder or workbook; for the bundled example
    (inside the installed package) in the current folder, with a note saying so."""
    if data is None:
        return DEFAULT_NAME, (
            f"评价档案：当前文件夹中的 {DEFAULT_NAME}（内置示例在安装目录中，档案不放在那里） / "
            f"archive: {DEFAULT_NAME} in the current folder (the bundled example lives "
            "inside the installed package)"
        )
    path = Path(data).resolve()
    return str(path.parent / DEFAULT_NAME), None


def evaluate_and_archive(
    data: str | None,
    ruleset: str | Path | Ruleset | None,
    target: str,
    *,
    registry: Registry,
    strict: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Archived:
    """Evaluate with the archive's earlier findings as sanctions, then store the result."""
    notes: list[str] = []
    if not target:
        target, note = default_target(data)
        if note:
            notes.append(note)
    rs = load_ruleset(ruleset if ruleset is not None else DEFAULT_RULESET, registry)
    with open_archive(target) as archive:
        rows = earlier_sanctions(archive, rs.period.start)
        if progress:
            progress("read")
        source: Any = default_data() if data is None else data
        dataset = read_dataset(source, registry.record_types, timezone=rs.timezone)
        if rows:
            dataset = with_sanctions(dataset, rows, archive.label)
        else:
            notes.append(
                f"既往处理（来自评价档案 {archive.label}）0 条 / no earlier sanction in the archive"
            )
        ev = run_evaluation(dataset, rs, registry=registry, strict=strict, progress=progress)
        run_id = save_document(archive, to_dict(ev))
        before = previous_run(archive, rs.period.start, rs.period.end)
        previous = previous_totals(archive, before) if before else None
        notes.append(
            f"已存入评价档案 {archive.label}：run {run_id}（草稿；发布：dxe-eval archive publish "
            f"{run_id} --by 姓名） / archived as run {run_id} (draft) in {archive.label}"
        )
        return Archived(
            evaluation=ev,
            run_id=run_id,
            label=archive.label,
            earlier=len(rows),
            previous=previous,
            previous_run=before,
            notes=tuple(notes),
        )
