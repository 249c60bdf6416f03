"""one schema: the inbox and the translator role together

Revision ID: a0b1c2d3e4f5
Revises: ef0a9b1c6d09, fa1b0c2d7e10
Create Date: 2026-12-02 05:52:20.565730

"""

from collections.abc import Sequence

# revision identifiers, used by Alembic.
revision: str = "a0b1c2d3e4f5"
down_revision: str | Sequence[str] | None = ("ef0a9b1c6d09", "fa1b0c2d7e10")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
