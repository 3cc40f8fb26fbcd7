"""The archive's schema: made by the shipped migrations, equal to the code's tables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from dxe_eval.archive import schema
from dxe_eval.archive.store import ArchiveError, open_archive


def test_migrations_make_the_schema_of_the_code(target: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with open_archive(target) as archive, archive.transaction() as conn:
        assert archive.revision(conn) == schema.SCHEMA_REVISION
        diffs = compare_metadata(MigrationContext.configure(conn), schema.metadata)
        assert diffs == []


def test_the_newest_migration_is_the_code_s_revision() -> None:
    from alembic.script import ScriptDirectory

    from dxe_eval.archive.store import _alembic_config

    assert (
        ScriptDirectory.from_config(_alembic_config()).get_current_head() == schema.SCHEMA_REVISION
    )


def test_opening_again_keeps_what_is_stored(target: str) -> None:
    with open_archive(target) as archive, archive.transaction(write=True) as conn:
        conn.execute(sa.text("CREATE TABLE notes (x INTEGER)"))
        conn.execute(sa.text("INSERT INTO notes VALUES (7)"))
    with open_archive(target) as archive, archive.transaction() as conn:
        assert conn.execute(sa.text("SELECT x FROM notes")).scalar() == 7


def test_an_archive_newer_than_the_program_is_refused(target: str) -> None:
    with open_archive(target) as archive, archive.transaction(write=True) as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(ArchiveError, match=r"9999.*newer"):
        open_archive(target)


def test_missing_file_is_not_made_for_reading(tmp_path) -> None:
    missing = tmp_path / "none.sqlite"
    with pytest.raises(ArchiveError, match="no archive at"):
        open_archive(missing, create=False)
    assert not missing.exists()


def test_a_file_that_is_no_database_is_named(tmp_path) -> None:
    bad = tmp_path / "units.csv"
    bad.write_text("unit_id,name\nU1,x\n" * 50, encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"cannot use the archive .*units\.csv"):
        open_archive(bad)
