"""Hashes that make a changed archive row visible: each row's, each table's, a document's.

A row's hash is the SHA-256 of its table's name and its values (every column but
``row_hash``, in the table's column order) as canonical JSON: dates and times as ISO
8601 (times in UTC), each value as its column's type (a whole number written to a
float column is the float read back), floats as the shortest text that reads back to
the same double.
SQLite and PostgreSQL hand back the same Python values for what was written, so a
hash is the same on either. A table's digest is the SHA-256 of its rows' hashes,
sorted (independent of the order the database returns them in).

These hashes find a row changed by hand (``UPDATE findings SET level = …``), removed
or added; someone who rewrites a row *and* every hash above it is not stopped by
them: ``runs.row_hash`` of a published run, printed by ``dxe-eval archive show``, is
the value to keep outside the database for that.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import orjson
import sqlalchemy as sa


def _plain(column: sa.Column[Any], value: Any) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.Float):  # 15 written, 15.0 read back: one value
        return float(value)
    if isinstance(column.type, sa.Boolean):
        return bool(value)
    if isinstance(column.type, sa.Integer):
        return int(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:  # SQLite hands back a naive time: both as naive UTC
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_hash(table: sa.Table, values: Mapping[Any, Any]) -> str:
    """The hash of a row of ``table`` with ``values`` (by column name; ``row_hash`` ignored)."""
    plain = [_plain(c, values.get(c.name)) for c in table.columns if c.name != "row_hash"]
    return hashlib.sha256(orjson.dumps([table.name, plain])).hexdigest()


def table_digest(hashes: Iterable[str]) -> str:
    """The digest of a table's rows from their hashes, in any order."""
    return hashlib.sha256("\n".join(sorted(hashes)).encode("ascii")).hexdigest()


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def utc_now() -> dt.datetime:
    """Now, in UTC to the second (what ``created_at`` and ``recorded_at`` hold)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)
