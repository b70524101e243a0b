"""Alembic migrations, shipped in the wheel and run by `synthwatch db upgrade`."""
