"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL.

This goes red when a model changes without a new migration: run
``alembic -x url=sqlite:///./data/new.db revision --autogenerate -m "<what changed>"``.
"""

from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

import bot.tables
from bot.db import make_engine
from bot.migrations import upgrade

PG_URL = os.environ.get("BOT_TEST_DATABASE_URL", "")
SCHEMA = f"migrations_{os.getpid()}"


def _for_this_database(dialect: str):
    """An index the models make for one database only (``ddl_if``) is compared only on it."""

    def include(obj, _name, type_, _reflected, _compare_to):
        made_for = getattr(getattr(obj, "_ddl_if", None), "dialect", None)
        return type_ != "index" or made_for is None or made_for == dialect

    return include


def assert_matches_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _for_this_database(engine.dialect.name)},
        )
        differences = compare_metadata(context, bot.tables.metadata)
    assert differences == [], "the models changed without a migration: " + repr(differences)[:2000]


def test_upgrade_head_on_an_empty_sqlite_file(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgrade(url)
    engine = make_engine(url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"alembic_version", "citizen", "staff", "message", "employer"} <= tables
        assert_matches_models(engine)
        upgrade(url)  # a second run is a no-op
    finally:
        engine.dispose()


@pytest.mark.skipif(not PG_URL, reason="BOT_TEST_DATABASE_URL not set")
def test_upgrade_head_on_a_fresh_postgresql_schema():
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {SCHEMA}"))
    engine = make_engine(PG_URL, schema=SCHEMA)
    try:
        with engine.begin() as connection:
            upgrade(connection=connection)
        assert "citizen" in inspect(engine).get_table_names(schema=SCHEMA)
        assert_matches_models(engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        admin.dispose()


def test_the_migrations_end_in_one_head() -> None:
    """Two changes made side by side each add a migration; a merge revision joins them, so
    `alembic upgrade head` means one schema everywhere."""
    from alembic.script import ScriptDirectory

    from bot.migrations import alembic_config

    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"several heads, join them with a merge revision: {heads}"
