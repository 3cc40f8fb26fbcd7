"""Runs: store an evaluation, publish or supersede it, record rectifications, read it back.

A run is stored from the documented JSON result (:meth:`Evaluation.to_dict`,
``docs/json.md``): the whole document in ``run_documents`` and its parts as rows a
person can query. It is stored as a ``draft`` in one transaction: interrupted, it
leaves nothing. Its content never changes afterwards; what changes is its status:

- :func:`publish` makes it the period's official result (``--by`` who, ``--on`` the
  date it was issued: by default the day after the period ends). A second run of the
  same ruleset whose period overlaps a published one is published only with
  ``supersede=True`` and a ``reason``; the earlier one stays, as ``superseded``.
- :func:`rectify` records that a candidate put right what a published run ordered.

Every read re-checks what it serves against the stored hashes
(:mod:`dxe_eval.archive.integrity`) and raises
:class:`~dxe_eval.archive.store.ArchiveIntegrityError` naming the run, the table and
the row when they differ.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import orjson
import sqlalchemy as sa
from attrs import frozen

from dxe_eval.archive import schema as s
from dxe_eval.archive.integrity import row_hash, sha256_text, table_digest, utc_now
from dxe_eval.archive.store import PAUSE_ENV, Archive, ArchiveError, ArchiveIntegrityError
from dxe_eval.model import KINDS, LEVEL_ZH
from dxe_eval.report.json import dumps

STATUS_ZH: Final = {"draft": "草稿", "published": "已发布", "superseded": "已被取代"}
LISTS: Final = ("commendation", "near_misses")


@frozen(kw_only=True)
class RunInfo:
    """A run's row of ``runs``: what it evaluated, with which ruleset, and its status."""

    id: int
    ruleset_id: str
    ruleset_title: str
    ruleset_source: str
    ruleset_fingerprint: str
    period_start: dt.date
    period_end: dt.date
    dxe_eval_version: str
    data_origin: str
    status: str
    created_at: dt.datetime
    published_by: str | None
    published_on: dt.date | None
    supersedes: int | None
    superseded_by: int | None
    reason: str | None
    manifest_sha256: str
    document_sha256: str
    digests: Mapping[str, Any]
    row_hash: str

    @property
    def period(self) -> str:
        return f"{self.period_start.isoformat()}–{self.period_end.isoformat()}"

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self)
        for key, value in out.items():
            if isinstance(value, dt.date | dt.datetime):
                out[key] = value.isoformat()
        return out


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode("utf-8")


def _document_text(document: Mapping[str, Any]) -> str:
    return dumps(document)


def _check_run_row(row: Mapping[Any, Any]) -> RunInfo:
    values = dict(row)
    expected = row_hash(s.runs, values)
    if expected != values["row_hash"]:
        raise ArchiveIntegrityError(
            int(values["id"]), "runs", f"id {values['id']}", "the row differs from its hash"
        )
    try:
        digests = orjson.loads(values["digests"])
    except orjson.JSONDecodeError:
        raise ArchiveIntegrityError(
            int(values["id"]), "runs", f"id {values['id']}", "digests is not JSON"
        ) from None
    manifest_hash = sha256_text(values["manifest"])
    if manifest_hash != values["manifest_sha256"]:
        raise ArchiveIntegrityError(
            int(values["id"]), "runs", f"id {values['id']}", "the manifest differs from its hash"
        )
    created = values["created_at"]
    if isinstance(created, dt.datetime) and created.tzinfo is None:
        created = created.replace(tzinfo=dt.UTC)
    names = {f.name for f in attrs.fields(RunInfo)}
    kept = {k: v for k, v in values.items() if k in names}
    return RunInfo(**{**kept, "digests": digests, "created_at": created})


def _rows_for(document: Mapping[str, Any], run_id: int) -> dict[str, list[dict[str, Any]]]:
    """The content rows of a run from its document, by table name, each with its hash."""
    out: dict[str, list[dict[str, Any]]] = {str(t.name): [] for t in s.CONTENT_TABLES}
    manifest = document.get("manifest", {})
    for i, item in enumerate(manifest.get("inputs", [])):
        out["run_inputs"].append(
            {
                "run_id": run_id,
                "position": i,
                "record_type": item["record_type"],
                "file": item["file"],
                "sha256": item.get("sha256") or "",
                "rows": int(item.get("rows") or 0),
                "encoding": item.get("encoding") or "",
            }
        )
    for card in document.get("scorecards", []):
        key = {"run_id": run_id, "kind": card["kind"], "candidate_id": card["candidate_id"]}
        out["scorecards"].append(
            {
                **key,
                "name": card["name"],
                "category": card["category"],
                "unit_id": card["unit_id"],
                "base": card["base"],
                "bonus": card["bonus"],
                "deductions": card["deductions"],
                "total": card["total"],
            }
        )
        for j, rule in enumerate(card["rules"]):
            out["rule_results"].append(
                {
                    **key,
                    "rule": rule["rule"],
                    "position": j,
                    "title": rule["title"],
                    "plugin": rule["plugin"],
                    "points": rule["points"],
                    "max_points": rule["max"],
                    "applicable": bool(rule["applicable"]),
                    "bonus": bool(rule["bonus"]),
                    "reason": rule["reason"],
                    "reason_en": rule.get("reason_en", ""),
                    "evidence": _dumps(rule.get("evidence", [])),
                }
            )
    for i, f in enumerate(document.get("findings", [])):
        out["findings"].append(
            {
                "run_id": run_id,
                "position": i,
                "candidate_id": f["candidate_id"],
                "kind": f["kind"],
                "unit_id": f["unit_id"],
                "threshold": f["threshold"],
                "level": f["level"],
                "level_zh": f.get("level_zh") or LEVEL_ZH.get(f["level"], ""),
                "value": f.get("value"),
                "limit_value": f.get("limit"),
                "reason": f["reason"],
                "reason_en": f.get("reason_en", ""),
                "evidence": _dumps(f.get("evidence", [])),
                "count": int(f.get("count") or 0),
            }
        )
    for list_name in LISTS:
        for kind in KINDS:
            for i, e in enumerate(document.get(list_name, {}).get(kind, [])):
                out["list_entries"].append(
                    {
                        "run_id": run_id,
                        "list": list_name,
                        "kind": kind,
                        "position": i,
                        "rank": int(e["rank"]),
                        "candidate_id": e["candidate_id"],
                        "name": e["name"],
                        "category": e["category"],
                        "peer_group": e["group"],
                        "unit_id": e["unit_id"],
                        "total": e["total"],
                        "tied": bool(e["tied"]),
                        "decided_by": e.get("decided_by", ""),
                        "note": e.get("note", ""),
                        "status": e.get("status"),
                    }
                )
    for i, x in enumerate(document.get("excluded", [])):
        out["exclusions"].append(
            {
                "run_id": run_id,
                "position": i,
                "candidate_id": x["candidate_id"],
                "kind": x["kind"],
                "name": x["name"],
                "category": x["category"],
                "total": x["total"],
                "reasons": _dumps(list(x.get("reasons", []))),
            }
        )
    for i, r in enumerate(document.get("rejected", [])):
        out["rejections"].append(
            {
                "run_id": run_id,
                "position": i,
                "record_type": r["record_type"],
                "file": r["file"],
                "file_row": int(r["row"]),
                "file_column": r.get("column"),
                "reason": r["reason"],
            }
        )
    tables = {t.name: t for t in s.CONTENT_TABLES}
    for name, rows in out.items():
        for row in rows:
            row["row_hash"] = row_hash(tables[name], row)
    return out


def save_document(archive: Archive, document: Mapping[str, Any]) -> int:
    """Store the evaluation ``document`` (the JSON contract) as a new draft run; its id."""
    ruleset = document["ruleset"]
    manifest = document["manifest"]
    period = ruleset["period"]
    text = _document_text(document)
    manifest_text = _dumps(manifest)
    with archive.transaction(write=True) as conn:
        header: dict[str, Any] = {
            "ruleset_id": ruleset["id"],
            "ruleset_title": ruleset.get("title", ""),
            "ruleset_source": ruleset.get("source", ""),
            "ruleset_fingerprint": ruleset.get("fingerprint", ""),
            "period_start": dt.date.fromisoformat(period["start"]),
            "period_end": dt.date.fromisoformat(period["end"]),
            "dxe_eval_version": manifest.get("dxe_eval", ""),
            "data_origin": (manifest.get("data") or {}).get("path") or "",
            "status": "draft",
            "created_at": utc_now(),
            "published_by": None,
            "published_on": None,
            "supersedes": None,
            "superseded_by": None,
            "reason": None,
            "manifest": manifest_text,
            "manifest_sha256": sha256_text(manifest_text),
            "document_sha256": sha256_text(text),
            "digests": "{}",
            "row_hash": "",
        }
        inserted = conn.execute(s.runs.insert().values(header).returning(s.runs.c.id))
        run_id = int(inserted.scalar_one())
        conn.execute(s.run_documents.insert().values(run_id=run_id, document=text))
        rows = _rows_for(document, run_id)
        digests: dict[str, Any] = {}
        for table in s.CONTENT_TABLES:
            chunk = rows[table.name]
            for start in range(0, len(chunk), 5000):
                conn.execute(table.insert(), chunk[start : start + 5000])
            digests[str(table.name)] = _digest(r["row_hash"] for r in chunk)
        digests["rectifications"] = _digest(())
        _rehash_run(conn, run_id, digests=_dumps(digests))
        pause = os.environ.get(PAUSE_ENV)
        if pause:  # tests: a run written and not yet committed, for a process to be killed
            print(
                f"dxe-eval: {PAUSE_ENV}: run {run_id} written, not committed",
                file=sys.stderr,
                flush=True,
            )
            time.sleep(float(pause))
    return run_id


def _digest(hashes: Iterable[str]) -> dict[str, Any]:
    listed = list(hashes)
    return {"rows": len(listed), "sha256": table_digest(listed)}


def _rehash_run(conn: sa.Connection, run_id: int, **changes: Any) -> RunInfo:
    """Apply ``changes`` to the run's row and store its new hash (the only update of ``runs``)."""
    if changes:
        conn.execute(s.runs.update().where(s.runs.c.id == run_id).values(**changes))
    row = conn.execute(sa.select(s.runs).where(s.runs.c.id == run_id)).mappings().one()
    new_hash = row_hash(s.runs, row)
    conn.execute(s.runs.update().where(s.runs.c.id == run_id).values(row_hash=new_hash))
    return _check_run_row({**row, "row_hash": new_hash})


# -- reading -----------------------------------------------------------------------------


def run_info(conn: sa.Connection, run_id: int) -> RunInfo:
    """The run's header, checked; :class:`ArchiveError` when there is no such run."""
    row = conn.execute(sa.select(s.runs).where(s.runs.c.id == run_id)).mappings().first()
    if row is None:
        raise ArchiveError(f"no run {run_id} in the archive", zh=f"评价档案中没有 run {run_id}")
    return _check_run_row(row)


def list_runs(archive: Archive) -> list[RunInfo]:
    """Every run, oldest first, each header checked."""
    with archive.transaction() as conn:
        rows = conn.execute(sa.select(s.runs).order_by(s.runs.c.id)).mappings().all()
        return [_check_run_row(r) for r in rows]


def _where(table: sa.Table, key: Mapping[str, Any], columns: Sequence[str]) -> str:
    return ", ".join(f"{c} {key[c]}" for c in columns if c in key)


def _key_columns(table: sa.Table) -> list[str]:
    return [c.name for c in table.primary_key.columns if c.name != "run_id"] or ["id"]


def read_rows(
    conn: sa.Connection,
    run: RunInfo,
    table: sa.Table,
    *,
    where: sa.ColumnElement[bool] | None = None,
) -> list[dict[str, Any]]:
    """The run's rows of ``table`` (those matching ``where``), each checked against its hash,
    after the table's digest was checked against the hashes stored (a row added, removed
    or given another hash is found even when it is not among those read)."""
    hashes = [
        h for (h,) in conn.execute(sa.select(table.c.row_hash).where(table.c.run_id == run.id))
    ]
    expected = run.digests.get(table.name)
    if (
        expected is None
        or expected["rows"] != len(hashes)
        or expected["sha256"] != table_digest(hashes)
    ):
        raise ArchiveIntegrityError(
            run.id,
            table.name,
            f"{len(hashes)} rows",
            f"the rows stored ({len(hashes)}) differ from those archived "
            f"({expected['rows'] if expected else '?'}): a row was added, removed or rewritten",
        )
    query = sa.select(table).where(table.c.run_id == run.id)
    if where is not None:
        query = query.where(where)
    keys = _key_columns(table)
    out = []
    for row in conn.execute(query).mappings():
        values = dict(row)
        if row_hash(table, values) != values["row_hash"]:
            raise ArchiveIntegrityError(
                run.id, table.name, _where(table, values, keys), "the row differs from its hash"
            )
        out.append(values)
    out.sort(key=lambda r: tuple(r[k] for k in keys))
    return out


def read_document(conn: sa.Connection, run: RunInfo) -> dict[str, Any]:
    """The run's whole JSON document, checked against its hash."""
    text = conn.execute(
        sa.select(s.run_documents.c.document).where(s.run_documents.c.run_id == run.id)
    ).scalar()
    if text is None or sha256_text(text) != run.document_sha256:
        raise ArchiveIntegrityError(
            run.id, "run_documents", f"run_id {run.id}", "the document differs from its hash"
        )
    document: dict[str, Any] = orjson.loads(text)
    return document


def check_run(conn: sa.Connection, run: RunInfo) -> None:
    """Check every stored row and the document of ``run`` (raises on the first difference)."""
    read_document(conn, run)
    for table in s.DIGESTED_TABLES:
        read_rows(conn, run, table)


def load_document(archive: Archive, run_id: int) -> tuple[RunInfo, dict[str, Any]]:
    """A run's header and document, both checked, and every row of the run checked too."""
    with archive.transaction() as conn:
        run = run_info(conn, run_id)
        check_run(conn, run)
        return run, read_document(conn, run)


# -- status ------------------------------------------------------------------------------


def _overlapping(conn: sa.Connection, run: RunInfo) -> list[RunInfo]:
    rows = (
        conn.execute(
            sa.select(s.runs)
            .where(
                s.runs.c.ruleset_id == run.ruleset_id,
                s.runs.c.status == "published",
                s.runs.c.id != run.id,
                s.runs.c.period_start <= run.period_end,
                s.runs.c.period_end >= run.period_start,
            )
            .order_by(s.runs.c.id)
        )
        .mappings()
        .all()
    )
    return [_check_run_row(r) for r in rows]


def publish(
    archive: Archive,
    run_id: int,
    *,
    by: str,
    on: dt.date | None = None,
    supersede: bool = False,
    reason: str | None = None,
) -> RunInfo:
    """Publish a draft run; ``on`` defaults to the day after its period ends.

    A published run of the same ruleset whose period overlaps this one's is superseded
    only with ``supersede=True`` and a ``reason``; otherwise :class:`ArchiveError`."""
    if not by.strip():
        raise ArchiveError("--by needs a name", zh="--by 需要填写发布人")
    with archive.transaction(write=True) as conn:
        run = run_info(conn, run_id)
        if run.status != "draft":
            raise ArchiveError(
                f"run {run_id} is {run.status}, not a draft: a run is published once",
                zh=f"run {run_id} 已是{STATUS_ZH[run.status]}，不能再次发布",
            )
        check_run(conn, run)
        issued = on or run.period_end + dt.timedelta(days=1)
        if issued <= run.period_start:
            raise ArchiveError(
                f"--on {issued} is not after the period's start {run.period_start}",
                zh=f"发布日期 {issued} 不应早于评价期间开始 {run.period_start}",
            )
        earlier = _overlapping(conn, run)
        if earlier and not supersede:
            names = ", ".join(f"run {r.id} ({r.period})" for r in earlier)
            raise ArchiveError(
                f"{names} of ruleset {run.ruleset_id} is already published for an overlapping "
                f"period; publish run {run_id} in its place with --supersede --reason TEXT",
                zh=f"规则集 {run.ruleset_id} 在重叠期间已有已发布的 {names}；如需以 run {run_id} "
                "取代，请加 --supersede 并用 --reason 说明原因",
            )
        if supersede and not earlier:
            raise ArchiveError(
                f"--supersede: no published run of ruleset {run.ruleset_id} overlaps {run.period}",
                zh=f"--supersede：规则集 {run.ruleset_id} 在 {run.period} 没有已发布的评价可取代",
            )
        if earlier and not (reason or "").strip():
            raise ArchiveError(
                "--supersede needs --reason TEXT: why the result is replaced",
                zh="取代已发布的评价须用 --reason 说明原因",
            )
        for old in earlier:
            _rehash_run(conn, old.id, status="superseded", superseded_by=run_id)
        return _rehash_run(
            conn,
            run_id,
            status="published",
            published_by=by.strip(),
            published_on=issued,
            supersedes=earlier[-1].id if earlier else None,
            reason=(reason or "").strip() or None,
        )


@frozen(kw_only=True)
class Rectification:
    id: int
    run_id: int
    candidate_id: str
    rectified_on: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime


def rectify(
    archive: Archive,
    run_id: int,
    candidate_id: str,
    *,
    on: dt.date,
    note: str,
    by: str = "",
) -> Rectification:
    """Record that ``candidate_id`` put right what published run ``run_id`` found.

    The run must be published and hold a finding of the candidate; ``on`` may not be
    before the run was published (the order's issue date)."""
    with archive.transaction(write=True) as conn:
        return _rectify(conn, run_id, candidate_id, on=on, note=note, by=by)


def _rectify(
    conn: sa.Connection, run_id: int, candidate_id: str, *, on: dt.date, note: str, by: str
) -> Rectification:
    run = run_info(conn, run_id)
    if run.status != "published" or run.published_on is None:
        raise ArchiveError(
            f"run {run_id} is {run.status}: only a published run's findings are orders to rectify",
            zh=f"run {run_id} 为{STATUS_ZH[run.status]}：只有已发布评价的处理需要整改",
        )
    found = read_rows(conn, run, s.findings, where=s.findings.c.candidate_id == candidate_id)
    if not found:
        raise ArchiveError(
            f"run {run_id} has no finding of {candidate_id}",
            zh=f"run {run_id} 中 {candidate_id} 没有预警或通报",
        )
    if on < run.published_on:
        raise ArchiveError(
            f"rectified on {on}, before run {run_id} was issued ({run.published_on})",
            zh=f"整改日期 {on} 早于 run {run_id} 的发布日期 {run.published_on}",
        )
    existing = read_rows(conn, run, s.rectifications)
    values: dict[str, Any] = {
        "run_id": run_id,
        "candidate_id": candidate_id,
        "rectified_on": on,
        "note": note.strip(),
        "recorded_by": by.strip(),
        "recorded_at": utc_now(),
    }
    new_id = int(
        conn.execute(
            s.rectifications.insert().values(**values, row_hash="").returning(s.rectifications.c.id)
        ).scalar_one()
    )
    values["id"] = new_id
    h = row_hash(s.rectifications, values)
    conn.execute(
        s.rectifications.update().where(s.rectifications.c.id == new_id).values(row_hash=h)
    )
    digests = dict(run.digests)
    digests["rectifications"] = _digest([*(r["row_hash"] for r in existing), h])
    _rehash_run(conn, run_id, digests=_dumps(digests))
    return Rectification(**{k: v for k, v in values.items() if k != "row_hash"})


def rectify_many(archive: Archive, rows: Sequence[Mapping[str, Any]], *, by: str = "") -> int:
    """Record many rectifications in one transaction: all of them, or none (the first
    refused row raises, naming its ``where``)."""
    with archive.transaction(write=True) as conn:
        for row in rows:
            try:
                _rectify(
                    conn,
                    int(row["run_id"]),
                    str(row["candidate_id"]),
                    on=row["rectified_on"],
                    note=str(row.get("note") or ""),
                    by=by,
                )
            except ArchiveError as err:
                where = row.get("where", "")
                raise ArchiveError(
                    f"{where}: {err.message}", zh=f"{where}：{err.zh_message or err.message}"
                ) from None
    return len(rows)


def rectifications(conn: sa.Connection, run: RunInfo) -> list[Rectification]:
    return [
        Rectification(**{k: v for k, v in r.items() if k != "row_hash"})
        for r in read_rows(conn, run, s.rectifications)
    ]
