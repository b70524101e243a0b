"""API keys in the database: only a hash of each secret is kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select, update

from synthwatch.domain.api_key import ApiKey
from synthwatch.domain.member import Role
from synthwatch.errors import NotFound
from synthwatch.store import tables


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive date-times; every stored time is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _utc_or_none(moment: datetime | None) -> datetime | None:
    return None if moment is None else _utc(moment)


def _to_api_key(row: Any) -> ApiKey:
    return ApiKey(
        key_id=row.key_id,
        member=row.member,
        role=Role(row.role),
        created_at=_utc(row.created_at),
        expires_at=_utc_or_none(row.expires_at),
        revoked_at=_utc_or_none(row.revoked_at),
    )


class SqlApiKeyRepository:
    def __init__(self, connection: Connection, member_ids: Callable[[str], int]) -> None:
        self._connection = connection
        self._member_ids = member_ids

    def add(
        self,
        key_id: str,
        secret_hash: str,
        member: str,
        role: Role,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> None:
        self._connection.execute(
            tables.api_key.insert().values(
                key_id=key_id,
                member_id=self._member_ids(member),
                role=role.value,
                secret_hash=secret_hash,
                created_at=created_at,
                expires_at=expires_at,
            )
        )

    def _select(self) -> Any:
        k, m = tables.api_key, tables.member
        return select(k, m.c.name.label("member")).join(m, m.c.id == k.c.member_id)

    def get(self, key_id: str) -> tuple[ApiKey, str]:
        row = self._connection.execute(
            self._select().where(tables.api_key.c.key_id == key_id)
        ).first()
        if row is None:
            raise NotFound(f"unknown API key {key_id!r}")
        return _to_api_key(row), row.secret_hash

    def revoke(self, key_id: str, revoked_at: datetime) -> None:
        result = self._connection.execute(
            update(tables.api_key)
            .where(tables.api_key.c.key_id == key_id, tables.api_key.c.revoked_at.is_(None))
            .values(revoked_at=revoked_at)
        )
        if result.rowcount == 0:
            self.get(key_id)  # raises NotFound for an unknown key; a revoked one stays revoked

    def list(self, member: str | None = None) -> list[ApiKey]:
        query = self._select().order_by(tables.api_key.c.created_at)
        if member is not None:
            query = query.where(tables.api_key.c.member_id == self._member_ids(member))
        return [_to_api_key(row) for row in self._connection.execute(query)]
