"""one schema: employer follow-ups and shared phones together

Revision ID: cd8e7f9a4b87
Revises: 7c3e2a4f9d32, 8d4f3b5a0e43
Create Date: 2026-12-02 05:25:39.198881

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "cd8e7f9a4b87"
down_revision: str | Sequence[str] | None = ("7c3e2a4f9d32", "8d4f3b5a0e43")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
