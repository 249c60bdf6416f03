from datetime import timedelta

from sqlmodel import Session, select

from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus
from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation
from bot.sick_notices import handlers
from bot.sick_notices.models import SickNotice


def _call(handler, s, world, settings, now, effect):
    contact = ContactRef("citizen", world.citizen.id, world.citizen.name, world.citizen.language)
    conversation = Conversation(phone=world.citizen.phone, contact_kind="citizen", contact_id=world.citizen.id)
    return handler(session=s, contact=contact, conversation=conversation, effect=effect, settings=settings, now=now)


def test_the_effect_records_a_notice_linked_to_the_inbound_sms_and_answers_on_its_channel(engine, world, now, settings):
    with Session(engine) as s:
        inbound = Message(direction=Direction.inbound, channel=Channel.whatsapp, phone=world.citizen.phone,
                          body="ana mareed", contact_kind=ContactKind.citizen, contact_id=world.citizen.id,
                          status=MessageStatus.received, created_at=now)
        s.add(inbound)
        s.flush()
        replies = _call(handlers.record_sick_notice_effect, s, world, settings, now,
                        {"kind": "record_sick_notice", "starts_on": "2026-11-24", "ends_on": None,
                         "text": "ana mareed", "appointment_id": None})
        s.commit()
        assert replies == []
        notice = s.exec(select(SickNotice)).one()
        assert notice.inbound_message_id == inbound.id
        receipt = s.get(Message, notice.receipt_message_id)
        assert receipt.channel == Channel.whatsapp and receipt.in_reply_to_id == inbound.id


def test_better_ends_the_notice_or_says_there_is_none(engine, world, now, settings):
    with Session(engine) as s:
        assert [r.template for r in _call(handlers.end_sick_notice_effect, s, world, settings, now, {})] == [
            "absence.none_open"]
        _call(handlers.record_sick_notice_effect, s, world, settings, now, {"starts_on": "2026-11-24"})
        replies = _call(handlers.end_sick_notice_effect, s, world, settings, now + timedelta(hours=8), {})
        assert replies[0].template == "absence.ended"
        assert replies[0].params == {"reference": "S-2026-000001"}


def test_only_citizens_report_sick(engine, world, now, settings):
    with Session(engine) as s:
        contact = ContactRef("employer_contact", 1, "Jens", "da")
        conversation = Conversation(phone="+4521000001")
        assert handlers.record_sick_notice_effect(session=s, contact=contact, conversation=conversation,
                                                  effect={}, settings=settings, now=now) == []


def test_a_misread_end_date_keeps_the_notice_open_ended(engine, world, now, settings):
    with Session(engine) as s:
        _call(handlers.record_sick_notice_effect, s, world, settings, now,
              {"starts_on": "2026-11-24", "ends_on": "2026-11-20"})
        assert [n.ends_on for n in s.exec(select(SickNotice)).all()] == [None]
        # A second message while the notice is open refines it, and a misread end changes nothing.
        _call(handlers.record_sick_notice_effect, s, world, settings, now,
              {"starts_on": "2026-11-24", "ends_on": "2099-01-01"})
        assert [n.ends_on for n in s.exec(select(SickNotice)).all()] == [None]
