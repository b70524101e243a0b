"""Members and sharing groups in the database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from synthwatch.domain.member import Member, MemberKind, SharingGroup
from synthwatch.errors import AlreadyExists, NotFound
from synthwatch.store import tables


class SqlMemberRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, member: Member, created_at: datetime) -> None:
        try:
            with self._connection.begin_nested():
                self._connection.execute(
                    insert(tables.member).values(
                        name=member.name,
                        country=member.country,
                        kind=member.kind.value,
                        created_at=created_at,
                    )
                )
        except IntegrityError:
            raise AlreadyExists(f"a member named {member.name!r} already exists") from None

    def get(self, name: str) -> Member:
        row = self._connection.execute(
            select(tables.member).where(tables.member.c.name == name)
        ).first()
        if row is None:
            raise NotFound(f"unknown member {name!r}")
        return Member(name=row.name, country=row.country, kind=MemberKind(row.kind))

    def list(self) -> list[Member]:
        rows = self._connection.execute(select(tables.member).order_by(tables.member.c.name))
        return [Member(name=r.name, country=r.country, kind=MemberKind(r.kind)) for r in rows]

    def count(self) -> int:
        return self._connection.execute(
            select(func.count()).select_from(tables.member)
        ).scalar_one()


class SqlSharingGroupRepository:
    def __init__(self, connection: Connection, member_ids: Callable[[str], int]) -> None:
        self._connection = connection
        self._member_ids = member_ids

    def add(self, group: SharingGroup, created_at: datetime) -> None:
        member_ids = [self._member_ids(name) for name in group.members]
        try:
            with self._connection.begin_nested():
                group_id = self._connection.execute(
                    insert(tables.sharing_group)
                    .values(name=group.name, created_at=created_at)
                    .returning(tables.sharing_group.c.id)
                ).scalar_one()
        except IntegrityError:
            raise AlreadyExists(f"a sharing group named {group.name!r} already exists") from None
        if member_ids:
            self._connection.execute(
                insert(tables.sharing_group_member),
                [{"group_id": group_id, "member_id": m} for m in member_ids],
            )

    def names(self) -> set[str]:
        return set(self._connection.execute(select(tables.sharing_group.c.name)).scalars())
