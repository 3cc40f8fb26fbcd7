"""Opening an archive: a SQLite file or a PostgreSQL URL, its transactions and its schema.

One code path for both (SQLAlchemy Core). What differs is how a writer waits for
another:

- SQLite: every write transaction starts with ``BEGIN IMMEDIATE``, which takes the
  file's write lock at once; a second writer waits for it (the driver's busy timeout,
  ``timeout`` seconds) and then goes on, so two runs archived at once both land, one
  after the other. Reads start with a plain ``BEGIN``. The driver's own transaction
  handling is switched off so that these statements, DDL included, are the
  transactions (SQLAlchemy's documented recipe for pysqlite).
- PostgreSQL (psycopg 3): every write transaction first takes one advisory lock
  (``pg_advisory_xact_lock``), released at commit or rollback, so writers also go one
  after the other; ``lock_timeout`` bounds the wait.

A writer that waited ``timeout`` seconds in vain gets :class:`ArchiveBusyError`, a
clear one-line error. A write that is interrupted (the process killed, the
connection lost) is rolled back by the database: nothing of it is left.

The schema is brought up to date when an archive is opened: its Alembic revision is
read with one query, and only an archive that is new or older than this version is
migrated (Alembic, run from code with the migrations shipped in the package).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.pool import NullPool

from dxe_eval.archive.schema import SCHEMA_REVISION
from dxe_eval.errors import DxeEvalError

#: the archive's file name beside a data folder when ``--archive`` is given alone
DEFAULT_NAME: Final = "dxe-eval.sqlite"
#: seconds a writer waits for another before giving up
DEFAULT_TIMEOUT: Final = 60.0
#: the advisory lock every PostgreSQL write transaction takes (any fixed 64-bit number)
PG_LOCK: Final = 0x6478_652D_6576_616C  # "dxe-eval"
#: for tests: seconds to sleep inside the transaction that stores a run, before commit
PAUSE_ENV: Final = "DXE_EVAL_ARCHIVE_TEST_PAUSE"


class ArchiveError(DxeEvalError):
    """The archive cannot be opened, or refuses what was asked (publish twice, an unknown run)."""


class ArchiveBusyError(ArchiveError):
    """Another process kept the archive's write lock longer than the timeout."""


class ArchiveIntegrityError(ArchiveError):
    """A stored row or document no longer matches its hash: the archive was changed."""

    def __init__(self, run_id: int, table: str, where: str, what: str) -> None:
        self.run_id, self.table, self.where = run_id, table, where
        super().__init__(
            f"run {run_id}, table {table}, {where}: {what}; the archive was changed outside "
            "dxe-eval and this run is not served",
            zh=f"评价档案已被改动：run {run_id} 表 {table} {where} 与存档时的校验值不符，不予读取",
        )


def resolve_target(target: str | os.PathLike[str]) -> str:
    """The SQLAlchemy URL of ``target``: a ``postgresql://`` URL, a ``sqlite:///`` URL or a
    file path (a SQLite file)."""
    text = os.fspath(target)
    for prefix in ("postgresql://", "postgres://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    if text.startswith(("postgresql+", "sqlite:")):
        return text
    if "://" in text:
        raise ArchiveError(
            f"unsupported archive target {text!r}: give a SQLite file or a postgresql:// URL",
            zh=f"不支持的评价档案位置 {text}：请给出 SQLite 文件或 postgresql:// 地址",
        )
    return "sqlite:///" + str(Path(text).resolve())


def _busy(exc_: BaseException) -> bool:
    text = str(exc_).lower()
    return "database is locked" in text or "lock timeout" in text or "database is busy" in text


class Archive:
    """An open archive. Owns its engine: :meth:`close` (or ``with``) disposes of it."""

    def __init__(self, url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self.url = sa.make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            self.engine = sa.create_engine(
                self.url, poolclass=NullPool, connect_args={"timeout": timeout}
            )
            event.listen(self.engine, "connect", _sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        else:
            try:
                import psycopg  # noqa: F401  # lazy: start-up (optional driver; a clear error)
            except ImportError:
                raise ArchiveError(
                    "a PostgreSQL archive needs the psycopg driver: "
                    "pip install 'dxe-eval[postgres]'",
                    zh="使用 PostgreSQL 评价档案需要安装 psycopg：pip install 'dxe-eval[postgres]'",
                ) from None
            self.engine = sa.create_engine(
                self.url, poolclass=NullPool, connect_args={"connect_timeout": 10}
            )

    @property
    def label(self) -> str:
        """Where the archive is, as a person reads it (a file path, or the URL without
        its password)."""
        if self.is_sqlite:
            return self.url.database or ":memory:"
        return self.url.set(drivername="postgresql").render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self, *, write: bool = False) -> Iterator[sa.Connection]:
        """One transaction: committed when the block ends, rolled back on any error.

        ``write=True`` takes the archive's write lock first (see the module's docs)."""
        try:
            with self.engine.connect() as conn:
                conn.info["dxe_write"] = write
                with conn.begin():
                    if write and not self.is_sqlite:
                        conn.execute(
                            sa.text(f"SET LOCAL lock_timeout = '{int(self.timeout * 1000)}ms'")
                        )
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_LOCK})
                    yield conn
        except exc.OperationalError as err:
            if _busy(err):
                raise ArchiveBusyError(
                    f"the archive {self.label} is being written by another process and stayed "
                    f"locked for {self.timeout:g} s; try again when it has finished",
                    zh=f"评价档案 {self.label} 正由另一进程写入，等待 {self.timeout:g} 秒仍未释放，"
                    "请稍后再试",
                ) from None
            raise self._unreachable(err) from None
        except exc.DatabaseError as err:
            raise self._unreachable(err) from None

    def _unreachable(self, err: BaseException) -> ArchiveError:
        detail = str(getattr(err, "orig", err)).strip().splitlines()[0] if str(err) else ""
        return ArchiveError(
            f"cannot use the archive {self.label}: {detail}",
            zh=f"无法使用评价档案 {self.label}：{detail}",
        )

    # -- schema ------------------------------------------------------------------------

    def revision(self, conn: sa.Connection) -> str | None:
        """The archive's schema revision; ``None`` for an empty database."""
        inspector = sa.inspect(conn)
        if not inspector.has_table("alembic_version"):
            if inspector.has_table("runs"):
                raise ArchiveError(
                    f"{self.label} has a table named runs but no schema version: "
                    "not a dxe-eval archive",
                    zh=f"{self.label} 不是 dxe-eval 评价档案（有 runs 表但没有版本记录）",
                )
            return None
        return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()

    def migrate(self) -> None:
        """Bring the schema up to date (create it in a new archive), in one transaction."""
        with self.transaction() as conn:
            if self.revision(conn) == SCHEMA_REVISION:
                return
        with self.transaction(write=True) as conn:
            current = self.revision(conn)  # again, under the lock: another may have migrated
            if current == SCHEMA_REVISION:
                return
            if current is not None and current not in _known_revisions():
                raise ArchiveError(
                    f"the archive {self.label} has schema revision {current}, newer than this "
                    f"dxe-eval knows ({SCHEMA_REVISION}): upgrade dxe-eval",
                    zh=f"评价档案 {self.label} 的结构版本 {current} 比本程序新，请升级 dxe-eval",
                )
            upgrade(conn)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the BEGIN below is the transaction
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(conn: sa.Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("dxe_write") else "BEGIN")


def _alembic_config(conn: sa.Connection | None = None) -> Any:
    # Alembic is imported only to migrate (0.15 s): opening an up-to-date archive skips it
    from alembic.config import Config  # lazy: start-up (alembic 0.15 s, only to migrate)

    config = Config()
    config.set_main_option("script_location", "dxe_eval.archive:migrations")
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # lazy: start-up (only to migrate)

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config()).walk_revisions()}


def upgrade(conn: sa.Connection) -> None:
    """Run the migrations up to the newest, on ``conn``, inside its transaction."""
    from alembic import command  # lazy: start-up (only to migrate)

    command.upgrade(_alembic_config(conn), "head")


def open_archive(
    target: str | os.PathLike[str], *, create: bool = True, timeout: float = DEFAULT_TIMEOUT
) -> Archive:
    """Open (and with ``create``, make) the archive at ``target``, its schema up to date.

    A SQLite file that does not exist is made only with ``create``; otherwise it is
    an :class:`ArchiveError` naming the file."""
    url = resolve_target(target)
    archive = Archive(url, timeout=timeout)
    if archive.is_sqlite and archive.url.database not in (None, "", ":memory:"):
        path = Path(archive.url.database or "")
        if not path.exists() and not create:
            raise ArchiveError(f"no archive at {path}", zh=f"评价档案不存在：{path}")
        if not path.parent.is_dir():
            raise ArchiveError(
                f"cannot make the archive {path}: no folder {path.parent}",
                zh=f"无法建立评价档案 {path}：文件夹 {path.parent} 不存在",
            )
    try:
        archive.migrate()
    except BaseException:
        archive.close()
        raise
    return archive
