from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synthwatch.domain.report import (
    Report,
    ReportKind,
    parse_report,
    to_content_hash,
    to_document,
)
from synthwatch.errors import InvalidReport
from tests.factories import report_document
from tests.strategies import report_documents


def problems_of(document: dict[str, Any]) -> dict[str | None, str]:
    with pytest.raises(InvalidReport) as caught:
        parse_report(document)
    return {p.field: p.reason for p in caught.value.problems}


@settings(max_examples=150, deadline=None)
@given(report_documents())
def test_a_valid_report_survives_its_own_document(document: dict[str, Any]) -> None:
    report = parse_report(document)
    again = parse_report(to_document(report))
    assert again == report
    assert to_content_hash(again) == to_content_hash(report)


def test_subdivision_may_be_written_without_its_country_prefix() -> None:
    report = parse_report(report_document(location={"country": "mx", "subdivision": "son"}))
    assert (report.location.country, report.location.subdivision) == ("MX", "MX-SON")


def test_dates_keep_their_precision_and_date_times_become_utc() -> None:
    assert parse_report(report_document(observed_at="2024-05-01")).observed_at == date(2024, 5, 1)
    moment = parse_report(report_document(observed_at="2024-05-01T10:00:00-06:00")).observed_at
    assert moment == datetime(2024, 5, 1, 16, 0, tzinfo=UTC)
    naive = parse_report(report_document(observed_at="2024-05-01T10:00:00")).observed_at
    assert naive == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_phone_without_country_code_takes_the_report_country() -> None:
    report = parse_report(report_document())
    phone = report.entities[0]
    assert (phone.country, phone.normalized) == ("MX", "+526621234567")


def test_normalized_entity_key_cannot_be_forged() -> None:
    document = report_document(
        entities=[{"type": "company", "value": "Acme GmbH", "normalized": "x"}]
    )
    assert parse_report(document).entities[0].normalized == "acme"


def test_content_hash_ignores_input_key_order_but_not_content() -> None:
    document = report_document()
    reordered = dict(reversed(list(document.items())))
    assert to_content_hash(parse_report(document)) == to_content_hash(parse_report(reordered))
    changed = parse_report(report_document(count=2))
    assert to_content_hash(parse_report(document)) != to_content_hash(changed)


@pytest.mark.parametrize(
    ("overrides", "field", "reason_part"),
    [
        ({"location": {"country": "ZZ"}}, "location.country", "unknown ISO 3166-1"),
        (
            {"location": {"country": "US", "subdivision": "US-XX"}},
            "location.subdivision",
            "ISO 3166-2",
        ),
        (
            {"location": {"country": "US", "subdivision": "MX-SON"}},
            "location.subdivision",
            "not in country US",
        ),
        (
            {"location": {"country": "US", "lat": 91, "lon": 0}},
            "location.lat",
            "between -90 and 90",
        ),
        ({"location": {"country": "US", "lat": 10}}, "location", "together"),
        ({"count": -1}, "count", "between 0"),
        ({"count": "12.5"}, "count", "integer"),
        ({"observed_at": "1899-12-31"}, "observed_at", "before 1900"),
        ({"observed_at": "2999-01-01"}, "observed_at", "future"),
        ({"observed_at": "31/12/2020"}, "observed_at", "ISO 8601"),
        ({"observed_until": "2026-01-01"}, None, "before observed_at"),
        ({"kind": "party"}, "kind", "Input should be"),
        ({"marking": {"tlp": "PURPLE"}}, "marking.tlp", "unknown TLP"),
        ({"marking": {"tlp": "GREEN", "recipients": ["X"]}}, "marking", "recipient"),
        ({"marking": {"tlp": "RED"}}, "marking", "users"),
        ({"substances": [{"cas": "79099-07-4"}]}, "substances[0].cas", "check digit"),
        ({"substances": [{"quantity": 3, "unit": "g"}]}, "substances[0]", "at least one of"),
        ({"substances": [{"text": "x", "quantity": 3}]}, "substances[0]", "needs a unit"),
        (
            {"substances": [{"text": "x", "quantity": 3, "unit": "furlong"}]},
            "substances[0].unit",
            "unknown unit",
        ),
        ({"substances": [{"text": "x", "purity": 120}]}, "substances[0].purity", "percentage"),
        ({"substances": []}, None, "at least one substance"),
        ({"entities": [{"type": "phone", "value": "not a phone"}]}, "entities[0].value", ""),
        ({"entities": [{"type": "email", "value": "nobody"}]}, "entities[0].value", ""),
        (
            {"entities": [{"type": "spaceship", "value": "x"}]},
            "entities[0].type",
            "Input should be",
        ),
        ({"narrative": "x" * 100_001}, "narrative", "longer than 100000"),
        ({"narrative": "bell\x07"}, "narrative", "control characters"),
        ({"external_id": "   "}, "external_id", "empty"),
        ({"grading": {"source": "G", "information": 2}}, "grading.source", "Input should be"),
        ({"grading": {"source": "A", "information": 7}}, "grading.information", "Input should be"),
        ({"surprise": 1}, "surprise", "unknown field"),
    ],
)
def test_an_invalid_value_is_rejected_naming_its_field(
    overrides: dict[str, Any], field: str | None, reason_part: str
) -> None:
    problems = problems_of(report_document(**overrides))
    assert field in problems, problems
    assert reason_part in problems[field]


def test_missing_required_fields_are_each_named() -> None:
    problems = problems_of({"narrative": "only this"})
    assert {"external_id", "kind", "observed_at", "location"} <= set(problems)
    assert problems["kind"] == "required"


@settings(max_examples=100, deadline=None)
@given(st.integers(max_value=-1))
def test_any_negative_count_is_rejected_naming_count(count: int) -> None:
    assert "count" in problems_of(report_document(count=count))


@settings(max_examples=100, deadline=None)
@given(st.dates(max_value=date(1899, 12, 31)))
def test_any_date_before_1900_is_rejected_naming_the_date(day: date) -> None:
    assert "observed_at" in problems_of(report_document(observed_at=day.isoformat()))


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=2, max_value=3650))
def test_any_date_more_than_a_day_ahead_is_rejected(days_ahead: int) -> None:
    day = datetime.now(UTC).date() + timedelta(days=days_ahead)
    assert "observed_at" in problems_of(report_document(observed_at=day.isoformat()))


def test_reports_are_immutable() -> None:
    report = parse_report(report_document())
    with pytest.raises(ValueError, match="frozen"):
        report.count = 5  # type: ignore[misc]
    assert isinstance(report, Report)
    assert report.kind is ReportKind.LAB_IDENTIFICATION


def test_report_ids_are_uuid7_and_ordered_by_creation_time() -> None:
    import time
    import uuid

    from synthwatch.domain.report import new_report_id

    first = new_report_id()
    time.sleep(0.002)
    second = new_report_id()
    parsed = uuid.UUID(first)
    assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
    assert first < second
    assert len({new_report_id() for _ in range(10_000)}) == 10_000


def test_negative_zero_has_one_canonical_form() -> None:
    # SQLite stores -0.0 as 0.0; a report must hash alike before and after the store.
    document = report_document(location={"country": "US", "lat": -0.0, "lon": -0.0})
    report = parse_report(document)
    assert str(report.location.lat) == "0.0"
    assert str(report.location.lon) == "0.0"
    assert to_content_hash(report) == to_content_hash(
        parse_report(report_document(location={"country": "US", "lat": 0.0, "lon": 0.0}))
    )
