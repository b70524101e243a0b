"""Reports: what a member saw (a seizure, a lab identification, an overdose ...), where, when, and who may see it."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from synthwatch.domain.entity import EntityType, normalize_entity_value
from synthwatch.domain.grading import Grading
from synthwatch.domain.location import Location, to_country_code
from synthwatch.domain.marking import DEFAULT_MARKING, Marking
from synthwatch.domain.substance import SubstanceMention
from synthwatch.domain.text import check_name, check_text
from synthwatch.errors import FieldProblem, InvalidReport

EARLIEST_DATE = date(1900, 1, 1)
# Clocks and time zones differ between members: a report may be dated up to a day ahead.
FUTURE_TOLERANCE = timedelta(days=1)
MAX_COUNT = 1_000_000_000
MAX_NARRATIVE = 100_000
MAX_MENTIONS = 1_000


class ReportKind(StrEnum):
    """What was observed."""

    SEIZURE = "seizure"
    LAB_IDENTIFICATION = "lab_identification"
    DRUG_CHECK = "drug_check"
    OVERDOSE = "overdose"
    SHIPMENT = "shipment"
    ORDER = "order"
    INCIDENT = "incident"


# Kinds whose whole point is a substance: they must name at least one.
KINDS_NEEDING_SUBSTANCE = frozenset(
    {ReportKind.SEIZURE, ReportKind.LAB_IDENTIFICATION, ReportKind.DRUG_CHECK}
)


def to_moment(value: object) -> object:
    """Read an ISO 8601 date ("2024-05-01") as a date and a date-time as an aware UTC date-time.

    A date-time without an offset is taken as UTC; dates stay dates, so the precision a member
    gave is kept.
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value
    elif isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return date.fromisoformat(text)
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(f"not an ISO 8601 date or date-time: {value!r}") from None
    else:
        return value
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


Moment = Annotated[date | datetime, BeforeValidator(to_moment)]


def _day_of(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


@lru_cache(maxsize=65536)
def _normalized_entity(entity_type: EntityType, value: str, country: str | None) -> str:
    # Cached: the same phone or company recurs across thousands of reports of one file.
    return normalize_entity_value(entity_type, value, default_region=country)


class EntityMention(BaseModel):
    """A person, company, phone, address ... named in a report, with the key it correlates on."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    type: EntityType
    country: str | None = None
    value: str
    normalized: str = Field(default="", validate_default=True)

    @field_validator("country")
    @classmethod
    def _check_country(cls, value: str | None) -> str | None:
        return to_country_code(value) if value is not None and value.strip() else None

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str, info: ValidationInfo) -> str:
        value = check_text(value.strip(), max_length=1000, single_line=True)
        entity_type = info.data.get("type")
        if isinstance(entity_type, EntityType):
            _normalized_entity(entity_type, value, info.data.get("country"))
        return value

    @field_validator("normalized")
    @classmethod
    def _derive_normalized(cls, _: str, info: ValidationInfo) -> str:
        # Always derived from the value, whatever was supplied, so the key cannot be forged.
        entity_type, value = info.data.get("type"), info.data.get("value")
        if not isinstance(entity_type, EntityType) or not isinstance(value, str):
            return ""
        return _normalized_entity(entity_type, value, info.data.get("country"))


class Report(BaseModel):
    """One observation by a member: kind, time, place, substances, entities, count and marking."""

    model_config = ConfigDict(frozen=True, extra="forbid", coerce_numbers_to_str=True)

    external_id: str
    kind: ReportKind
    observed_at: Moment
    observed_until: Moment | None = None
    location: Location
    substances: tuple[SubstanceMention, ...] = ()
    entities: tuple[EntityMention, ...] = ()
    count: int = 1
    narrative: str = ""
    marking: Marking = DEFAULT_MARKING
    grading: Grading | None = None

    @field_validator("external_id")
    @classmethod
    def _check_external_id(cls, value: str) -> str:
        return check_name(value, max_length=200)

    @field_validator("observed_at", "observed_until")
    @classmethod
    def _check_moment(cls, value: date | datetime | None) -> date | datetime | None:
        if value is None:
            return None
        day = _day_of(value)
        if day < EARLIEST_DATE:
            raise ValueError(f"{day.isoformat()} is before {EARLIEST_DATE.isoformat()}")
        if isinstance(value, datetime):
            if value > datetime.now(UTC) + FUTURE_TOLERANCE:
                raise ValueError(f"{value.isoformat()} is in the future")
        elif day > (datetime.now(UTC) + FUTURE_TOLERANCE).date():
            raise ValueError(f"{day.isoformat()} is in the future")
        return value

    @field_validator("count")
    @classmethod
    def _check_count(cls, value: int) -> int:
        if not 0 <= value <= MAX_COUNT:
            raise ValueError(f"must be between 0 and {MAX_COUNT}")
        return value

    @field_validator("narrative")
    @classmethod
    def _check_narrative(cls, value: str) -> str:
        return check_text(value, max_length=MAX_NARRATIVE)

    @field_validator("substances", "entities")
    @classmethod
    def _check_mentions(cls, value: tuple[object, ...]) -> tuple[object, ...]:
        if len(value) > MAX_MENTIONS:
            raise ValueError(f"more than {MAX_MENTIONS} items")
        return value

    @model_validator(mode="before")
    @classmethod
    def _phones_default_to_report_country(cls, data: Any) -> Any:
        # A phone written without +country code belongs to the country of the report.
        if not isinstance(data, dict):
            return data
        entities, location = data.get("entities"), data.get("location")
        country = location.get("country") if isinstance(location, dict) else None
        if isinstance(location, Location):
            country = location.country
        if not isinstance(entities, list | tuple) or not isinstance(country, str):
            return data
        try:
            code = to_country_code(country)
        except ValueError:
            return data
        filled = [
            {**e, "country": code}
            if isinstance(e, dict) and e.get("type") == EntityType.PHONE and not e.get("country")
            else e
            for e in entities
        ]
        return {**data, "entities": filled}

    @model_validator(mode="after")
    def _check_whole(self) -> Report:
        if self.observed_until is not None and _day_of(self.observed_until) < _day_of(
            self.observed_at
        ):
            raise ValueError("observed_until is before observed_at")
        if self.kind in KINDS_NEEDING_SUBSTANCE and not self.substances:
            raise ValueError(f"a {self.kind.value} report must name at least one substance")
        return self


class StoredReport(BaseModel):
    """A report as the node holds it: its id, owner, version and when this version was recorded."""

    model_config = ConfigDict(frozen=True)

    id: str
    member: str
    version: int
    recorded_at: datetime
    report: Report


def new_report_id() -> str:
    """A fresh report id: a UUID version 7 (RFC 9562) in hex, ordered by creation time.

    Time order keeps the database's primary-key indexes appending instead of splitting pages at
    random, which random (version 4) ids do as a table grows to millions of reports.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis & (2**48 - 1)) << 80 | secrets.randbits(80)
    value = (value & ~(0xF << 76)) | (0x7 << 76)  # version 7
    value = (value & ~(0x3 << 62)) | (0x2 << 62)  # RFC 9562 variant
    return f"{value:032x}"


def to_field_path(loc: tuple[int | str, ...]) -> str | None:
    """Turn a pydantic error location into the dotted path users see: ("entities", 2, "value") → entities[2].value."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part.startswith("function-") or part in {"date", "datetime"}:
            continue  # validator and union branch names are not fields
        else:
            path += f".{part}" if path else part
    return path or None


def to_problems(error: ValidationError) -> list[FieldProblem]:
    """Located, readable problems from a pydantic error: one per broken rule."""
    problems = []
    for item in error.errors(include_url=False):
        if item["type"] == "value_error":
            reason = str(item["ctx"]["error"])
        elif item["type"] == "missing":
            reason = "required"
        elif item["type"] == "extra_forbidden":
            reason = "unknown field"
        else:
            reason = item["msg"]
        problems.append(FieldProblem(to_field_path(tuple(item["loc"])), reason))
    return problems


def parse_report(data: object) -> Report:
    """Validate a report given as plain data (decoded JSON).

    Raises:
        InvalidReport: with one located problem per broken rule.
    """
    try:
        return Report.model_validate(data)
    except ValidationError as error:
        raise InvalidReport(to_problems(error)) from None


def to_document(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data, the form that is hashed, stored and exchanged."""
    return report.model_dump(mode="json", exclude_none=True)


def to_content_hash(report: Report) -> str:
    """A fingerprint of a report's content, to tell an unchanged re-load from a changed one.

    The JSON follows the model's field order, so equal reports give equal bytes whatever order
    their input came in.
    """
    return hashlib.sha256(report.model_dump_json(exclude_none=True).encode()).hexdigest()
