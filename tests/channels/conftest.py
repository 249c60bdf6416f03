"""Fixtures for the channel tests: the fake Twilio REST API and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

import bot.tables
from bot.channels.twilio_transport import TwilioTransport
from bot.config import Settings
from bot.db import make_engine
from tests.fakes.twilio_api import FakeTwilio, fake_twilio

__all__ = ["fake_twilio"]

FROM_NUMBER = "+4570102030"


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
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture
def twilio_transport(fake_twilio: FakeTwilio) -> Iterator[TwilioTransport]:
    # A short timeout, so a stalled request fails fast in the timeout tests.
    yield TwilioTransport(
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        api_url=fake_twilio.url,
        from_number=FROM_NUMBER,
        timeout_seconds=0.3,
    )


@pytest.fixture
def shared_engine(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """The backend of ``engine``, usable from several threads (SQLite on disk, not in memory)."""
    if engine.dialect.name != "sqlite":
        yield engine
        return
    on_disk = make_engine(f"sqlite:///{tmp_path / 'bot.db'}")
    bot.tables.metadata.create_all(on_disk)
    yield on_disk
    on_disk.dispose()
