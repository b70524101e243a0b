"""Members (the organisations of a node), their users and roles, and sharing groups."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, field_validator

from synthwatch.domain.location import to_country_code
from synthwatch.domain.text import check_name

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@+-]{0,99}$")


class MemberKind(StrEnum):
    """What kind of organisation a member is; it shapes what it reports and what it is shown."""

    HEALTH = "health"
    FORENSIC_LAB = "forensic_lab"
    CUSTOMS = "customs"
    POLICE = "police"
    REGULATOR = "regulator"
    CHEMICAL_COMPANY = "chemical_company"
    LOGISTICS_COMPANY = "logistics_company"
    HARM_REDUCTION = "harm_reduction"


class Role(StrEnum):
    """What a key or user may do within its member (the permission table comes with the node)."""

    ADMIN = "admin"
    ANALYST = "analyst"
    CONTRIBUTOR = "contributor"
    READER = "reader"


class Member(BaseModel):
    """An organisation that owns reports on this node."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    country: str
    kind: MemberKind

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return check_name(value)

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str) -> str:
        return to_country_code(value)


class User(BaseModel):
    """A person acting for a member."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    username: str
    member: str
    role: Role

    @field_validator("username")
    @classmethod
    def _check_username(cls, value: str) -> str:
        value = value.strip().lower()
        if not _USERNAME.match(value):
            raise ValueError(
                "usernames are 1-100 of a-z 0-9 . _ @ + - and start with a letter or digit"
            )
        return value


class SharingGroup(BaseModel):
    """A named set of members that TLP:AMBER reports can be released to (e.g. "Trilateral")."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    members: tuple[str, ...] = ()

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str) -> str:
        return check_name(value)
