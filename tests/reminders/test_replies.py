"""Answers to reminders land on the right appointment; "next" lists the next three."""

from datetime import timedelta

import pytest
from sqlmodel import Session, col, select

from bot.attendance.models import Attendance, Outcome
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.conversations.models import Conversation
from bot.conversations.pipeline import process_inbound
from bot.conversations.registry import register_responder
from bot.conversations.responder import respond_citizen
from bot.i18n import render
from bot.items.models import OpenItem
from bot.reminders import replies, service
from bot.reminders.jobs import dispatch_reminders_job
from bot.reminders.models import Appointment, AppointmentKind, Confirmation, ReminderStatus
from bot.reminders.service import AppointmentInput
from bot.sick_notices import handlers as sick_notice_handlers
from bot.sick_notices.models import Cancellation

from .helpers import citizen, local, policy

PEERS = delivery_peers()

NOW = local(2026, 11, 20, 12)
PHONE = "+4520000001"


@pytest.fixture(autouse=True)
def _wired():
    register_responder("citizen", respond_citizen)
    replies.register()
    sick_notice_handlers.register()  # the reason after a cancellation is that domain's effect


def _appointments(engine, *starts, language="da"):
    with Session(engine, expire_on_commit=False) as s:
        person = citizen(s, phone=PHONE, language=language)
        made = [
            service.create_appointment(
                s, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting, starts_at=start,
                                    location=f"Rådhuset {i}"),
                policy=policy(), now=NOW,
            )
            for i, start in enumerate(starts, 1)
        ]
        s.commit()
        return person, made


_sid = iter(range(10_000))


def _say(engine, settings, text, now):
    with Session(engine) as s:
        stored = store_inbound(s, provider_sid=f"SMin{next(_sid):030d}", from_address=PHONE, body=text,
                               raw_payload={}, signature=SignatureVerdict.valid, now=now)
    process_inbound(engine, stored.message_id, settings=settings, now=now)
    with Session(engine) as s:
        out = s.exec(select(Message).where(Message.direction == Direction.outbound,
                                           Message.in_reply_to_id == stored.message_id)
                     .order_by(col(Message.id))).all()
        return [(m.template, m.params) for m in out]


def _state(engine, appointment_id):
    with Session(engine) as s:
        return s.get(Appointment, appointment_id)


def test_yes_to_a_reminder_confirms_that_appointment(engine, settings):
    _, (appt,) = _appointments(engine, local(2026, 11, 26, 10))
    sent_at = local(2026, 11, 25, 10)
    dispatch_reminders_job(engine, settings, SimulatorTransport(), sent_at, peers=PEERS)
    answer = _say(engine, settings, "1", sent_at + timedelta(minutes=5))
    assert [template for template, _ in answer] == ["reminder.confirmed"]
    written = render("reminder.confirmed", "da", answer[0][1])
    assert "torsdag d. 26. november" in written and "10:00" in written
    assert _state(engine, appt.id).confirmation == Confirmation.confirmed


def test_no_records_the_cancellation_at_once_and_the_reason_is_added(engine, settings):
    _, (appt,) = _appointments(engine, local(2026, 11, 26, 10))
    sent_at = local(2026, 11, 25, 10)
    dispatch_reminders_job(engine, settings, SimulatorTransport(), sent_at, peers=PEERS)
    asked = _say(engine, settings, "2", sent_at + timedelta(minutes=5))
    # Recorded before any question: the receipt names it and asks why in the same SMS.
    assert [template for template, _ in asked] == ["absence.cancellation_receipt"]
    assert asked[0][1]["reference"] == "A-2026-000001"
    assert "25 nov. 10:05" in render("absence.cancellation_receipt", "da", asked[0][1])
    stored = _state(engine, appt.id)
    assert stored.confirmation == Confirmation.declined
    with Session(engine) as s:
        cancellation = s.exec(select(Cancellation)).one()
        assert (cancellation.appointment_id, cancellation.late, cancellation.reason) == (appt.id, False, None)
        assert s.get(Attendance, appt.id).outcome == Outcome.absent_with_notice
        item = s.exec(select(OpenItem).where(OpenItem.kind == "cancellation")).one()
        assert item.details["appointment_id"] == appt.id
        assert service.pending_reminders(s, appt.id) == []
        assert {r.status for r in service.reminders_for(s, appt.id)} <= {
            ReminderStatus.sent, ReminderStatus.cancelled}
    done = _say(engine, settings, "Min bil er gået i stykker", sent_at + timedelta(minutes=7))
    assert [template for template, _ in done] == ["absence.reason_added"]
    assert _state(engine, appt.id).cancel_reason == "Min bil er gået i stykker"
    with Session(engine) as s:
        assert s.exec(select(Cancellation)).one().reason == "Min bil er gået i stykker"
        assert s.exec(select(OpenItem).where(OpenItem.kind == "cancellation")).one().details["has_reason"]


def test_late_answer_goes_to_the_nearest_open_appointment_that_asked(engine, settings):
    _, (first, second) = _appointments(engine, local(2026, 11, 26, 10), local(2026, 11, 27, 10))
    transport = SimulatorTransport()
    dispatch_reminders_job(engine, settings, transport, local(2026, 11, 25, 10), peers=PEERS)
    # A day later, long after the conversation stopped waiting: "yes".
    answer = _say(engine, settings, "yes", local(2026, 11, 26, 9, 30))
    assert answer[0][0] == "reminder.confirmed"
    assert _state(engine, first.id).confirmation == Confirmation.confirmed
    assert _state(engine, second.id).confirmation == Confirmation.none


def test_next_lists_three_appointments_in_the_citizens_language(engine, settings):
    _appointments(engine, local(2026, 11, 26, 10), local(2026, 11, 27, 13, 30),
                  local(2026, 12, 1, 9), local(2026, 12, 2, 9))
    answer = _say(engine, settings, "næste", NOW)
    assert answer == [("reminder.next_appointments", {"lines": (
        "torsdag d. 26. november kl. 10:00: samtale i kommunen, Rådhuset 1\n"
        "fredag d. 27. november kl. 13:30: samtale i kommunen, Rådhuset 2\n"
        "tirsdag d. 1. december kl. 09:00: samtale i kommunen, Rådhuset 3")})]


def test_several_waiting_answers_the_assistant_asks_which(engine, settings):
    _, (first, second) = _appointments(engine, local(2026, 11, 27, 10), local(2026, 11, 27, 14))
    dispatch_reminders_job(engine, settings, SimulatorTransport(), local(2026, 11, 26, 14), peers=PEERS)
    with Session(engine) as s:  # the question expired overnight: nothing names an appointment now
        conversation = s.exec(select(Conversation)).one()
        conversation.flow, conversation.state, conversation.wait_until = None, {}, None
        s.add(conversation)
        s.commit()
    # A bare "yes": which one?
    asked = _say(engine, settings, "ja", local(2026, 11, 27, 8, 30))
    assert asked == [("reminder.which_appointment", {"lines": (
        "1 samtale i kommunen fre. kl. 10:00\n2 samtale i kommunen fre. kl. 14:00")})]
    assert _state(engine, first.id).confirmation == Confirmation.none
    answer = _say(engine, settings, "1", local(2026, 11, 27, 8, 32))
    assert answer[0][0] == "reminder.confirmed"
    assert _state(engine, first.id).confirmation == Confirmation.confirmed
    assert _state(engine, second.id).confirmation == Confirmation.none
