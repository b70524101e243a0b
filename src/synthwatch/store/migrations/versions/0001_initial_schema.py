"""Initial schema: members, users, sharing groups, API keys, versioned reports, entity keys.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 04:06:21.192793
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSONB on PostgreSQL (indexable), JSON text elsewhere; frozen here as of this revision.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "member",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_member")),
        sa.UniqueConstraint("name", name=op.f("uq_member_name")),
    )
    op.create_table(
        "sharing_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_group")),
        sa.UniqueConstraint("name", name=op.f("uq_sharing_group_name")),
    )
    op.create_table(
        "api_key",
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_api_key_member_id_member")
        ),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_api_key")),
    )
    op.create_table(
        "app_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_app_user_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_user")),
        sa.UniqueConstraint("username", name=op.f("uq_app_user_username")),
    )
    op.create_table(
        "report",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"], ["member.id"], name=op.f("fk_report_member_id_member")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("member_id", "external_id", name="uq_report_member_external_id"),
    )
    op.create_table(
        "sharing_group_member",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["sharing_group.id"],
            name=op.f("fk_sharing_group_member_group_id_sharing_group"),
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_sharing_group_member_member_id_member"),
        ),
        sa.PrimaryKeyConstraint("group_id", "member_id", name=op.f("pk_sharing_group_member")),
    )
    op.create_table(
        "report_version",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("observed_at", sa.String(length=40), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("observed_until", sa.String(length=40), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("subdivision", sa.String(length=8), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("tlp", sa.String(length=16), nullable=False),
        sa.Column("recipients", JSON, nullable=False),
        sa.Column("sharing_group", sa.String(length=200), nullable=True),
        sa.Column("users", JSON, nullable=False),
        sa.Column("grading_source", sa.String(length=1), nullable=True),
        sa.Column("grading_information", sa.SmallInteger(), nullable=True),
        sa.Column("substances", JSON, nullable=False),
        sa.Column("entities", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_version_report_id_report"),
        ),
        sa.PrimaryKeyConstraint("report_id", "version", name=op.f("pk_report_version")),
    )
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_version_kind_country_observed_on",
            ["kind", "country", "observed_on"],
            unique=False,
        )

    op.create_table(
        "report_entity",
        sa.Column("report_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("normalized", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id", "version"],
            ["report_version.report_id", "report_version.version"],
            name="fk_report_entity_report_version",
        ),
        sa.PrimaryKeyConstraint("report_id", "version", "position", name=op.f("pk_report_entity")),
    )
    with op.batch_alter_table("report_entity", schema=None) as batch_op:
        batch_op.create_index(
            "ix_report_entity_type_normalized", ["type", "normalized"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("report_entity", schema=None) as batch_op:
        batch_op.drop_index("ix_report_entity_type_normalized")

    op.drop_table("report_entity")
    with op.batch_alter_table("report_version", schema=None) as batch_op:
        batch_op.drop_index("ix_report_version_kind_country_observed_on")

    op.drop_table("report_version")
    op.drop_table("sharing_group_member")
    op.drop_table("report")
    op.drop_table("app_user")
    op.drop_table("api_key")
    op.drop_table("sharing_group")
    op.drop_table("member")
