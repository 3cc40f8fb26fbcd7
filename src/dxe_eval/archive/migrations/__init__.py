"""Alembic's migration environment for the archive, shipped with the package.

:func:`dxe_eval.archive.store.Archive.migrate` runs it from code: no ``alembic.ini`` is
needed. A developer adding a migration writes ``versions/rNNNN_what.py`` (``down_revision``
the previous one) and moves :data:`dxe_eval.archive.schema.SCHEMA_REVISION` to it;
``tests/archive/test_schema.py`` checks the migrated schema equals
:mod:`dxe_eval.archive.schema`.
"""
