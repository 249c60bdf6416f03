"""A citizen's access request (JSON export) and erasure, each with an audit entry."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import Message, MessageStatus
from bot.contacts.models import Citizen, Role, Staff
from bot.conversations.models import Conversation
from bot.privacy.service import ERASED_NAME, erase_citizen, export_citizen
from tests.privacy.conftest import add_citizen, add_inbound, add_outbound, days_ago


def _staff(s: Session) -> Staff:
    staff = Staff(name="Admin", email="admin@kommune.dk", role=Role.admin)
    s.add(staff)
    s.flush()
    return staff


def test_export_holds_the_citizens_messages_and_records_but_no_secrets(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        admin = _staff(s)
        amina = add_citizen(s)
        other = add_citizen(s, name="Other", phone="+4520999999")
        add_inbound(s, citizen=amina, phone="+4520123456", body="Jeg er syg", at=now, sid="SM1")
        # Sent before the number was registered: found by phone.
        add_inbound(s, citizen=None, phone="+4520123456", body="hej", at=days_ago(now, 3), sid="SM0")
        add_outbound(s, citizen=amina, at=now)
        add_inbound(s, citizen=other, phone="+4520999999", body="ikke din", at=now, sid="SM9")
        s.add(Conversation(phone="+4520123456", contact_kind="citizen", contact_id=amina.id,
                           flow="sick", state={"step": "ask_days"}))
        s.commit()
        exported = export_citizen(s, citizen_id=amina.id, staff_id=admin.id, now=now, address="10.0.0.1")
        s.commit()
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "privacy.export")).one()
    text = json.dumps(exported, ensure_ascii=False)
    assert exported["citizen"]["name"] == "Amina Hassan"
    assert "calendar_token" not in exported["citizen"] and "cal-secret" not in text
    bodies = {m["body"] for m in exported["messages"]}
    assert {"Jeg er syg", "hej"} <= bodies and "ikke din" not in bodies
    assert exported["conversation"]["state"] == {"step": "ask_days"}
    assert isinstance(exported["records"], dict)
    assert entry.staff_id == admin.id and entry.subject == f"citizen:{amina.id}"
    assert entry.address == "10.0.0.1"


def test_export_of_an_unknown_citizen_says_so(engine, now):
    with Session(engine) as s, pytest.raises(LookupError, match="citizen 999"):
        export_citizen(s, citizen_id=999, staff_id=None, now=now)


def test_erasure_removes_identity_and_content_and_keeps_the_ledger(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        admin = _staff(s)
        amina = add_citizen(s)
        other = add_citizen(s, name="Other", phone="+4520999999")
        add_inbound(s, citizen=amina, phone="+4520123456", body="Jeg er syg", at=now, sid="SM1")
        queued = add_outbound(s, citizen=amina, at=now, status=MessageStatus.queued)
        add_inbound(s, citizen=other, phone="+4520999999", body="ikke din", at=now, sid="SM9")
        s.add(Conversation(phone="+4520123456", contact_kind="citizen", contact_id=amina.id))
        s.commit()
        admin_id, amina_id, other_id, queued_id = admin.id, amina.id, other.id, queued.id
        result = erase_citizen(s, citizen_id=amina_id, staff_id=admin_id, now=now)
        s.commit()
        s.expire_all()
        citizen = s.get(Citizen, amina_id)
        mine = s.exec(select(Message).where(Message.contact_id == amina_id)).all()
        others = s.exec(select(Message).where(Message.contact_id == other_id)).all()
        conversation = s.exec(select(Conversation)).first()
        entry = s.exec(select(AuditEntry).where(AuditEntry.action == "privacy.erase")).one()
        try:
            from bot.channels import ledger
        except ImportError:
            ledger = None
        broken = ledger.verify(s) if ledger else None
    assert result.identity_erased and not result.held and result.messages_erased == 2
    assert citizen.name == ERASED_NAME and citizen.phone is None and citizen.opted_out
    assert all(m.body is None and m.erased_at == now for m in mine)
    assert {m.id: m.status for m in mine}[queued_id] == MessageStatus.cancelled
    assert [m.body for m in others] == ["ikke din"]
    assert conversation is None
    assert entry.staff_id == admin_id and entry.details["messages_erased"] == 2
    assert broken is None
