"""one schema: the shared reference counter and the inbox's message search index together

Revision ID: f1e2d3c4b5a6
Revises: b7c4d1e9f203, e0f1a2b3c4d5
Create Date: 2026-12-02 09:30:00.000000

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "f1e2d3c4b5a6"
down_revision: str | Sequence[str] | None = ("b7c4d1e9f203", "e0f1a2b3c4d5")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
