"""Opening a database: SQLite file by default, PostgreSQL by URL, with the settings each needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from synthwatch.errors import ConfigurationError


def to_engine_url(url: str) -> str:
    """Accept the URLs people write (postgres://, postgresql://) and pick our drivers."""
    text = url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if text.startswith(prefix):
            return "postgresql+psycopg://" + text[len(prefix) :]
    return text


def open_engine(url: str) -> Engine:
    """Create an engine for `url`; for SQLite, create the file's folder and set safe pragmas.

    Raises:
        ConfigurationError: the URL is malformed or names a database we do not support.
    """
    try:
        parsed = make_url(to_engine_url(url))
    except ArgumentError as error:
        raise ConfigurationError(f"invalid database URL {url!r}: {error}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # Bulk loads into young tables: plans cached while a table was empty (prepared statements,
        # foreign-key checks) would scan it whole for every row; re-plan each time instead.
        return create_engine(
            parsed,
            pool_pre_ping=True,
            connect_args={"options": "-c plan_cache_mode=force_custom_plan"},
        )
    raise ConfigurationError(f"unsupported database {backend!r}: use sqlite or postgresql")


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers work during an ingest; NORMAL is durable at every commit in WAL mode
    # except for power loss, which loses only the last transaction, never a partial one.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
