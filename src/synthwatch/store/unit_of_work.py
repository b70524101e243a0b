"""One database transaction shared by every repository of a use case."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError

from synthwatch.errors import DatabaseError, NotFound
from synthwatch.store import tables
from synthwatch.store.database import open_engine
from synthwatch.store.key_repository import SqlApiKeyRepository
from synthwatch.store.member_repository import SqlMemberRepository, SqlSharingGroupRepository
from synthwatch.store.migration import ensure_schema
from synthwatch.store.report_repository import SqlReportRepository


def to_database_error(error: SQLAlchemyError) -> DatabaseError:
    """Say what went wrong in the database without a traceback; nothing of the transaction stayed."""
    detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return DatabaseError(f"database error ({type(error).__name__}): {detail}")


class MemberIds:
    """Member name → row id, looked up once per transaction."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._ids: dict[str, int] = {}

    def __call__(self, name: str) -> int:
        member_id = self._ids.get(name)
        if member_id is None:
            member_id = self._connection.execute(
                select(tables.member.c.id).where(tables.member.c.name == name)
            ).scalar()
            if member_id is None:
                raise NotFound(f"unknown member {name!r}")
            self._ids[name] = member_id
        return member_id


class SqlUnitOfWork:
    """A transaction: repositories add and query; `commit` makes it all stick, or nothing does."""

    members: SqlMemberRepository
    groups: SqlSharingGroupRepository
    keys: SqlApiKeyRepository
    reports: SqlReportRepository

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self._connection = self._engine.connect()
            self._transaction = self._connection.begin()
        except SQLAlchemyError as error:
            raise to_database_error(error) from error
        member_ids = MemberIds(self._connection)
        self.members = SqlMemberRepository(self._connection)
        self.groups = SqlSharingGroupRepository(self._connection, member_ids)
        self.keys = SqlApiKeyRepository(self._connection, member_ids)
        self.reports = SqlReportRepository(self._connection, member_ids)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._transaction.is_active:
                self._transaction.rollback()
        except SQLAlchemyError:
            pass  # the connection is gone; the transaction died with it
        finally:
            self._connection.close()
        if isinstance(exc, SQLAlchemyError):
            raise to_database_error(exc) from exc

    def commit(self) -> None:
        try:
            self._transaction.commit()
        except SQLAlchemyError as error:
            raise to_database_error(error) from error


class SqlUnitOfWorkFactory:
    """Makes a unit of work per use case over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)


def open_store(url: str) -> SqlUnitOfWorkFactory:
    """Open the database at `url`, creating the schema in an empty one.

    Raises:
        ConfigurationError: the URL is not one we can use.
        DatabaseError: the database cannot be reached, or its schema is outdated.
    """
    engine = open_engine(url)
    try:
        ensure_schema(engine)
    except SQLAlchemyError as error:
        engine.dispose()
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseError(
            f"cannot use the database at {where}: {to_database_error(error)}"
        ) from None
    return SqlUnitOfWorkFactory(engine)
