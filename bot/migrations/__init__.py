"""Schema migrations (Alembic), runnable from code: ``bot db upgrade`` and the tests use these."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """Alembic settings that work from any directory, in a checkout or an installed package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(url: str | None = None, *, connection: Connection | None = None, revision: str = "head") -> None:
    # "head" means every head: schema changes made side by side on branches are all applied
    # (and stay applied once a merge revision joins them).
    command.upgrade(alembic_config(url, connection), "heads" if revision == "head" else revision)
