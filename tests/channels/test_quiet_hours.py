"""Quiet hours (21:00-08:00 Copenhagen) hold every message that is not an answer to the person.

Time travels by argument: each step is given its ``now``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.dispatcher import dispatch
from bot.channels.models import Channel, Direction, Message, MessageStatus, SignatureVerdict
from bot.channels.outbox import enqueue, held_due
from bot.channels.simulator import SimulatorTransport
from bot.composition import delivery_peers
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.jobs import run_flow_timeouts
from bot.conversations.models import Conversation
from bot.conversations.registry import Reply
from bot.conversations.replies import enqueue_reply
from bot.conversations.responder import respond_citizen
from bot.reminders import service as reminders
from bot.reminders.config import build_policy
from bot.reminders.conversation_hook import ask_attendance
from bot.reminders.models import AppointmentKind
from bot.reminders.policy import next_allowed
from bot.reminders.service import AppointmentInput

PEERS = delivery_peers()

CPH = ZoneInfo("Europe/Copenhagen")
PHONE = "+4520123456"


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """November 2026, Copenhagen wall clock."""
    return datetime(2026, 11, day, hour, minute, tzinfo=CPH)


def _quiet(settings: Settings) -> partial[datetime]:
    return partial(next_allowed, policy=build_policy(settings))


def _citizen(session: Session) -> Citizen:
    person = Citizen(name="Amal Hassan", phone=PHONE, language="da")
    session.add(person)
    session.flush()
    return person


def _outbound(engine: Engine) -> list[Message]:
    with Session(engine) as session:
        return list(session.exec(
            select(Message).where(Message.direction == Direction.outbound).order_by(Message.id)
        ).all())


@pytest.fixture
def seams() -> Iterator[None]:
    """Only the citizen responder is registered, as the flow tests do; restored afterwards."""
    saved = (dict(registry._responders), dict(registry._effects))
    registry.clear()
    registry.register_responder("citizen", respond_citizen)
    yield
    registry.clear()
    registry._responders.update(saved[0])
    registry._effects.update(saved[1])


# -- the rule --------------------------------------------------------------------------------------


def test_the_rule(settings: Settings) -> None:
    quiet = _quiet(settings)
    assert held_due(local(24, 12), quiet_hours=quiet) == local(24, 12)  # daytime: at once
    assert held_due(local(24, 22, 30), quiet_hours=quiet) == local(25, 8)  # evening: next morning
    assert held_due(local(25, 5), quiet_hours=quiet) == local(25, 8)  # small hours: this morning
    assert held_due(local(24, 22, 30), quiet_hours=None) == local(24, 22, 30)  # nobody asked to hold
    # A reply is never held.
    assert held_due(local(24, 22, 30), quiet_hours=quiet, in_reply_to_id=7) == local(24, 22, 30)
    # What is needed before the morning goes now; what is needed later waits.
    assert held_due(local(24, 22, 30), quiet_hours=quiet, needed_by=local(25, 7, 30)) == local(24, 22, 30)
    assert held_due(local(24, 22, 30), quiet_hours=quiet, needed_by=local(25, 9)) == local(25, 8)


def test_a_reply_to_a_message_sent_at_night_goes_at_once(engine: Engine, settings: Settings) -> None:
    night = local(24, 23, 15)
    with Session(engine) as session:
        inbound = Message(direction=Direction.inbound, channel=Channel.sms, phone=PHONE, body="syg",
                          provider_sid="SMin" + "2" * 30, status=MessageStatus.processed,
                          signature=SignatureVerdict.valid, created_at=night)
        session.add(inbound)
        session.flush()
        reply = enqueue_reply(session, Reply(template="reply.help"), inbound=inbound, contact=None, now=night)
        session.commit()
        assert reply.due_at == night

    assert dispatch(engine, settings, SimulatorTransport(), night, peers=PEERS).sent == 1


def test_an_unsolicited_message_queued_at_night_waits_for_the_morning(engine: Engine, settings: Settings) -> None:
    night = local(24, 22, 0)
    with Session(engine) as session:
        message = enqueue(session, phone=PHONE, template="reply.help", params={}, language="da",
                          purpose="notice", contact_kind="citizen", contact_id=None, now=night,
                          quiet_hours=_quiet(settings))
        session.commit()
        assert message.due_at == local(25, 8)
    transport = SimulatorTransport()

    assert dispatch(engine, settings, transport, local(25, 7, 59), peers=PEERS).sent == 0
    assert dispatch(engine, settings, transport, local(25, 8, 0), peers=PEERS).sent == 1


# -- move and cancel notices ----------------------------------------------------------------------


def _appointment(session: Session, settings: Settings, citizen_id: int, starts_at: datetime, now: datetime) -> int:
    appointment = reminders.create_appointment(
        session,
        AppointmentInput(citizen_id=citizen_id, kind=AppointmentKind.meeting, starts_at=starts_at,
                         location="Rådhuset"),
        policy=build_policy(settings), now=now,
    )
    assert appointment.id is not None
    return appointment.id


def _notices(engine: Engine) -> list[Message]:
    return [m for m in _outbound(engine) if m.template in ("reminder.moved", "reminder.cancelled")]


def test_a_move_made_in_the_evening_is_told_in_the_morning(engine: Engine, settings: Settings) -> None:
    with Session(engine) as session:
        person = _citizen(session)
        assert person.id is not None
        appointment_id = _appointment(session, settings, person.id, local(27, 10), now=local(20, 12))
        reminders.move_appointment(session, appointment_id, starts_at=local(27, 13),
                                   policy=build_policy(settings), now=local(24, 21, 30))
        session.commit()

    [notice] = _notices(engine)
    assert (notice.template, notice.due_at) == ("reminder.moved", local(25, 8))


def test_a_cancellation_of_an_early_appointment_is_told_at_once_even_at_night(
    engine: Engine, settings: Settings
) -> None:
    """The morning would be too late: the meeting starts at 07:30."""
    with Session(engine) as session:
        person = _citizen(session)
        assert person.id is not None
        appointment_id = _appointment(session, settings, person.id, local(25, 7, 30), now=local(20, 12))
        reminders.cancel_appointment(session, appointment_id, policy=build_policy(settings), now=local(24, 22))
        session.commit()

    [notice] = _notices(engine)
    assert (notice.template, notice.due_at) == ("reminder.cancelled", local(24, 22))


def test_a_move_away_from_an_early_slot_is_told_before_the_old_time(engine: Engine, settings: Settings) -> None:
    """Moved from 07:30 to the afternoon: the person must know before they would set out."""
    with Session(engine) as session:
        person = _citizen(session)
        assert person.id is not None
        appointment_id = _appointment(session, settings, person.id, local(25, 7, 30), now=local(20, 12))
        reminders.move_appointment(session, appointment_id, starts_at=local(25, 14),
                                   policy=build_policy(settings), now=local(24, 23))
        session.commit()

    [notice] = _notices(engine)
    assert notice.due_at == local(24, 23)


# -- flow re-prompts ------------------------------------------------------------------------------


def test_a_reprompt_due_at_night_waits_for_the_morning(engine: Engine, settings: Settings, seams: None) -> None:
    with Session(engine) as session:
        person = _citizen(session)
        conversation = Conversation(phone=PHONE, contact_kind="citizen", contact_id=person.id)
        session.add(conversation)
        ask_attendance(session, conversation, appointment_id=42, settings=settings,
                                now=local(24, 18))
        conversation.wait_until = local(24, 23)  # the question went unanswered into the night
        session.commit()

    assert run_flow_timeouts(engine, settings, SimulatorTransport(), local(24, 23)) == 1

    [reprompt] = _outbound(engine)
    assert (reprompt.template, reprompt.due_at) == ("flow.attendance.reprompt", local(25, 8))
    assert dispatch(engine, settings, SimulatorTransport(), local(24, 23, 5), peers=PEERS).sent == 0
    assert dispatch(engine, settings, SimulatorTransport(), local(25, 8), peers=PEERS).sent == 1


def test_a_reprompt_in_the_day_goes_at_once(engine: Engine, settings: Settings, seams: None) -> None:
    with Session(engine) as session:
        person = _citizen(session)
        conversation = Conversation(phone=PHONE, contact_kind="citizen", contact_id=person.id)
        session.add(conversation)
        ask_attendance(session, conversation, appointment_id=42, settings=settings,
                                now=local(24, 9))
        conversation.wait_until = local(24, 13)
        session.commit()
    run_flow_timeouts(engine, settings, SimulatorTransport(), local(24, 13))

    [reprompt] = _outbound(engine)
    assert reprompt.due_at == local(24, 13)
