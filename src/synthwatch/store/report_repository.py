"""Reports in the database: a header row per report, a row per version, entity keys for correlation."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, and_, bindparam, func, select, update

from synthwatch.domain.report import EntityMention, Report, StoredReport
from synthwatch.domain.substance import SubstanceMention
from synthwatch.errors import NotFound
from synthwatch.service.ports import CurrentVersion, ReportWrite
from synthwatch.store import tables
from synthwatch.store.bulk_insert import BulkInsert

# SQLite allows 32,766 bound parameters; stay well below for IN lists.
_IN_CHUNK = 500


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


VERSION_COLUMNS = (
    "report_id", "version", "content_hash", "recorded_at", "kind", "observed_at", "observed_on",
    "observed_until", "country", "subdivision", "place", "lat", "lon", "count", "narrative", "tlp",
    "recipients", "sharing_group", "users", "grading_source", "grading_information", "substances",
    "entities",
)  # fmt: skip
HEADER_COLUMNS = (
    "id", "member_id", "external_id", "current_version", "content_hash", "created_at", "updated_at",
)  # fmt: skip
ENTITY_COLUMNS = ("report_id", "version", "position", "type", "normalized")

_SUBSTANCES = TypeAdapter(tuple[SubstanceMention, ...])
_ENTITIES = TypeAdapter(tuple[EntityMention, ...])


def _iso(moment: date | datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def to_version_row(write: ReportWrite, recorded_at: datetime) -> tuple[Any, ...]:
    """One `report_version` row, in VERSION_COLUMNS order."""
    report = write.report
    location, marking, grading = report.location, report.marking, report.grading
    return (
        write.report_id,
        write.version,
        write.content_hash,
        recorded_at,
        report.kind.value,
        report.observed_at.isoformat(),
        _day(report.observed_at),
        _iso(report.observed_until),
        location.country,
        location.subdivision,
        location.place,
        location.lat,
        location.lon,
        report.count,
        report.narrative,
        marking.tlp.value,
        json.dumps(marking.recipients, ensure_ascii=False),
        marking.sharing_group,
        json.dumps(marking.users, ensure_ascii=False),
        grading.source.value if grading else None,
        grading.information if grading else None,
        _SUBSTANCES.dump_json(report.substances, exclude_none=True).decode(),
        _ENTITIES.dump_json(report.entities, exclude_none=True).decode(),
    )


def from_version_row(row: Any) -> Report:
    location = {"country": row.country, "subdivision": row.subdivision, "place": row.place}
    if row.lat is not None:
        location |= {"lat": row.lat, "lon": row.lon}
    document: dict[str, Any] = {
        "external_id": row.external_id,
        "kind": row.kind,
        "observed_at": row.observed_at,
        "observed_until": row.observed_until,
        "location": location,
        "substances": row.substances,
        "entities": row.entities,
        "count": row.count,
        "narrative": row.narrative,
        "marking": {
            "tlp": row.tlp,
            "recipients": row.recipients,
            "sharing_group": row.sharing_group,
            "users": row.users,
        },
    }
    if row.grading_source is not None:
        document["grading"] = {"source": row.grading_source, "information": row.grading_information}
    return Report.model_validate(document)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class SqlReportRepository:
    def __init__(self, connection: Connection, member_ids: Callable[[str], int]) -> None:
        self._connection = connection
        self._member_ids = member_ids

    def current_versions(
        self, member: str, external_ids: Sequence[str]
    ) -> dict[str, CurrentVersion]:
        member_id = self._member_ids(member)
        r = tables.report
        found: dict[str, CurrentVersion] = {}
        unique = list(dict.fromkeys(external_ids))
        for start in range(0, len(unique), _IN_CHUNK):
            rows = self._connection.execute(
                select(r.c.external_id, r.c.id, r.c.current_version, r.c.content_hash).where(
                    r.c.member_id == member_id,
                    r.c.external_id.in_(unique[start : start + _IN_CHUNK]),
                )
            )
            for external_id, report_id, version, content_hash in rows:
                found[external_id] = CurrentVersion(report_id, version, content_hash)
        return found

    def write(self, member: str, writes: Sequence[ReportWrite], recorded_at: datetime) -> None:
        if not writes:
            return
        member_id = self._member_ids(member)
        latest: dict[str, ReportWrite] = {}
        for write in writes:
            latest[write.report_id] = write  # the last version of each report in this batch
        created = {w.report_id for w in writes if w.version == 1}
        BulkInsert(self._connection, tables.report, HEADER_COLUMNS).execute(
            [
                (
                    w.report_id,
                    member_id,
                    w.external_id,
                    w.version,
                    w.content_hash,
                    recorded_at,
                    recorded_at,
                )
                for w in latest.values()
                if w.report_id in created
            ]
        )
        moved = [
            {
                "b_id": w.report_id,
                "b_version": w.version,
                "b_hash": w.content_hash,
                "b_at": recorded_at,
            }
            for w in latest.values()
            if w.report_id not in created
        ]
        if moved:
            r = tables.report
            self._connection.execute(
                update(r)
                .where(r.c.id == bindparam("b_id"))
                .values(
                    current_version=bindparam("b_version"),
                    content_hash=bindparam("b_hash"),
                    updated_at=bindparam("b_at"),
                ),
                moved,
            )
        BulkInsert(self._connection, tables.report_version, VERSION_COLUMNS).execute(
            [to_version_row(w, recorded_at) for w in writes]
        )
        BulkInsert(self._connection, tables.report_entity, ENTITY_COLUMNS).execute(
            [
                (w.report_id, w.version, position, entity.type.value, entity.normalized)
                for w in writes
                for position, entity in enumerate(w.report.entities)
            ]
        )

    def _select_versions(self) -> Any:
        r, v, m = tables.report, tables.report_version, tables.member
        return (
            select(v, r.c.external_id, m.c.name.label("member"))
            .join(r, r.c.id == v.c.report_id)
            .join(m, m.c.id == r.c.member_id)
        )

    def _to_stored(self, row: Any) -> StoredReport:
        return StoredReport(
            id=row.report_id,
            member=row.member,
            version=row.version,
            recorded_at=_aware(row.recorded_at),
            report=from_version_row(row),
        )

    def get(self, report_id: str) -> StoredReport:
        r, v = tables.report, tables.report_version
        row = self._connection.execute(
            self._select_versions().where(
                and_(v.c.report_id == report_id, v.c.version == r.c.current_version)
            )
        ).first()
        if row is None:
            raise NotFound(f"no report {report_id!r}")
        return self._to_stored(row)

    def get_by_external_id(self, member: str, external_id: str) -> StoredReport:
        r, v = tables.report, tables.report_version
        row = self._connection.execute(
            self._select_versions().where(
                r.c.member_id == self._member_ids(member),
                r.c.external_id == external_id,
                v.c.version == r.c.current_version,
            )
        ).first()
        if row is None:
            raise NotFound(f"no report {external_id!r} of {member!r}")
        return self._to_stored(row)

    def versions(self, report_id: str) -> list[StoredReport]:
        v = tables.report_version
        rows = self._connection.execute(
            self._select_versions().where(v.c.report_id == report_id).order_by(v.c.version)
        )
        stored = [self._to_stored(row) for row in rows]
        if not stored:
            raise NotFound(f"no report {report_id!r}")
        return stored

    def page(self, member: str, after: str | None, limit: int) -> list[StoredReport]:
        """The current versions of a member's reports with ids after `after`, in id order."""
        r, v = tables.report, tables.report_version
        query = self._select_versions().where(
            r.c.member_id == self._member_ids(member), v.c.version == r.c.current_version
        )
        if after is not None:
            query = query.where(r.c.id > after)
        rows = self._connection.execute(query.order_by(r.c.id).limit(limit))
        return [self._to_stored(row) for row in rows]

    def count(self, member: str | None = None) -> int:
        query = select(func.count()).select_from(tables.report)
        if member is not None:
            query = query.where(tables.report.c.member_id == self._member_ids(member))
        return self._connection.execute(query).scalar_one()

    def count_versions(self) -> int:
        query = select(func.count()).select_from(tables.report_version)
        return self._connection.execute(query).scalar_one()
