"""Every archive test runs on SQLite, and on PostgreSQL when ``DXE_EVAL_TEST_POSTGRES_URL``
names a server (``.ci/run`` starts one): the ``target`` fixture is an empty archive on each.

Without the variable, or when the server cannot be reached or psycopg is missing, the
PostgreSQL variant is SKIPPED with a reason saying which: never passed silently. Each
PostgreSQL test gets a database of its own, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_ENV = "DXE_EVAL_TEST_POSTGRES_URL"


def _admin_engine(url: str):  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from dxe_eval.archive.store import resolve_target

    return sa.create_engine(
        resolve_target(url), isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5}
    )


def _pg_database(url: str) -> Iterator[str]:
    import sqlalchemy as sa

    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip(f"PostgreSQL variant skipped: psycopg is not installed ({PG_ENV} is set)")
    admin = _admin_engine(url)
    name = f"dxe_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        pytest.skip(
            f"PostgreSQL variant skipped: the server at {PG_ENV} cannot be reached "
            f"({str(exc.orig).strip().splitlines()[0]})"
        )
    target = sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    try:
        yield target
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty archive's target: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "archive.sqlite")
        return
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(
            f"PostgreSQL variant skipped: {PG_ENV} is not set (.ci/run sets it when it "
            "could start a server)"
        )
    yield from _pg_database(url)
