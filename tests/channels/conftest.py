"""Fixtures for the channel tests: the fake Twilio REST API and settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

import bot.tables
from bot.db import make_engine
from tests.fakes.twilio_api import FROM_NUMBER, fake_twilio, twilio_settings, twilio_transport

__all__ = ["FROM_NUMBER", "fake_twilio", "twilio_settings", "twilio_transport"]


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
