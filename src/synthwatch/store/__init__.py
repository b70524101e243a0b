"""Persistence: SQLAlchemy tables, repositories and migrations for SQLite and PostgreSQL."""
