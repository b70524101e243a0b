"""One database transaction shared by every repository of a use case."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Connection, Engine, select

from synthwatch.errors import NotFound
from synthwatch.store import tables
from synthwatch.store.key_repository import SqlApiKeyRepository
from synthwatch.store.member_repository import SqlMemberRepository, SqlSharingGroupRepository
from synthwatch.store.report_repository import SqlReportRepository


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
        self._connection = self._engine.connect()
        self._transaction = self._connection.begin()
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
        finally:
            self._connection.close()

    def commit(self) -> None:
        self._transaction.commit()


class SqlUnitOfWorkFactory:
    """Makes a unit of work per use case over one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
