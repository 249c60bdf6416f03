"""The escalations API: who sees which tickets, replies, visits, outcomes, report, FAQ, metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.api.auth import issue_token
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import Role, Staff
from bot.escalations import faq, partnership, service
from tests.escalations.conftest import Company, make_company
from tests.escalations.helpers import templates


class Users:
    def __init__(self, engine: Engine, company: Company, now: datetime) -> None:
        with Session(engine, expire_on_commit=False) as session:
            other = Staff(name="Ole Dam", email="ole@kommune.dk", phone="+4520000002", role=Role.consultant)
            caseworker = Staff(name="Cas Worker", email="cw@kommune.dk", role=Role.caseworker)
            session.add_all([other, caseworker])
            session.flush()
            self.other_id = other.id or 0

            def bearer(staff_id: int | None) -> dict[str, str]:
                return {"Authorization": f"Bearer {issue_token(session, staff_id=staff_id or 0, now=now)}"}

            self.consultant = bearer(company.consultant.id)
            self.lead = bearer(company.lead.id)
            self.other = bearer(other.id)
            self.caseworker = bearer(caseworker.id)
            session.commit()


@pytest.fixture
def world(
    engine: Engine, settings: Settings, now: datetime
) -> Iterator[tuple[TestClient, Company, Users, int]]:
    with Session(engine, expire_on_commit=False) as session:
        company = make_company(session)
        faq.seed(session, now=now)
        ticket = service.open_ticket(
            session,
            employer_id=company.employer.id or 0,
            contact_id=company.contact.id,
            citizen_id=company.intern.id,
            kind="problem",
            summary="Det fungerer ikke",
            now=now,
            settings=settings,
        )
        session.commit()
    users = Users(engine, company, now)
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with time_machine.travel(now + timedelta(hours=1), tick=False), TestClient(app) as client:
        yield client, company, users, ticket.id or 0


def test_consultant_sees_own_tickets_and_not_others(world: tuple[TestClient, Company, Users, int]) -> None:
    client, company, users, ticket_id = world
    mine = client.get("/api/v1/escalations", headers=users.consultant)
    assert mine.status_code == 200
    [row] = mine.json()
    assert row["reference"] == "V-2026-000001" and row["kind"] == "problem" and row["is_red"] is False
    assert row["response_due_at"] == "2026-11-25T07:00:00+00:00"
    assert client.get("/api/v1/escalations", headers=users.other).json() == []
    assert client.get(f"/api/v1/escalations/{ticket_id}", headers=users.other).status_code == 403
    refused = client.get(f"/api/v1/escalations?assignee_id={company.consultant.id}", headers=users.other)
    assert refused.status_code == 403
    assert client.get("/api/v1/escalations", headers=users.caseworker).status_code == 403
    assert len(client.get("/api/v1/escalations?status=open", headers=users.lead).json()) == 1
    assert client.get("/api/v1/escalations?status=solved", headers=users.lead).json() == []


def test_reply_visit_resolve_through_the_api(
    engine: Engine, world: tuple[TestClient, Company, Users, int]
) -> None:
    client, _, users, ticket_id = world
    answered = client.post(
        f"/api/v1/escalations/{ticket_id}/reply",
        json={"body": "Jeg kommer kl. 13."},
        headers=users.consultant,
    )
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "answered"
    assert answered.json()["first_response_at"] == "2026-11-24T08:00:00+00:00"
    visited = client.post(
        f"/api/v1/escalations/{ticket_id}/visit", json={"note": "Talt med Hanne"}, headers=users.consultant
    )
    assert visited.json()["status"] == "visited"
    resolved = client.post(
        f"/api/v1/escalations/{ticket_id}/resolve", json={"outcome": "solved"}, headers=users.consultant
    )
    assert resolved.json()["status"] == "solved"
    kinds = [event["kind"] for event in resolved.json()["timeline"]]
    assert kinds == ["opened", "consultant_notified", "staff_reply", "visited", "resolved"]
    again = client.post(
        f"/api/v1/escalations/{ticket_id}/resolve", json={"outcome": "closed"}, headers=users.consultant
    )
    assert again.status_code == 409
    with Session(engine) as session:
        assert templates(session, "+4530000001") == ["ticket.staff_reply"]


def test_bad_input_names_the_field(world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, users, ticket_id = world
    empty = client.post(f"/api/v1/escalations/{ticket_id}/reply", json={"body": ""}, headers=users.consultant)
    assert empty.status_code == 422
    assert empty.json()["detail"][0]["field"] == "body"
    outcome = client.post(
        f"/api/v1/escalations/{ticket_id}/resolve", json={"outcome": "happy"}, headers=users.lead
    )
    assert outcome.status_code == 422
    assert outcome.json()["detail"][0]["field"] == "outcome"
    month = client.get("/api/v1/escalations/report?month=2026-13", headers=users.lead)
    assert month.status_code == 422
    assert month.json()["detail"][0]["field"] == "month"
    assert client.get("/api/v1/escalations/999", headers=users.lead).status_code == 404


def test_team_lead_reassigns(engine: Engine, world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, users, ticket_id = world
    refused = client.post(
        f"/api/v1/escalations/{ticket_id}/assign",
        json={"assignee_id": users.other_id},
        headers=users.consultant,
    )
    assert refused.status_code == 403
    moved = client.post(
        f"/api/v1/escalations/{ticket_id}/assign", json={"assignee_id": users.other_id}, headers=users.lead
    )
    assert moved.status_code == 200 and moved.json()["assignee_id"] == users.other_id
    with Session(engine) as session:
        assert templates(session, "+4520000002") == ["ticket.reassigned"]


def test_report_endpoint(world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, users, ticket_id = world
    client.post(f"/api/v1/escalations/{ticket_id}/reply", json={"body": "Ok"}, headers=users.consultant)
    body = client.get("/api/v1/escalations/report?month=2026-11", headers=users.lead).json()
    assert body["month"] == "2026-11"
    assert body["total"]["answered_in_time"] == 1
    assert body["total"]["median_first_response_seconds"] == 3600
    assert client.get("/api/v1/escalations/report?month=2026-11", headers=users.other).json()["rows"] == []


def test_staff_edit_the_faq(world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, users, _ = world
    listed = client.get("/api/v1/escalations/faq", headers=users.consultant).json()
    assert len(listed) >= 15
    wage = next(entry for entry in listed if entry["slug"] == "wage-subsidy-amount")
    assert wage["placeholders"]
    saved = client.put(
        "/api/v1/escalations/faq/wage-subsidy-amount",
        json={
            "topic": "wage_subsidy",
            "questions": wage["questions"],
            "answers": {
                "da": "Tilskuddet aftales med {consultant_name}.",
                "en": "Agree the subsidy with {consultant_name}.",
            },
        },
        headers=users.consultant,
    )
    assert saved.status_code == 200 and saved.json()["placeholders"] == []
    switched_off = client.put(
        "/api/v1/escalations/faq/timesheet",
        json={"questions": {"da": ["Fremmøde?"]}, "answers": {"da": "Skriv her."}, "active": False},
        headers=users.consultant,
    )
    assert switched_off.status_code == 200
    active = client.get("/api/v1/escalations/faq", headers=users.consultant).json()
    assert "timesheet" not in [entry["slug"] for entry in active]
    every = client.get("/api/v1/escalations/faq?include_inactive=true", headers=users.consultant).json()
    assert "timesheet" in [entry["slug"] for entry in every]
    bad = client.put(
        "/api/v1/escalations/faq/x", json={"questions": {}, "answers": {}}, headers=users.consultant
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "slug"


def test_pause_and_resume_a_partnership_is_audited(
    engine: Engine, world: tuple[TestClient, Company, Users, int]
) -> None:
    client, company, users, _ = world
    employer_id = company.employer.id
    paused = client.post(
        f"/api/v1/employers/{employer_id}/pause", json={"reason": "Efter sommer"}, headers=users.consultant
    )
    assert paused.json() == {"employer_id": employer_id, "paused": True}
    client.post(f"/api/v1/employers/{employer_id}/resume", headers=users.consultant)
    with Session(engine) as session:
        actions = [entry.action for entry in partnership.history(session, employer_id=employer_id or 0)]
    assert actions == ["partnership_resumed", "partnership_paused"]
    assert client.post("/api/v1/employers/999/pause", headers=users.lead).status_code == 404


def test_metrics_endpoint(world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, _, _ = world
    response = client.get("/metrics")
    assert response.status_code == 200
    assert 'bot_tickets_open{kind="problem"} 1.0' in response.text


def test_ids_beyond_64_bits_are_refused_not_crashed(world: tuple[TestClient, Company, Users, int]) -> None:
    client, _, users, _ = world
    response = client.get(f"/api/v1/escalations/{2**63}", headers=users.lead)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "ticket_id"
    response = client.get(f"/api/v1/escalations?employer_id={2**63}", headers=users.lead)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "employer_id"
    response = client.post("/api/v1/escalations/1/assign", json={"assignee_id": 2**70}, headers=users.lead)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "assignee_id"


def test_staff_open_a_ticket_for_a_phone_call(
    engine: Engine, world: tuple[TestClient, Company, Users, int]
) -> None:
    client, company, users, _ = world
    body = {
        "employer_id": company.employer.id,
        "contact_id": company.contact.id,
        "kind": "recruitment",
        "summary": "Ringede: vil ansætte to til lageret",
    }
    created = client.post("/api/v1/escalations", json=body, headers=users.consultant)
    assert created.status_code == 201, created.text
    assert created.json()["reference"] == "V-2026-000002"
    assert [e["kind"] for e in created.json()["timeline"]] == [
        "opened",
        "consultant_notified",
        "acknowledged",
    ]
    with Session(engine) as session:
        assert templates(session, "+4530000001") == ["employer.ack"]
    wrong = client.post("/api/v1/escalations", json={**body, "contact_id": 999}, headers=users.consultant)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["field"] == "contact_id"
    kind = client.post("/api/v1/escalations", json={**body, "kind": "gossip"}, headers=users.consultant)
    assert kind.status_code == 422 and kind.json()["detail"][0]["field"] == "kind"
