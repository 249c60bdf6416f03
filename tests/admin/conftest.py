"""Fixtures for the admin panel: the real app over HTTP, staff of every role, signed-in clients."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime

import pytest
import time_machine
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.app import create_app
from bot.auth.passwords import hash_password
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff

PASSWORD = "correct horse battery"
_hash: list[str] = []


def password_hash() -> str:
    """One argon2 hash for every test (hashing is slow on purpose)."""
    if not _hash:
        _hash.append(hash_password(PASSWORD))
    return _hash[0]


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF_RE.search(html)
    assert found, "page has no CSRF token"
    return found.group(1)


@pytest.fixture
def clock(now: datetime) -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(now, tick=False) as traveller:
        yield traveller


@pytest.fixture
def app(settings: Settings, engine: Engine, clock: time_machine.Coordinates) -> FastAPI:
    return create_app(settings, engine=engine, transport=SimulatorTransport())


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def make_staff(db: Session) -> Callable[..., Staff]:
    def make(role: Role, email: str | None = None, name: str | None = None) -> Staff:
        staff = Staff(
            name=name or f"{role.value.title()} Person",
            email=email or f"{role.value}@kommune.dk",
            role=role,
            password_hash=password_hash(),
        )
        db.add(staff)
        db.commit()
        return staff

    return make


def anonymous(app: FastAPI) -> TestClient:
    # https, so the Secure session cookie is sent back (public_url is https in the settings).
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text), "next": "/admin/"},
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def login(app: FastAPI) -> Callable[[Staff], TestClient]:
    def make(staff: Staff) -> TestClient:
        return sign_in(anonymous(app), staff.email)

    return make


@pytest.fixture
def world(db: Session, make_staff: Callable[..., Staff]) -> dict[str, object]:
    """Two consultants with a citizen and a company each, and one of every other role."""
    anna = make_staff(Role.consultant, "anna@kommune.dk", "Anna Consultant")
    bo = make_staff(Role.consultant, "bo@kommune.dk", "Bo Consultant")
    people: dict[str, object] = {
        "anna": anna,
        "bo": bo,
        "caseworker": make_staff(Role.caseworker),
        "benefits": make_staff(Role.benefits),
        "lead": make_staff(Role.team_lead),
        "admin": make_staff(Role.admin),
    }
    amal = Citizen(name="Amal Hassan", phone="+4520000001", language="ar", consultant_id=anna.id)
    bashir = Citizen(name="Bashir Ahmadi", phone="+4520000002", language="fa", consultant_id=bo.id)
    bakery = Employer(name="Bageriet ApS", consultant_id=anna.id)
    dock = Employer(name="Havnen A/S", consultant_id=bo.id)
    db.add_all([amal, bashir, bakery, dock])
    db.commit()
    assert bakery.id is not None and dock.id is not None
    baker = EmployerContact(employer_id=bakery.id, name="Mette Bager", phone="+4530000001")
    docker = EmployerContact(employer_id=dock.id, name="Ole Havn", phone="+4530000002")
    db.add_all([baker, docker])
    db.commit()
    people.update(amal=amal, bashir=bashir, bakery=bakery, dock=dock, baker=baker, docker=docker)
    # Detached: reading their fields never opens a transaction on the shared in-memory database.
    db.expunge_all()
    return people


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Remember each phase's outcome on the test, so browser fixtures can screenshot failures."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
