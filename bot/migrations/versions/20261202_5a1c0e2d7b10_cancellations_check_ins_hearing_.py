"""cancellations, check-ins, hearing overrides, preferences

Revision ID: 5a1c0e2d7b10
Revises: 4d1ef8a84a96
Create Date: 2026-12-02 04:13:39.082374

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import bot.db

# revision identifiers, used by Alembic.
revision: str = "5a1c0e2d7b10"
down_revision: str | Sequence[str] | None = "4d1ef8a84a96"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A cancellation sets a provisional outcome of its own; SQLite stores the enum as text.
        op.execute("ALTER TYPE outcomesource ADD VALUE IF NOT EXISTS 'cancellation'")
    op.create_table(
        "preference",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("updated_at", bot.db.UTCDateTime(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["staff.id"], name=op.f("fk_preference_updated_by_id_staff")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_preference")),
    )
    op.create_table(
        "cancellation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("received_at", bot.db.UTCDateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.Column("receipt_message_id", sa.Integer(), nullable=True),
        sa.Column("sick_notice_id", sa.Integer(), nullable=True),
        sa.Column("may_mean", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"], ["appointment.id"], name=op.f("fk_cancellation_appointment_id_appointment")
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_cancellation_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"], ["message.id"], name=op.f("fk_cancellation_inbound_message_id_message")
        ),
        sa.ForeignKeyConstraint(
            ["receipt_message_id"], ["message.id"], name=op.f("fk_cancellation_receipt_message_id_message")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["staff.id"], name=op.f("fk_cancellation_recorded_by_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["sick_notice_id"], ["sick_notice.id"], name=op.f("fk_cancellation_sick_notice_id_sick_notice")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cancellation")),
    )
    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cancellation_appointment_id"), ["appointment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancellation_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancellation_received_at"), ["received_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_cancellation_reference"), ["reference"], unique=True)

    with op.batch_alter_table("hearing_absence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("override_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("overridden_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_hearing_absence_overridden_by_id_staff"), "staff", ["overridden_by_id"], ["id"]
        )

    with op.batch_alter_table("sick_notice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("checked_in_on", sa.Date(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table("sick_notice", schema=None) as batch_op:
        batch_op.drop_column("checked_in_on")

    with op.batch_alter_table("hearing_absence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_hearing_absence_overridden_by_id_staff"), type_="foreignkey")
        batch_op.drop_column("overridden_by_id")
        batch_op.drop_column("override_reason")

    with op.batch_alter_table("cancellation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cancellation_reference"))
        batch_op.drop_index(batch_op.f("ix_cancellation_received_at"))
        batch_op.drop_index(batch_op.f("ix_cancellation_citizen_id"))
        batch_op.drop_index(batch_op.f("ix_cancellation_appointment_id"))

    op.drop_table("cancellation")
    op.drop_table("preference")
