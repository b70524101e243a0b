"""Schema migrations: bring a database to the schema of this version of synthwatch."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from synthwatch.errors import DatabaseError, SchemaOutdated


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(files("synthwatch.store") / "migrations"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    if head is None:
        raise DatabaseError("this installation of synthwatch ships no schema migrations")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade_schema(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration in one transaction; return (revision before, revision after)."""
    before = current_revision(engine)
    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, head_revision()


def ensure_schema(engine: Engine) -> None:
    """Create the schema in an empty database; refuse to work on an outdated one.

    Raises:
        SchemaOutdated: the database holds an older schema; `synthwatch db upgrade` migrates it.
    """
    revision = current_revision(engine)
    if revision == head_revision():
        return
    if revision is None and not inspect(engine).get_table_names():
        upgrade_schema(engine)
        return
    raise SchemaOutdated(
        f"the database schema is at revision {revision or 'none'}, this synthwatch needs "
        f"{head_revision()}: run `synthwatch db upgrade` (back the database up first)"
    )
