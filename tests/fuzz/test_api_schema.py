"""schemathesis against the OpenAPI document of /api/v1, with a valid staff token: no 500s, and
every answer matches the documented response schema."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from datetime import UTC, datetime

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

import bot.tables
from bot.api.auth import issue_token
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, Role, Staff
from bot.db import make_engine

NOW = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


def _app_and_token():
    # A database file, not ``sqlite://``: schemathesis runs the app's lifespan, and the inbound
    # worker it starts must not share the one connection an in-memory database has.
    folder = tempfile.mkdtemp(prefix="api-schema-")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    engine = make_engine(f"sqlite:///{folder}/bot.db")
    bot.tables.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as s:
        lead = Staff(name="Lead", email="lead@kommune.dk", role=Role.team_lead)
        s.add(lead)
        s.flush()
        s.add(Citizen(name="Amal", phone="+4520000001", consultant_id=lead.id))
        s.add(Employer(name="Bageriet ApS", cvr="12345678", consultant_id=lead.id))
        token = issue_token(s, staff_id=lead.id, now=NOW)
        s.commit()
    app_settings = Settings(database_url="sqlite://", public_url="https://bot.example.dk", secret_key="test-secret",
                            twilio_auth_token="12345", demo=True, scheduler_enabled=False,
                            _env_file=None)  # type: ignore[call-arg]
    return create_app(app_settings, engine=engine, transport=SimulatorTransport()), token


APP, TOKEN = _app_and_token()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP).include(path_regex="^/api/v1/")


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_answers_500_and_keeps_its_documented_shapes(case):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_a_timestamp_in_year_1_is_a_422():
    from fastapi.testclient import TestClient

    body = {"citizen_id": 1, "kind": "class", "starts_at": "0001-01-01T00:00:00Z", "ends_at": "2000-01-01T00:00:00Z"}
    with TestClient(APP, raise_server_exceptions=False) as client:
        response = client.post("/api/v1/appointments", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 422, response.status_code
