"""The archive's tables: one schema for SQLite and PostgreSQL (SQLAlchemy Core).

Every table but ``run_documents`` has a ``row_hash`` column: the SHA-256 of the row's
other values (:mod:`dxe_eval.archive.integrity`), checked on every read. A run's
content (its inputs, scorecards, rule results, findings, list entries, exclusions and
rejections) is written once, in the transaction that stores the run, and never
changed; ``runs`` keeps, per content table, the number of rows and a digest of their
hashes, so a row removed or added by hand is found too. ``docs/archive.md`` draws
the tables and shows how another system reads them with SQL.

The migrations in ``migrations/versions/`` create these tables; a test checks that
the migrated schema equals this one.
"""

from __future__ import annotations

from typing import Final

import sqlalchemy as sa

#: the newest migration: an archive at this revision needs no migrating
SCHEMA_REVISION: Final = "0001"

#: run statuses: stored (``draft``), published (a year's official result), or replaced
#: by a later published run of the same period and ruleset (``superseded``)
STATUSES: Final = ("draft", "published", "superseded")

metadata = sa.MetaData(
    naming_convention={
        "pk": "pk_%(table_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "ix": "ix_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

HASH = sa.String(64)
TEXT = sa.Text()
ID = sa.String(200)
POINTS = sa.Float(precision=53)  # a double in both: points round-trip exactly


def _run_id(primary_key: bool = True) -> sa.Column[int]:
    return sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("runs.id", ondelete="RESTRICT"),
        primary_key=primary_key,
        nullable=False,
    )


runs = sa.Table(
    "runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("ruleset_id", ID, nullable=False),
    sa.Column("ruleset_title", TEXT, nullable=False),
    sa.Column("ruleset_source", TEXT, nullable=False),
    sa.Column("ruleset_fingerprint", sa.String(100), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("dxe_eval_version", sa.String(50), nullable=False),
    sa.Column("data_origin", TEXT, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("published_by", TEXT),
    sa.Column("published_on", sa.Date),
    sa.Column("supersedes", sa.Integer),
    sa.Column("superseded_by", sa.Integer),
    sa.Column("reason", TEXT),
    sa.Column("manifest", TEXT, nullable=False),
    sa.Column("manifest_sha256", HASH, nullable=False),
    sa.Column("document_sha256", HASH, nullable=False),
    sa.Column("digests", TEXT, nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
    sa.Index("ix_runs_ruleset_period", "ruleset_id", "period_start", "period_end"),
)

run_documents = sa.Table(
    "run_documents",
    metadata,
    _run_id(),
    sa.Column("document", TEXT, nullable=False),
)

run_inputs = sa.Table(
    "run_inputs",
    metadata,
    _run_id(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("record_type", ID, nullable=False),
    sa.Column("file", TEXT, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("rows", sa.Integer, nullable=False),
    sa.Column("encoding", sa.String(50), nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
)

scorecards = sa.Table(
    "scorecards",
    metadata,
    _run_id(),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("candidate_id", ID, primary_key=True),
    sa.Column("name", TEXT, nullable=False),
    sa.Column("category", TEXT, nullable=False),
    sa.Column("unit_id", ID, nullable=False),
    sa.Column("base", POINTS, nullable=False),
    sa.Column("bonus", POINTS, nullable=False),
    sa.Column("deductions", POINTS, nullable=False),
    sa.Column("total", POINTS, nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_scorecards_candidate", "candidate_id"),
)

rule_results = sa.Table(
    "rule_results",
    metadata,
    _run_id(),
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("candidate_id", ID, primary_key=True),
    sa.Column("rule", ID, primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("title", TEXT, nullable=False),
    sa.Column("plugin", TEXT, nullable=False),
    sa.Column("points", POINTS, nullable=False),
    sa.Column("max_points", POINTS, nullable=False),
    sa.Column("applicable", sa.Boolean, nullable=False),
    sa.Column("bonus", sa.Boolean, nullable=False),
    sa.Column("reason", TEXT, nullable=False),
    sa.Column("reason_en", TEXT, nullable=False),
    sa.Column("evidence", TEXT, nullable=False),  # a JSON array of record ids
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_rule_results_candidate", "candidate_id"),
)

findings = sa.Table(
    "findings",
    metadata,
    _run_id(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("candidate_id", ID, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("unit_id", ID, nullable=False),
    sa.Column("threshold", ID, nullable=False),
    sa.Column("level", sa.String(20), nullable=False),
    sa.Column("level_zh", sa.String(20), nullable=False),
    sa.Column("value", POINTS),
    sa.Column("limit_value", POINTS),
    sa.Column("reason", TEXT, nullable=False),
    sa.Column("reason_en", TEXT, nullable=False),
    sa.Column("evidence", TEXT, nullable=False),  # a JSON array of record ids
    sa.Column("count", sa.Integer, nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_findings_candidate", "candidate_id"),
)

list_entries = sa.Table(
    "list_entries",
    metadata,
    _run_id(),
    sa.Column("list", sa.String(20), primary_key=True),  # commendation | near_misses
    sa.Column("kind", sa.String(20), primary_key=True),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("rank", sa.Integer, nullable=False),
    sa.Column("candidate_id", ID, nullable=False),
    sa.Column("name", TEXT, nullable=False),
    sa.Column("category", TEXT, nullable=False),
    sa.Column("peer_group", TEXT, nullable=False),
    sa.Column("unit_id", ID, nullable=False),
    sa.Column("total", POINTS, nullable=False),
    sa.Column("tied", sa.Boolean, nullable=False),
    sa.Column("decided_by", TEXT, nullable=False),
    sa.Column("note", TEXT, nullable=False),
    sa.Column("status", sa.String(20)),  # the entry's status when the result has one
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_list_entries_candidate", "candidate_id"),
)

exclusions = sa.Table(
    "exclusions",
    metadata,
    _run_id(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("candidate_id", ID, nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("name", TEXT, nullable=False),
    sa.Column("category", TEXT, nullable=False),
    sa.Column("total", POINTS, nullable=False),
    sa.Column("reasons", TEXT, nullable=False),  # a JSON array of texts
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_exclusions_candidate", "candidate_id"),
)

rejections = sa.Table(
    "rejections",
    metadata,
    _run_id(),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("record_type", ID, nullable=False),
    sa.Column("file", TEXT, nullable=False),
    sa.Column("file_row", sa.Integer, nullable=False),
    sa.Column("file_column", TEXT),
    sa.Column("reason", TEXT, nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
)

rectifications = sa.Table(
    "rectifications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    _run_id(primary_key=False),
    sa.Column("candidate_id", ID, nullable=False),
    sa.Column("rectified_on", sa.Date, nullable=False),
    sa.Column("note", TEXT, nullable=False),
    sa.Column("recorded_by", TEXT, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("row_hash", HASH, nullable=False),
    sa.Index("ix_rectifications_run", "run_id", "candidate_id"),
)

#: a run's content tables, written once with the run, in the order they are written
CONTENT_TABLES: Final = (
    run_inputs,
    scorecards,
    rule_results,
    findings,
    list_entries,
    exclusions,
    rejections,
)

#: the tables whose rows carry a ``row_hash`` and are counted in ``runs.digests``
DIGESTED_TABLES: Final = (*CONTENT_TABLES, rectifications)
