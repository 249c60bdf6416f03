"""Fixtures for the fault tests: the fake Twilio REST API and a Twilio transport pointed at it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text

import bot.tables
from bot.db import make_engine
from tests.conftest import PG_URL
from tests.fakes.twilio_api import FROM_NUMBER, fake_twilio, twilio_settings, twilio_transport

__all__ = ["FROM_NUMBER", "fake_twilio", "twilio_settings", "twilio_transport"]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose connections use a schema of their own, with every table."""
    schema = f"faults_{os.getpid()}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{PG_URL}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    bot.tables.metadata.create_all(engine)
    engine.dispose()
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
    admin.dispose()
