"""The relational schema. Migrations in `migrations/versions/` build exactly this (a test checks)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

Json = JSON().with_variant(JSONB(), "postgresql")

member = Table(
    "member",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("country", String(2), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

app_user = Table(
    "app_user",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("member.id"), nullable=False),
    Column("username", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sharing_group = Table(
    "sharing_group",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

sharing_group_member = Table(
    "sharing_group_member",
    metadata,
    Column("group_id", Integer, ForeignKey("sharing_group.id"), primary_key=True),
    Column("member_id", Integer, ForeignKey("member.id"), primary_key=True),
)

api_key = Table(
    "api_key",
    metadata,
    Column("key_id", String(32), primary_key=True),
    Column("member_id", Integer, ForeignKey("member.id"), nullable=False),
    Column("role", String(16), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

# One row per logical report: the member's id for it and which version is current.
report = Table(
    "report",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("member_id", Integer, ForeignKey("member.id"), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("current_version", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("member_id", "external_id", name="uq_report_member_external_id"),
)

# Every version ever stored; a changed report adds a row and never rewrites an old one.
report_version = Table(
    "report_version",
    metadata,
    Column("report_id", String(32), ForeignKey("report.id"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("content_hash", String(64), nullable=False),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("observed_at", String(40), nullable=False),
    Column("observed_on", Date, nullable=False),
    Column("observed_until", String(40)),
    Column("country", String(2), nullable=False),
    Column("subdivision", String(8)),
    Column("place", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("count", BigInteger, nullable=False),
    Column("narrative", Text, nullable=False),
    Column("tlp", String(16), nullable=False),
    Column("recipients", Json, nullable=False),
    Column("sharing_group", String(200)),
    Column("users", Json, nullable=False),
    Column("grading_source", String(1)),
    Column("grading_information", SmallInteger),
    Column("substances", Json, nullable=False),
    Column("entities", Json, nullable=False),
    Index("ix_report_version_kind_country_observed_on", "kind", "country", "observed_on"),
)

# Normalised entity keys of every version, for correlation across members.
report_entity = Table(
    "report_entity",
    metadata,
    Column("report_id", String(32), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("type", String(32), nullable=False),
    Column("normalized", String(1000), nullable=False),
    ForeignKeyConstraint(
        ["report_id", "version"],
        ["report_version.report_id", "report_version.version"],
        name="fk_report_entity_report_version",
    ),
    Index("ix_report_entity_type_normalized", "type", "normalized"),
)
