"""the inbox search's index on message texts (SQLite)

Revision ID: e0f1a2b3c4d5
Revises: a0b1c2d3e4f5
Create Date: 2026-12-02 07:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "e0f1a2b3c4d5"
down_revision: str | Sequence[str] | None = "a0b1c2d3e4f5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite only (``bot.inbox.indexes``): PostgreSQL cannot hold long texts in a B-tree.
    if op.get_bind().dialect.name == "sqlite":
        op.create_index(
            "ix_message_text", "message", ["phone", "created_at", "body"],
            sqlite_where=sa.text("body IS NOT NULL"),
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_message_text", table_name="message")
