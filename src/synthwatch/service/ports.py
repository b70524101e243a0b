"""What the use cases need from storage, as Protocols; `synthwatch.store` implements them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Protocol

from synthwatch.domain.api_key import ApiKey
from synthwatch.domain.member import Member, Role, SharingGroup
from synthwatch.domain.report import Report, StoredReport


@dataclass(frozen=True, slots=True)
class CurrentVersion:
    """The version of a report that is current, enough to tell unchanged from updated."""

    report_id: str
    version: int
    content_hash: str


@dataclass(frozen=True, slots=True)
class ReportWrite:
    """One version of a report to store (version 1 creates the report)."""

    report_id: str
    external_id: str
    version: int
    content_hash: str
    report: Report


class MemberRepository(Protocol):
    def add(self, member: Member, created_at: datetime) -> None: ...
    def get(self, name: str) -> Member: ...
    def list(self) -> list[Member]: ...
    def count(self) -> int: ...


class SharingGroupRepository(Protocol):
    def add(self, group: SharingGroup, created_at: datetime) -> None: ...
    def names(self) -> set[str]: ...


class ApiKeyRepository(Protocol):
    def add(
        self,
        key_id: str,
        secret_hash: str,
        member: str,
        role: Role,
        created_at: datetime,
        expires_at: datetime | None,
    ) -> None: ...
    def get(self, key_id: str) -> tuple[ApiKey, str]: ...
    def revoke(self, key_id: str, revoked_at: datetime) -> None: ...
    def list(self, member: str | None = None) -> list[ApiKey]: ...


class ReportRepository(Protocol):
    def current_versions(
        self, member: str, external_ids: Sequence[str]
    ) -> dict[str, CurrentVersion]: ...
    def write(self, member: str, writes: Sequence[ReportWrite], recorded_at: datetime) -> None: ...
    def get(self, report_id: str) -> StoredReport: ...
    def get_by_external_id(self, member: str, external_id: str) -> StoredReport: ...
    def versions(self, report_id: str) -> list[StoredReport]: ...
    def page(self, member: str, after: str | None, limit: int) -> list[StoredReport]: ...
    def count(self, member: str | None = None) -> int: ...
    def count_versions(self) -> int: ...


class UnitOfWork(Protocol):
    """One transaction over every repository; nothing is stored until `commit`."""

    @property
    def members(self) -> MemberRepository: ...
    @property
    def groups(self) -> SharingGroupRepository: ...
    @property
    def keys(self) -> ApiKeyRepository: ...
    @property
    def reports(self) -> ReportRepository: ...

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    def commit(self) -> None: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...
