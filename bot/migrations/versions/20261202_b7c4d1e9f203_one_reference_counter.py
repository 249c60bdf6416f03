"""one reference counter: ticket numbers join the counter every other reference uses

Revision ID: b7c4d1e9f203
Revises: a0b1c2d3e4f5
Create Date: 2026-12-02 07:20:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "b7c4d1e9f203"
down_revision: str | Sequence[str] | None = "a0b1c2d3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Each year's last ticket number moves to the key "V-<year>", so the next ticket continues
    # the year's sequence instead of starting again at 1. A year that (somehow) already has a
    # row keeps the larger of the two.
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT year, last FROM ticket_sequence")).all()
    for year, last in rows:
        key = f"V-{year}"
        current = bind.execute(
            sa.text("SELECT last FROM reference_counter WHERE key = :key"), {"key": key}
        ).scalar()
        if current is None:
            bind.execute(sa.text("INSERT INTO reference_counter (key, last) VALUES (:key, :last)"),
                         {"key": key, "last": last})
        elif current < last:
            bind.execute(sa.text("UPDATE reference_counter SET last = :last WHERE key = :key"),
                         {"key": key, "last": last})
    op.drop_table("ticket_sequence")


def downgrade() -> None:
    op.create_table(
        "ticket_sequence",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_ticket_sequence")),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT key, last FROM reference_counter WHERE key LIKE 'V-%'")).all()
    for key, last in rows:
        bind.execute(sa.text("INSERT INTO ticket_sequence (year, last) VALUES (:year, :last)"),
                     {"year": int(key[2:]), "last": last})
    bind.execute(sa.text("DELETE FROM reference_counter WHERE key LIKE 'V-%'"))
