"""Fixtures for the inbound pipeline tests: the app with the simulator transport."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings


@pytest.fixture
def transport() -> SimulatorTransport:
    return SimulatorTransport()


@pytest.fixture
def client(engine: Engine, settings: Settings, transport: SimulatorTransport) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, transport=transport)
    with TestClient(app) as test_client:
        yield test_client
