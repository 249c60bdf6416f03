"""The translator role, and whether a hearing letter went out with a draft translation.

On PostgreSQL the role is an enum type named ``role``: a new value needs ``ALTER TYPE``. On
SQLite it is a VARCHAR(10) without a check constraint, and ``translator`` is ten letters, so
nothing changes there. PostgreSQL cannot drop an enum value, so the downgrade leaves it.

Revision ID: fa1b0c2d7e10
Revises: cd8e7f9a4b87
Create Date: 2026-12-02 05:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "fa1b0c2d7e10"
down_revision: str | Sequence[str] | None = "cd8e7f9a4b87"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TYPE role ADD VALUE IF NOT EXISTS 'translator'")
    with op.batch_alter_table("hearing_case") as batch:
        batch.add_column(sa.Column("letter_draft", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("hearing_case") as batch:
        batch.drop_column("letter_draft")
