from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from sqlalchemy import inspect

from synthwatch.domain.report import parse_report, to_content_hash
from synthwatch.errors import AlreadyExists, NotFound, SchemaOutdated
from synthwatch.service import admin
from synthwatch.service.ports import ReportWrite
from synthwatch.store.database import open_engine
from synthwatch.store.migration import current_revision, ensure_schema, head_revision
from synthwatch.store.tables import metadata
from synthwatch.store.unit_of_work import SqlUnitOfWorkFactory
from tests.factories import MEMBER, add_members, report_document
from tests.strategies import report_documents

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def write(
    store: SqlUnitOfWorkFactory,
    document: dict[str, Any],
    version: int = 1,
    report_id: str | None = None,
) -> str:
    report = parse_report(document)
    report_id = report_id or uuid.uuid4().hex
    with store() as uow:
        uow.reports.write(
            MEMBER,
            [ReportWrite(report_id, report.external_id, version, to_content_hash(report), report)],
            NOW,
        )
        uow.commit()
    return report_id


def test_migrations_build_exactly_the_declared_schema(store: SqlUnitOfWorkFactory) -> None:
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []
    assert current_revision(store.engine) == head_revision()


def test_an_outdated_schema_is_refused_not_guessed(database_url: str) -> None:
    engine = open_engine(database_url)
    ensure_schema(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(SchemaOutdated, match="synthwatch db upgrade"):
        ensure_schema(engine)
    engine.dispose()


def test_an_empty_database_gets_the_schema(database_url: str) -> None:
    engine = open_engine(database_url)
    ensure_schema(engine)
    assert {"member", "report", "report_version", "report_entity", "api_key"} <= set(
        inspect(engine).get_table_names()
    )
    engine.dispose()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=report_documents())
def test_any_valid_report_round_trips_through_the_store_unchanged(
    store: SqlUnitOfWorkFactory, document: dict[str, Any]
) -> None:
    if not _has_members(store):  # the store lives across examples of one test
        add_members(store)
    document = {**document, "external_id": uuid.uuid4().hex}
    report_id = write(store, document)
    with store() as uow:
        stored = uow.reports.get(report_id)
    assert stored.report == parse_report(document)
    assert stored.member == MEMBER
    assert stored.version == 1


def _has_members(store: SqlUnitOfWorkFactory) -> bool:
    with store() as uow:
        return uow.members.count() > 0


def test_a_new_version_keeps_the_old_one(store: SqlUnitOfWorkFactory) -> None:
    add_members(store)
    report_id = write(store, report_document())
    write(store, report_document(count=7), version=2, report_id=report_id)
    with store() as uow:
        current = uow.reports.get(report_id)
        versions = uow.reports.versions(report_id)
        by_external = uow.reports.get_by_external_id(MEMBER, "LAB-2026-0001")
    assert current.version == 2 and current.report.count == 7
    assert [v.report.count for v in versions] == [1, 7]
    assert by_external == current


def test_missing_reports_and_members_are_not_found(store: SqlUnitOfWorkFactory) -> None:
    with store() as uow, pytest.raises(NotFound):
        uow.reports.get("0" * 32)
    with store() as uow, pytest.raises(NotFound):
        uow.members.get("nobody")


def test_uncommitted_work_is_not_stored(store: SqlUnitOfWorkFactory) -> None:
    add_members(store)
    report = parse_report(report_document())
    with store() as uow:
        uow.reports.write(
            MEMBER, [ReportWrite(uuid.uuid4().hex, report.external_id, 1, "h", report)], NOW
        )
        # no commit
    with store() as uow:
        assert uow.reports.count() == 0


def test_member_names_are_unique(store: SqlUnitOfWorkFactory) -> None:
    add_members(store)
    with pytest.raises(AlreadyExists):
        admin.create_member(store, MEMBER, "MX", "forensic_lab")
    assert [m.name for m in admin.list_members(store)].count(MEMBER) == 1
