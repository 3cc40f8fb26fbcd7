"""The evaluation archive: each year's result kept as an immutable run in a database.

- :mod:`~dxe_eval.archive.schema`: the tables (SQLAlchemy Core), one schema for SQLite
  and PostgreSQL; ``migrations/`` versions it (Alembic, run from code).
- :mod:`~dxe_eval.archive.store`: opening an archive (a file or a URL), transactions,
  the schema brought up to date.
- :mod:`~dxe_eval.archive.integrity`: the hash of every stored row, checked on every read.
- :mod:`~dxe_eval.archive.runs`: save, publish, supersede, rectify and read runs.
- :mod:`~dxe_eval.archive.history`: published runs as earlier sanctions, a candidate's
  years, the previous period's totals.

Importing this package costs SQLAlchemy's import (about 0.3 s): only the commands that
use an archive import it (``evaluate --archive``, ``archive``, ``history``, ``compare
run:ID``). ``docs/archive.md`` documents the tables and the commands.
"""

from __future__ import annotations
