"""Legal hold: an open hearing case keeps the citizen's messages and sick notices."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen, Role, Staff
from bot.hearings.models import HearingCase, HearingDocument, HearingStatus
from bot.privacy.service import erase_citizen, erase_expired
from bot.sick_notices.models import SickNotice
from tests.privacy.conftest import add_citizen, add_inbound, days_ago


def _case(s: Session, citizen: Citizen, staff: Staff, now, status=HearingStatus.awaiting_remarks):
    case = HearingCase(reference=f"H-{citizen.id}-{status.value}", citizen_id=citizen.id, status=status,
                       opened_by_id=staff.id, opened_at=now, period_from=date(2024, 9, 1),
                       period_to=date(2024, 9, 30), reply_deadline=now + timedelta(days=7))
    s.add(case)
    s.flush()
    return case


def _notice(s: Session, citizen: Citizen, at, ref: str) -> SickNotice:
    notice = SickNotice(reference=ref, citizen_id=citizen.id, received_at=at,
                        starts_on=at.date(), text="feber og hovedpine")
    s.add(notice)
    s.flush()
    return notice


def _setup(s: Session, now):
    staff = Staff(name="Sagsbehandler", email="sb@kommune.dk", role=Role.caseworker)
    s.add(staff)
    s.flush()
    held = add_citizen(s, name="Held", phone="+4520111111")
    free = add_citizen(s, name="Free", phone="+4520222222")
    closed = add_citizen(s, name="Closed", phone="+4520333333")
    old = days_ago(now, 800)
    for citizen in (held, free, closed):
        add_inbound(s, citizen=citizen, phone=citizen.phone, body="syg i dag", at=old, sid=f"SM{citizen.id}")
        _notice(s, citizen, old, f"S-{citizen.id}")
    case = _case(s, held, staff, now)
    _case(s, closed, staff, now, status=HearingStatus.decided)
    # An employer's old message attached to the open case as documentation.
    employer_msg = Message(direction="inbound", phone="+4530999999", contact_kind=ContactKind.employer_contact,
                           contact_id=1, body="Hun kom ikke", status="processed", created_at=old,
                           provider_sid="SMemp")
    s.add(employer_msg)
    s.flush()
    s.add(HearingDocument(case_id=case.id, source="company", description="SMS fra virksomheden",
                          received_at=old, message_id=employer_msg.id))
    s.commit()
    return staff, held, free, closed, employer_msg


def test_retention_skips_everything_held_by_an_open_hearing_case(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        _staff, held, free, closed, employer_msg = _setup(s, now)
        ids = {"held": held.id, "free": free.id, "closed": closed.id}
        result = erase_expired(s, now=now, retention_days=730)
        s.commit()
        bodies = {m.contact_id: m.body for m in s.exec(
            select(Message).where(Message.contact_kind == ContactKind.citizen)).all()}
        texts = {n.citizen_id: n.text for n in s.exec(select(SickNotice)).all()}
        employer_body = s.get(Message, employer_msg.id).body
    assert bodies[ids["held"]] == "syg i dag"
    assert bodies[ids["free"]] is None and bodies[ids["closed"]] is None
    assert texts[ids["held"]] == "feber og hovedpine"
    assert texts[ids["free"]] is None and texts[ids["closed"]] is None
    assert employer_body == "Hun kom ikke"
    assert result.held_messages == 2 and result.records_erased == 2


def test_erasure_is_refused_while_a_hearing_case_is_open_and_audited(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        staff, held, _free, _closed, _ = _setup(s, now)
        held_id, staff_id = held.id, staff.id
        result = erase_citizen(s, citizen_id=held_id, staff_id=staff_id, now=now)
        s.commit()
        s.expire_all()
        citizen = s.get(Citizen, held_id)
        notice = s.exec(select(SickNotice).where(SickNotice.citizen_id == held_id)).one()
        entry = s.exec(select(AuditEntry)).one()
    assert result.held and not result.identity_erased and result.messages_erased == 0
    assert citizen.name == "Held" and citizen.phone == "+4520111111"
    assert notice.text == "feber og hovedpine"
    assert entry.action == "privacy.erase_refused_hold" and entry.staff_id == staff_id


def test_erasure_clears_sick_notice_text_but_keeps_the_notice(engine, now):
    with Session(engine, expire_on_commit=False) as s:
        staff, _held, free, _closed, _ = _setup(s, now)
        free_id = free.id
        result = erase_citizen(s, citizen_id=free_id, staff_id=staff.id, now=now)
        s.commit()
        notice = s.exec(select(SickNotice).where(SickNotice.citizen_id == free_id)).one()
    assert result.records_erased == 1 and result.identity_erased
    assert notice.text is None and notice.reference == f"S-{free_id}"
