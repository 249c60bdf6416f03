"""An app on the test database, and staff members with API tokens in each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
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
def app(engine: Engine, settings: Settings) -> FastAPI:
    return create_app(settings, engine=engine, transport=SimulatorTransport())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def make_user(engine: Engine, now):
    def make(role: Role, email: str, phone: str | None = None) -> User:
        with session_scope(engine) as session:
            staff = service.create_staff(
                session=session,
                name=email.split("@")[0].title(),
                email=email,
                role=role,
                phone=phone,
                now=now,
            )
            assert staff.id is not None
            return User(staff.id, issue_token(session, staff_id=staff.id, now=now))

    return make


@pytest.fixture
def admin(make_user) -> User:
    return make_user(Role.admin, "admin@kommune.dk")


@pytest.fixture
def lead(make_user) -> User:
    return make_user(Role.team_lead, "lead@kommune.dk")


@pytest.fixture
def consultant(make_user) -> User:
    return make_user(Role.consultant, "mette@kommune.dk")


@pytest.fixture
def other_consultant(make_user) -> User:
    return make_user(Role.consultant, "jonas@kommune.dk")


@pytest.fixture
def caseworker(make_user) -> User:
    return make_user(Role.caseworker, "sagsbehandler@kommune.dk")
