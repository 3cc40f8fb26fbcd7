"""The archive's schema migrations, oldest first (Alembic loads them by path)."""
