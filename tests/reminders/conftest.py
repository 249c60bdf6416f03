"""An app on the test database and staff with API tokens, for the reminder API tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.api.auth import issue_token
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts import service
from bot.contacts.models import Role
from bot.db import session_scope


@dataclass(frozen=True)
class User:
    id: int
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
def client(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_user(engine: Engine, now):
    def make(role: Role, email: str) -> User:
        with session_scope(engine) as session:
            staff = service.create_staff(session=session, name=email.split("@")[0].title(), email=email,
                                         role=role, now=now)
            assert staff.id is not None
            return User(staff.id, issue_token(session, staff_id=staff.id, now=now))

    return make
