"""The first schema: runs and their content, documents, rectifications.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("ruleset_id", sa.String(length=200), nullable=False),
        sa.Column("ruleset_title", sa.Text(), nullable=False),
        sa.Column("ruleset_source", sa.Text(), nullable=False),
        sa.Column("ruleset_fingerprint", sa.String(length=100), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("dxe_eval_version", sa.String(length=50), nullable=False),
        sa.Column("data_origin", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Text(), nullable=True),
        sa.Column("published_on", sa.Date(), nullable=True),
        sa.Column("supersedes", sa.Integer(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("manifest", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("digests", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'superseded')", name=op.f("ck_runs_status")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_runs")),
    )
    op.create_index(
        "ix_runs_ruleset_period", "runs", ["ruleset_id", "period_start", "period_end"], unique=False
    )
    op.create_table(
        "exclusions",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("total", sa.Float(precision=53), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_exclusions_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_exclusions")),
    )
    op.create_index("ix_exclusions_candidate", "exclusions", ["candidate_id"], unique=False)
    op.create_table(
        "findings",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("unit_id", sa.String(length=200), nullable=False),
        sa.Column("threshold", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("level_zh", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(precision=53), nullable=True),
        sa.Column("limit_value", sa.Float(precision=53), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_findings_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_findings")),
    )
    op.create_index("ix_findings_candidate", "findings", ["candidate_id"], unique=False)
    op.create_table(
        "list_entries",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("list", sa.String(length=20), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("peer_group", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.String(length=200), nullable=False),
        sa.Column("total", sa.Float(precision=53), nullable=False),
        sa.Column("tied", sa.Boolean(), nullable=False),
        sa.Column("decided_by", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=True),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_list_entries_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "list", "kind", "position", name=op.f("pk_list_entries")),
    )
    op.create_index("ix_list_entries_candidate", "list_entries", ["candidate_id"], unique=False)
    op.create_table(
        "rectifications",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("rectified_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_rectifications_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectifications")),
    )
    op.create_index(
        "ix_rectifications_run", "rectifications", ["run_id", "candidate_id"], unique=False
    )
    op.create_table(
        "rejections",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=200), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("file_row", sa.Integer(), nullable=False),
        sa.Column("file_column", sa.Text(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_rejections_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_rejections")),
    )
    op.create_table(
        "rule_results",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("rule", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("plugin", sa.Text(), nullable=False),
        sa.Column("points", sa.Float(precision=53), nullable=False),
        sa.Column("max_points", sa.Float(precision=53), nullable=False),
        sa.Column("applicable", sa.Boolean(), nullable=False),
        sa.Column("bonus", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("reason_en", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_rule_results_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint(
            "run_id", "kind", "candidate_id", "rule", name=op.f("pk_rule_results")
        ),
    )
    op.create_index("ix_rule_results_candidate", "rule_results", ["candidate_id"], unique=False)
    op.create_table(
        "run_documents",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_documents_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", name=op.f("pk_run_documents")),
    )
    op.create_table(
        "run_inputs",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=200), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("encoding", sa.String(length=50), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_run_inputs_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "position", name=op.f("pk_run_inputs")),
    )
    op.create_table(
        "scorecards",
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("candidate_id", sa.String(length=200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.String(length=200), nullable=False),
        sa.Column("base", sa.Float(precision=53), nullable=False),
        sa.Column("bonus", sa.Float(precision=53), nullable=False),
        sa.Column("deductions", sa.Float(precision=53), nullable=False),
        sa.Column("total", sa.Float(precision=53), nullable=False),
        sa.Column("row_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_id"], ["runs.id"], name=op.f("fk_scorecards_run_id"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("run_id", "kind", "candidate_id", name=op.f("pk_scorecards")),
    )
    op.create_index("ix_scorecards_candidate", "scorecards", ["candidate_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_scorecards_candidate", table_name="scorecards")
    op.drop_table("scorecards")
    op.drop_table("run_inputs")
    op.drop_table("run_documents")
    op.drop_index("ix_rule_results_candidate", table_name="rule_results")
    op.drop_table("rule_results")
    op.drop_table("rejections")
    op.drop_index("ix_rectifications_run", table_name="rectifications")
    op.drop_table("rectifications")
    op.drop_index("ix_list_entries_candidate", table_name="list_entries")
    op.drop_table("list_entries")
    op.drop_index("ix_findings_candidate", table_name="findings")
    op.drop_table("findings")
    op.drop_index("ix_exclusions_candidate", table_name="exclusions")
    op.drop_table("exclusions")
    op.drop_index("ix_runs_ruleset_period", table_name="runs")
    op.drop_table("runs")
