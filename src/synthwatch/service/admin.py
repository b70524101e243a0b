"""Administration: members, sharing groups and API keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from pydantic import ValidationError

from synthwatch.domain.api_key import ApiKey, new_api_key
from synthwatch.domain.member import Member, Role, SharingGroup
from synthwatch.domain.report import to_problems
from synthwatch.errors import FieldProblem, InvalidInput
from synthwatch.service.ports import UnitOfWorkFactory


def _now() -> datetime:
    return datetime.now(UTC)


def create_member(
    uow_factory: UnitOfWorkFactory,
    name: str,
    country: str,
    kind: str,
    *,
    now: Callable[[], datetime] = _now,
) -> Member:
    """Register a member organisation.

    Raises:
        InvalidInput: the name, country or kind is not acceptable.
        AlreadyExists: a member of that name exists.
    """
    try:
        member = Member.model_validate({"name": name, "country": country, "kind": kind})
    except ValidationError as error:
        raise InvalidInput(to_problems(error)) from None
    with uow_factory() as uow:
        uow.members.add(member, now())
        uow.commit()
    return member


def list_members(uow_factory: UnitOfWorkFactory) -> list[Member]:
    with uow_factory() as uow:
        return uow.members.list()


def create_sharing_group(
    uow_factory: UnitOfWorkFactory,
    name: str,
    members: list[str],
    *,
    now: Callable[[], datetime] = _now,
) -> SharingGroup:
    """Create a named group of members that TLP:AMBER reports can be released to.

    Raises:
        InvalidInput, NotFound (a member), AlreadyExists (the name).
    """
    try:
        group = SharingGroup(name=name, members=tuple(members))
    except ValidationError as error:
        raise InvalidInput(to_problems(error)) from None
    with uow_factory() as uow:
        uow.groups.add(group, now())
        uow.commit()
    return group


def create_api_key(
    uow_factory: UnitOfWorkFactory,
    member: str,
    role: str,
    *,
    expires_in: timedelta | None = None,
    now: Callable[[], datetime] = _now,
) -> tuple[str, ApiKey]:
    """Make a key for a member; return the plaintext (to show once) and the stored key.

    Raises:
        InvalidInput: unknown role or a non-positive lifetime.
        NotFound: unknown member.
    """
    try:
        key_role = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidInput(
            [FieldProblem("role", f"unknown role {role!r}; expected one of {roles}")]
        ) from None
    if expires_in is not None and expires_in <= timedelta(0):
        raise InvalidInput([FieldProblem("expires", "a key's lifetime must be positive")])
    created_at = now()
    expires_at = created_at + expires_in if expires_in is not None else None
    fresh = new_api_key()
    with uow_factory() as uow:
        uow.keys.add(fresh.key_id, fresh.secret_hash, member, key_role, created_at, expires_at)
        uow.commit()
    return fresh.plaintext, ApiKey(fresh.key_id, member, key_role, created_at, expires_at, None)


def revoke_api_key(
    uow_factory: UnitOfWorkFactory, key_id: str, *, now: Callable[[], datetime] = _now
) -> None:
    """Revoke a key at once; a revoked key never works again.

    Raises:
        NotFound: no key has that id.
    """
    with uow_factory() as uow:
        uow.keys.revoke(key_id, now())
        uow.commit()


def list_api_keys(uow_factory: UnitOfWorkFactory, member: str | None = None) -> list[ApiKey]:
    with uow_factory() as uow:
        return uow.keys.list(member)
