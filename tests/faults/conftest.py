"""Fixtures for the fault tests: the fake Twilio REST API and a Twilio transport pointed at it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text

import bot.tables
from bot.channels.twilio_transport import TwilioTransport
from bot.config import Settings
from bot.db import make_engine
from tests.conftest import PG_URL
from tests.fakes.twilio_api import FakeTwilio, fake_twilio

__all__ = ["fake_twilio"]

FROM_NUMBER = "+4570200000"


@pytest.fixture
def twilio_settings(fake_twilio: FakeTwilio) -> Settings:
    return Settings(
        database_url="sqlite://",
        sms_transport="twilio",
        twilio_account_sid=fake_twilio.account_sid,
        twilio_auth_token=fake_twilio.auth_token,
        twilio_api_url=fake_twilio.url,
        twilio_from_number=FROM_NUMBER,
        public_url="https://bot.example.dk",
        secret_key="test-secret",
        demo=True,
        scheduler_enabled=False,
        send_max_attempts=6,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def twilio_transport(fake_twilio: FakeTwilio) -> TwilioTransport:
    # A short client timeout, so a stalled Twilio costs the test a fraction of a second.
    return TwilioTransport(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        api_url=fake_twilio.url,
        from_number=FROM_NUMBER,
        timeout_seconds=0.3,
    )


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
