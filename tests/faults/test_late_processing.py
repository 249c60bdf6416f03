"""A message processed late (Twilio retried it after a crash, after the citizen wrote again) is
answered and linked as itself: its sick notice points at it and its receipt replies to it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot import wiring
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Message, SignatureVerdict
from bot.contacts.models import Citizen
from bot.conversations.pipeline import process_inbound
from bot.sick_notices.models import SickNotice


def _store(engine, sid: str, body: str, at) -> int:
    with Session(engine, expire_on_commit=False) as s:
        return store_inbound(s, provider_sid=sid, from_address="+4520123456", body=body, raw_payload={},
                             signature=SignatureVerdict.valid, now=at).message_id


def test_a_sick_notice_processed_late_is_linked_to_its_own_message(engine, settings, now):
    wiring.wire()
    with Session(engine) as s:
        s.add(Citizen(name="Amal Hassan", phone="+4520123456", language="da"))
        s.commit()
    sick = _store(engine, "SMsick", "jeg er syg i dag", now)
    later = _store(engine, "SMlater", "hej", now + timedelta(minutes=1))
    process_inbound(engine, later, settings=settings, now=now + timedelta(minutes=1))
    # The server died before it processed the first message; Twilio's retry processes it now.
    process_inbound(engine, sick, settings=settings, now=now + timedelta(minutes=2))
    with Session(engine) as s:
        notice = s.exec(select(SickNotice)).one()
        receipt = s.exec(select(Message).where(Message.template == "absence.receipt")).one()
    assert notice.inbound_message_id == sick
    assert receipt.in_reply_to_id == sick
