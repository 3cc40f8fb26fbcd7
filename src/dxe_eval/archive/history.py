"""What the archive's published runs tell a later evaluation and a person asking.

- :func:`earlier_sanctions`: the findings of the published runs whose period ended
  before a period starts, as rows of the ``sanctions`` record type: issued on the
  date the run was published, rectified on the date last recorded for that run and
  candidate (``archive rectify``), with the run's period end and a ``source``
  naming the run, its period, the threshold and the level.
- :func:`with_sanctions`: a data set with those rows added to its ``sanctions``
  (after a ``sanctions`` file's rows, when there is one). They were not read from a
  file: the read counts (``read == accepted + rejected``) stay those of the files,
  a note says how many came from the archive, and the manifest's inputs name the
  archive with the rows' digest.
- :func:`candidate_history`: one candidate across the published runs (``history ID``).
- :func:`previous_totals`: the totals of the run published for the period before, for
  the 同比 (year-over-year) column of the reports.

Superseded and draft runs never count: only the run published for a period is that
period's result.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import orjson
import polars as pl
import sqlalchemy as sa
from attrs import frozen

from dxe_eval.archive import schema as s
from dxe_eval.archive.runs import RunInfo, read_rows, rectifications, run_info
from dxe_eval.archive.store import Archive
from dxe_eval.model import LEVEL_ZH
from dxe_eval.read.raw import Dataset, SourceFile

ARCHIVE_FILE = "评价档案"


def _published_before(conn: sa.Connection, start: dt.date) -> list[RunInfo]:
    ids = (
        conn.execute(
            sa.select(s.runs.c.id)
            .where(s.runs.c.status == "published", s.runs.c.period_end < start)
            .order_by(s.runs.c.period_end, s.runs.c.id)
        )
        .scalars()
        .all()
    )
    return [run_info(conn, i) for i in ids]


def earlier_sanctions(archive: Archive, period_start: dt.date) -> list[dict[str, Any]]:
    """The published runs' findings before ``period_start`` as ``sanctions`` rows."""
    out: list[dict[str, Any]] = []
    with archive.transaction() as conn:
        for run in _published_before(conn, period_start):
            fixed: dict[str, dt.date] = {}
            for r in rectifications(conn, run):  # the one recorded last counts
                fixed[r.candidate_id] = r.rectified_on
            for f in read_rows(conn, run, s.findings):
                out.append(
                    {
                        "candidate_id": f["candidate_id"],
                        "level": f["level"],
                        "issued_on": run.published_on,
                        "rectified_on": fixed.get(f["candidate_id"]),
                        "period_end": run.period_end,
                        "source": f"run {run.id} {run.period} 的 {f['threshold']} "
                        f"{LEVEL_ZH.get(f['level'], f['level'])}",
                    }
                )
    return out


def with_sanctions(dataset: Dataset, rows: Sequence[Mapping[str, Any]], label: str) -> Dataset:
    """``dataset`` with ``rows`` (:func:`earlier_sanctions`) added to its sanctions."""
    n = len(rows)
    note = (
        f"既往处理（来自评价档案 {label}）{n} 条，与 sanctions 文件合并用于升级与整改判定；"
        f"不计入读取行数 / {n} earlier sanction(s) from the archive {label}, merged with "
        "the sanctions file for escalation and rectification; not counted as rows read"
    )
    digest = hashlib.sha256(
        orjson.dumps([[str(v) if v is not None else None for v in r.values()] for r in rows])
    ).hexdigest()
    source = SourceFile(
        record_type="sanctions", path=f"{ARCHIVE_FILE} {label}", sha256=digest, rows=n, encoding=""
    )
    frame = dataset.frames["sanctions"]
    if n:
        data: dict[str, list[Any]] = {
            c: [r.get(c) for r in rows] for c in frame.columns if c not in ("_row", "_file")
        }
        data["_row"] = list(range(1, n + 1))
        data["_file"] = [f"{ARCHIVE_FILE} {label}"] * n
        extra = pl.DataFrame(data, schema={c: frame.schema[c] for c in data})
        frame = pl.concat([frame, extra.select(frame.columns)], how="vertical")
    return attrs.evolve(
        dataset,
        frames={**dataset.frames, "sanctions": frame},
        sources=(*dataset.sources, source),
        warnings=(*dataset.warnings, note),
    )


@frozen(kw_only=True)
class YearOf:
    """One published run, as one candidate fared in it."""

    run: RunInfo
    scorecard: Mapping[str, Any] | None
    rules: tuple[Mapping[str, Any], ...]
    findings: tuple[Mapping[str, Any], ...]
    lists: tuple[Mapping[str, Any], ...]
    exclusions: tuple[Mapping[str, Any], ...]
    rectified: tuple[Mapping[str, Any], ...]

    def to_dict(self) -> dict[str, Any]:
        def plain(row: Mapping[str, Any]) -> dict[str, Any]:
            out = {}
            for k, v in row.items():
                if k in ("row_hash", "run_id"):
                    continue
                if k in ("evidence", "reasons") and isinstance(v, str):
                    v = orjson.loads(v)
                if isinstance(v, dt.date | dt.datetime):
                    v = v.isoformat()
                out[k] = v
            return out

        return {
            "run": {k: v for k, v in self.run.to_dict().items() if k != "digests"},
            "scorecard": plain(self.scorecard) if self.scorecard else None,
            "rules": [plain(r) for r in self.rules],
            "findings": [plain(f) for f in self.findings],
            "lists": [plain(e) for e in self.lists],
            "exclusions": [plain(x) for x in self.exclusions],
            "rectifications": [plain(r) for r in self.rectified],
        }


def candidate_history(
    archive: Archive, candidate_id: str, *, include_drafts: bool = False
) -> list[YearOf]:
    """``candidate_id`` in every published run (oldest period first) that scored it."""
    statuses = ["published", "draft"] if include_drafts else ["published"]
    out: list[YearOf] = []
    with archive.transaction() as conn:
        ids = (
            conn.execute(
                sa.select(s.runs.c.id)
                .where(s.runs.c.status.in_(statuses))
                .order_by(s.runs.c.period_start, s.runs.c.id)
            )
            .scalars()
            .all()
        )
        for run_id in ids:
            run = run_info(conn, run_id)

            def rows(table: sa.Table, run: RunInfo = run) -> tuple[dict[str, Any], ...]:
                return tuple(
                    read_rows(conn, run, table, where=table.c.candidate_id == candidate_id)
                )

            cards = rows(s.scorecards)
            if not cards:
                continue
            out.append(
                YearOf(
                    run=run,
                    scorecard=cards[0],
                    rules=tuple(sorted(rows(s.rule_results), key=lambda r: r["position"])),
                    findings=rows(s.findings),
                    lists=rows(s.list_entries),
                    exclusions=rows(s.exclusions),
                    rectified=rows(s.rectifications),
                )
            )
    return out


def previous_run(
    archive: Archive, period_start: dt.date, period_end: dt.date, ruleset_id: str | None = None
) -> RunInfo | None:
    """The run published for the period just before ``period_start``: the latest one
    that ended before it, at most half the period's length (and at least a month)
    earlier; ``None`` when there is none."""
    span = (period_end - period_start).days + 1
    with archive.transaction() as conn:
        runs = [
            r
            for r in _published_before(conn, period_start)
            if (period_start - r.period_end).days <= max(31, span // 2)
            and (ruleset_id is None or r.ruleset_id == ruleset_id)
        ]
        return runs[-1] if runs else None


def previous_totals(archive: Archive, run: RunInfo) -> dict[tuple[str, str], float]:
    """Total points by (kind, candidate id) in ``run``, checked."""
    with archive.transaction() as conn:
        run = run_info(conn, run.id)
        return {
            (r["kind"], r["candidate_id"]): float(r["total"])
            for r in read_rows(conn, run, s.scorecards)
        }
