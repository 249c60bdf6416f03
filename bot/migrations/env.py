"""Alembic environment: the models in ``bot.tables`` are the schema.

The URL comes from, in order: a connection handed in by code (``config.attributes["connection"]``),
``-x url=...`` on the command line, ``config.attributes["url"]``, then ``BOT_DATABASE_URL``.
Migrations are rendered in batch mode so that they also work on SQLite, which cannot alter
columns in place.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy.engine import Connection

import bot.tables
from bot.config import get_settings
from bot.db import UTCDateTime, make_engine

config = context.config
target_metadata = bot.tables.metadata


def database_url() -> str:
    x_url = context.get_x_argument(as_dictionary=True).get("url")
    return x_url or config.attributes.get("url") or get_settings().database_url


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    """Write our own column types as ``bot.db.<Type>()`` so migrations import, not inline, them."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import bot.db")
        return "bot.db.UTCDateTime()"
    return False


def configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
    )


def run_offline() -> None:
    context.configure(
        url=database_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    given: Connection | None = config.attributes.get("connection")
    if given is not None:
        configure(given)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(database_url())
    try:
        with engine.connect() as connection:
            configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
