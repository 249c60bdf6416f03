from datetime import timedelta

from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import Direction, Message, MessageStatus
from bot.contacts import service
from bot.db import session_scope


def _seed(engine, now, consultant_id):
    with session_scope(engine) as session:
        citizen = service.create_citizen(
            session=session, name="Amal Hassan", phone="20123456", language="ar", consultant_id=consultant_id, now=now
        )
        session.add(Message(direction=Direction.inbound, phone="+4520123456", body="syg", provider_sid="SM1",
                            status=MessageStatus.processed, created_at=now))
        session.add(Message(direction=Direction.outbound, phone="+4520123456", body="Tak", provider_sid="SM2",
                            status=MessageStatus.delivered, created_at=now + timedelta(seconds=5)))
        session.add(Message(direction=Direction.inbound, phone="+4599999999", body="other",
                            status=MessageStatus.processed, created_at=now))
        return citizen.id


def test_messages_of_one_number_newest_first(client, engine, now, consultant):
    _seed(engine, now, consultant.id)
    response = client.get("/api/v1/messages", params={"phone": "20 12 34 56"}, headers=consultant.headers)
    assert response.status_code == 200
    rows = response.json()
    assert [r["provider_sid"] for r in rows] == ["SM2", "SM1"]
    first = rows[1]
    assert {k: first[k] for k in ("direction", "channel", "phone", "body", "status", "error_code")} == {
        "direction": "inbound", "channel": "sms", "phone": "+4520123456", "body": "syg",
        "status": "processed", "error_code": None,
    }
    assert first["created_at"] == "2026-11-24T07:00:00+00:00"
    with Session(engine) as session:
        audit = session.exec(select(AuditEntry)).all()
    assert [(a.staff_id, a.action, a.subject) for a in audit] == [(consultant.id, "view", "messages:+4520123456")]


def test_a_consultant_cannot_read_another_caseload(client, engine, now, consultant, other_consultant, lead):
    _seed(engine, now, consultant.id)
    assert client.get("/api/v1/messages", params={"phone": "+4520123456"},
                      headers=other_consultant.headers).status_code == 404
    assert client.get("/api/v1/messages", params={"phone": "+4599999999"},
                      headers=consultant.headers).status_code == 404
    assert len(client.get("/api/v1/messages", params={"phone": "+4599999999"}, headers=lead.headers).json()) == 1


def test_phone_is_required_and_must_be_a_number(client, lead):
    missing = client.get("/api/v1/messages", headers=lead.headers)
    assert missing.status_code == 422 and missing.json()["detail"][0]["field"] == "phone"
    bad = client.get("/api/v1/messages", params={"phone": "12"}, headers=lead.headers)
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "phone"
