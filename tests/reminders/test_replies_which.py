"""Several appointments wait for "are you coming?": the assistant lists them, the number picks one."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.contacts.lookup import ContactRef
from bot.conversations.models import Conversation
from bot.conversations.pipeline import process_inbound
from bot.conversations.registry import register_responder
from bot.conversations.responder import respond_citizen, timeout_conversation
from bot.i18n import render
from bot.items.models import OpenItem
from bot.reminders import replies, service
from bot.reminders.jobs import dispatch_reminders_job
from bot.reminders.models import Appointment, AppointmentKind, AppointmentStatus, Confirmation
from bot.reminders.service import AppointmentInput
from bot.sick_notices import handlers as sick_notice_handlers
from bot.sick_notices.models import Cancellation

from .helpers import citizen, local, policy

PEERS = delivery_peers()

PHONE = "+4520000002"
CREATED = local(2026, 11, 20, 12)
# Tuesday 09:00 class, Tuesday 14:00 meeting, Wednesday 10:00 meeting (a week with no holidays).
STARTS = (local(2026, 11, 24, 9), local(2026, 11, 24, 14), local(2026, 11, 25, 10))
TITLES = ("Danskundervisning", "Møde med Lone", "Jobsamtale")
# By Tuesday 08:00 every 24-hour reminder of the first two has asked "are you coming?".
ASKED = local(2026, 11, 23, 14)


@pytest.fixture(autouse=True)
def _wired():
    register_responder("citizen", respond_citizen)
    replies.register()
    # The reason after a cancellation is the sick-notice domain's effect: registered here, not
    # left to whichever test happened to run first in this process.
    sick_notice_handlers.register()


def _appointments(engine, settings, count=2, language="da", starts=STARTS, titles=TITLES, asked=ASKED):
    with Session(engine, expire_on_commit=False) as s:
        person = citizen(s, phone=PHONE, language=language)
        made = [
            service.create_appointment(
                s, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting, starts_at=start,
                                    title=title, location="Rådhuset"),
                policy=policy(), now=CREATED,
            )
            for start, title in list(zip(starts, titles, strict=True))[:count]
        ]
        s.commit()
    dispatch_reminders_job(engine, settings, SimulatorTransport(), asked, peers=PEERS)
    return person, made


_sid = iter(range(10_000))


def _say(engine, settings, text, now):
    with Session(engine) as s:
        stored = store_inbound(s, provider_sid=f"SMwh{next(_sid):030d}", from_address=PHONE, body=text,
                               raw_payload={}, signature=SignatureVerdict.valid, now=now)
    process_inbound(engine, stored.message_id, settings=settings, now=now)
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == Direction.outbound,
                                           Message.in_reply_to_id == stored.message_id)
                     .order_by(col(Message.id))).all()
        return [(m.template, m.params, m.locale) for m in out]


def _confirmation(engine, appointment):
    with Session(engine) as s:
        return s.get(Appointment, appointment.id).confirmation


def _texts(answer):
    return [render(template, locale or "da", params) for template, params, locale in answer]


def test_yes_with_two_waiting_lists_them_and_the_number_confirms_that_one(engine, settings):
    _, (klasse, moede) = _appointments(engine, settings)
    asked = _say(engine, settings, "ja", local(2026, 11, 24, 7, 30))
    assert _texts(asked) == ["Hvilken aftale mener du? Svar med tallet:\n"
                             "1 Danskundervisning tirs. kl. 09:00\n"
                             "2 Møde med Lone tirs. kl. 14:00"]
    assert _confirmation(engine, klasse) == _confirmation(engine, moede) == Confirmation.none
    done = _say(engine, settings, "2", local(2026, 11, 24, 7, 32))
    assert [t for t, _, _ in done] == ["reminder.confirmed"]
    assert "14:00" in _texts(done)[0]
    assert _confirmation(engine, moede) == Confirmation.confirmed
    assert _confirmation(engine, klasse) == Confirmation.none


def test_no_is_recorded_then_the_number_says_which_then_the_reason_is_added(engine, settings):
    _, (klasse, moede) = _appointments(engine, settings)
    which = _say(engine, settings, "nej", local(2026, 11, 24, 7, 30))
    assert [t for t, _, _ in which] == ["reminder.which_appointment"]
    with Session(engine) as s:
        pending = s.exec(select(Cancellation)).one()  # counted already, appointment not yet known
        assert pending.appointment_id is None and set(pending.may_mean) == {klasse.id, moede.id}
    done = _say(engine, settings, "1", local(2026, 11, 24, 7, 33))
    assert [t for t, _, _ in done] == ["absence.cancellation_receipt"]
    _say(engine, settings, "Bussen kører ikke", local(2026, 11, 24, 7, 35))
    with Session(engine) as s:
        stored = s.get(Appointment, klasse.id)
        assert (stored.confirmation, stored.cancel_reason) == (Confirmation.declined, "Bussen kører ikke")
        assert s.get(Appointment, moede.id).confirmation == Confirmation.none
        cancellation = s.exec(select(Cancellation)).one()
        assert cancellation.received_at == local(2026, 11, 24, 7, 30)
        item = s.exec(select(OpenItem).where(OpenItem.kind == "cancellation")).one()
        assert item.details["appointment_id"] == klasse.id and item.details["may_mean"] == []


@pytest.mark.parametrize(("digit", "language"), [("٢", "ar"), ("۲", "fa")])
def test_eastern_arabic_and_persian_digits_pick_the_appointment(engine, settings, digit, language):
    _, (klasse, moede) = _appointments(engine, settings, language=language)
    asked = _say(engine, settings, "1", local(2026, 11, 24, 7, 30))
    assert [(t, loc) for t, _, loc in asked] == [("reminder.which_appointment", language)]
    done = _say(engine, settings, digit, local(2026, 11, 24, 7, 31))
    assert [t for t, _, _ in done] == ["reminder.confirmed"]
    assert _confirmation(engine, moede) == Confirmation.confirmed
    assert _confirmation(engine, klasse) == Confirmation.none


def test_the_list_is_in_the_citizens_language(engine, settings):
    _appointments(engine, settings, language="en")
    asked = _say(engine, settings, "yes", local(2026, 11, 24, 7, 30))
    assert _texts(asked) == ["Which appointment do you mean? Reply with its number:\n"
                             "1 Danskundervisning Tue 09:00\n"
                             "2 Møde med Lone Tue 14:00"]


def test_at_most_three_are_listed(engine, settings):
    wednesday = [local(2026, 11, 25, hour) for hour in (9, 10, 11, 12)]
    _, made = _appointments(engine, settings, count=4, starts=wednesday,
                            titles=("Dansk", "Møde", "Jobsamtale", "Mentor"), asked=local(2026, 11, 24, 12))
    asked = _say(engine, settings, "ja", local(2026, 11, 24, 12, 5))
    assert asked[0][1]["lines"].split("\n") == [
        "1 Dansk ons. kl. 09:00", "2 Møde ons. kl. 10:00", "3 Jobsamtale ons. kl. 11:00"]
    done = _say(engine, settings, "3", local(2026, 11, 24, 12, 6))
    assert [t for t, _, _ in done] == ["reminder.confirmed"]
    assert [_confirmation(engine, a) for a in made] == [
        Confirmation.none, Confirmation.none, Confirmation.confirmed, Confirmation.none]


def test_a_pick_that_staff_cancelled_meanwhile_lands_on_no_other(engine, settings):
    _, (klasse, moede) = _appointments(engine, settings)
    _say(engine, settings, "ja", local(2026, 11, 24, 7, 30))
    with Session(engine) as s:
        stored = s.get(Appointment, moede.id)
        stored.status = AppointmentStatus.cancelled
        s.add(stored)
        s.commit()
    done = _say(engine, settings, "2", local(2026, 11, 24, 7, 40))
    assert [t for t, _, _ in done] == ["reminder.no_open_appointment"]
    assert _confirmation(engine, klasse) == Confirmation.none


def test_a_number_beyond_the_list_asks_again(engine, settings):
    _, (klasse, moede) = _appointments(engine, settings)
    _say(engine, settings, "ja", local(2026, 11, 24, 7, 30))
    again = _say(engine, settings, "3", local(2026, 11, 24, 7, 31))
    assert [t for t, _, _ in again] == ["reminder.which_appointment"]
    assert _confirmation(engine, klasse) == _confirmation(engine, moede) == Confirmation.none


def test_exactly_one_waiting_needs_no_question(engine, settings):
    _, (_klasse, moede) = _appointments(engine, settings)
    assert [t for t, _, _ in _say(engine, settings, "ja", local(2026, 11, 24, 7, 30))] == [
        "reminder.which_appointment"]
    _say(engine, settings, "1", local(2026, 11, 24, 7, 31))
    # The class is answered; a later bare "yes" can only mean the meeting.
    later = _say(engine, settings, "ja", local(2026, 11, 24, 10))
    assert [t for t, _, _ in later] == ["reminder.confirmed"]
    assert _confirmation(engine, moede) == Confirmation.confirmed


def test_an_unanswered_question_still_records_the_cancellation_on_the_nearest(engine, settings):
    _, (klasse, moede) = _appointments(engine, settings)
    _say(engine, settings, "nej", local(2026, 11, 24, 7, 30))
    with Session(engine) as s:
        conversation = s.exec(select(Conversation).where(Conversation.phone == PHONE)).one()
        contact = ContactRef(kind="citizen", id=klasse.citizen_id, name="Amina", language="da")
        later = conversation.wait_until + timedelta(minutes=1)
        reprompt = timeout_conversation(s, contact, conversation, settings, later)
        assert [r.template for r in reprompt] == ["reminder.which_appointment"]
        timeout_conversation(s, contact, conversation, settings, conversation.wait_until + timedelta(minutes=1))
        s.commit()
    with Session(engine) as s:
        stored = s.get(Appointment, klasse.id)
        assert stored.confirmation == Confirmation.declined
        receipt = s.exec(select(Message).where(Message.template == "absence.cancellation_receipt")).one()
        assert receipt.params["reference"] == "A-2026-000001"
        item = s.exec(select(OpenItem).where(OpenItem.kind == "cancellation")).one()
        assert item.details["may_mean"] == [moede.id]
