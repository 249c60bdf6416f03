"""The citizen's conversation through the real pipeline, state kept in the database."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.conversations import registry
from bot.conversations.jobs import run_flow_timeouts
from bot.conversations.models import Conversation
from bot.reminders.conversation_hook import ask_attendance
from tests.flows.conftest import Recorder, Send, outbound


def templates(messages: list) -> list[str]:
    return [m.template for m in messages]


def test_without_a_handler_a_sick_notice_gets_a_neutral_acknowledgement(
    send: Send, citizen: Citizen, now: datetime
) -> None:
    replies = send("jeg er syg i dag", now)
    assert templates(replies) == ["ack.sick_notice"]
    assert replies[0].params["n"] == 1
    assert replies[0].locale == "da"


def test_the_handler_gets_the_effect_and_its_reply_is_sent(
    send: Send, citizen: Citizen, now: datetime
) -> None:
    handler = Recorder("absence.receipt")
    registry.register_effect("record_sick_notice", handler)
    replies = send("ana mareed", now)
    # Recorded on arrival: the handler runs for the first message, before any question.
    assert templates(replies) == ["absence.receipt", "reply.other_language"]
    assert handler.effects[0]["starts_on"] == "2026-11-24"
    assert handler.effects[0]["ends_on"] is None
    assert handler.effects[0]["asks_length"] is True
    assert handler.effects[0]["text"] == "ana mareed"
    replies = send("2", now)
    assert templates(replies) == ["ack.sick_notice"]
    assert replies[0].params["n"] == 2


def test_a_restart_in_the_middle_of_a_flow_continues_where_it_was(
    engine: Engine, send: Send, citizen: Citizen, now: datetime
) -> None:
    send("syg", now)
    with Session(engine) as session:
        conversation = session.exec(select(Conversation)).one()
        assert conversation.flow == "citizen"
        assert conversation.wait_until is not None
    # A fresh session is all a restarted process has.
    replies = send("1", now + timedelta(minutes=5))
    assert templates(replies) == ["ack.sick_notice"]


def test_stop_opts_out_once_and_only_start_opts_back_in(
    engine: Engine, send: Send, citizen: Citizen, now: datetime
) -> None:
    send("syg", now)
    stopped = send("STOP", now)  # inside a flow: the command, not an answer
    assert templates(stopped) == ["reply.stopped"]
    assert stopped[0].purpose == "opt_out_confirmation"
    with Session(engine) as session:
        row = session.get(Citizen, citizen.id)
        assert row is not None and row.opted_out and row.opted_out_at == now
        assert session.exec(select(Conversation)).one().flow is None
    # STOP ends what we send of our own accord, not what they tell us: a sick notice after it
    # is read and answered, and they stay opted out until START.
    assert templates(send("syg i dag", now)) == ["ack.sick_notice"]
    with Session(engine) as session:
        row = session.get(Citizen, citizen.id)
        assert row is not None and row.opted_out
    started = send("start", now)
    assert templates(started) == ["reply.started"]
    with Session(engine) as session:
        row = session.get(Citizen, citizen.id)
        assert row is not None and not row.opted_out


def test_language_menu_and_language_names(
    engine: Engine, send: Send, citizen: Citizen, now: datetime
) -> None:
    assert templates(send("SPROG", now)) == ["reply.language_menu"]
    chosen = send("٣", now)
    assert templates(chosen) == ["reply.language_set"]
    assert chosen[0].locale == "ar"
    switched = send("Soomaali", now)
    assert switched[0].locale == "so"
    with Session(engine) as session:
        row = session.get(Citizen, citizen.id)
        assert row is not None and row.language == "so"


def test_help_interrupts_without_losing_the_question(send: Send, citizen: Citizen, now: datetime) -> None:
    send("syg", now)
    assert templates(send("hjælp", now)) == ["reply.help"]
    assert templates(send("3", now)) == ["ack.sick_notice_open"]


def test_a_person_is_asked_for(send: Send, citizen: Citizen, now: datetime) -> None:
    handover = Recorder()
    registry.register_effect("handover", handover)
    assert templates(send("jeg vil tale med en person", now)) == ["flow.handover"]
    assert handover.effects[0]["reason"] == "asked"


def test_another_language_works_and_the_reply_says_so_once(
    send: Send, citizen: Citizen, now: datetime
) -> None:
    send("hej", now)  # the first message is in Danish: no language offer later
    first = send("waan bukaa maanta", now)
    assert templates(first) == ["ack.sick_notice", "reply.other_language"]
    assert first[1].locale == "da"
    assert first[1].params == {"language": "somali"}
    again = send("waan bukaa maanta", now)
    assert templates(again) == ["ack.sick_notice"]


def test_first_contact_offers_the_language_it_was_written_in(
    engine: Engine, send: Send, now: datetime, seams: None
) -> None:
    with Session(engine) as session:
        session.add(Citizen(name="Dawit", phone="+4520999999", language="da"))
        session.commit()
    replies = send("ሓሚመ ሎሚ", now, phone="+4520999999")
    assert templates(replies)[-1] == "reply.language_offer"
    assert replies[-1].locale == "ti"
    chosen = send("1", now, phone="+4520999999")
    assert templates(chosen) == ["reply.language_set"]
    with Session(engine) as session:
        row = session.exec(select(Citizen).where(Citizen.phone == "+4520999999")).one()
        assert row.language == "ti"


def test_global_commands_work_for_employer_contacts(
    engine: Engine, send: Send, now: datetime, settings: Settings
) -> None:
    from bot.conversations.responder import handle_global_command

    def employer_responder(**kwargs: object) -> list[registry.Reply]:
        return handle_global_command(**kwargs) or [registry.Reply("reply.help")]  # type: ignore[arg-type]

    registry.register_responder("employer_contact", employer_responder)
    with Session(engine) as session:
        employer = Employer(name="Netto")
        session.add(employer)
        session.flush()
        session.add(EmployerContact(employer_id=employer.id or 0, name="Bo", phone="+4531111111"))
        session.commit()
    assert templates(send("stop", now, phone="+4531111111")) == ["reply.stopped"]
    with Session(engine) as session:
        contact = session.exec(select(EmployerContact)).one()
        assert contact.opted_out and contact.opted_out_at == now


def test_the_clock_reprompts_then_expires_an_unanswered_reminder(
    engine: Engine, settings: Settings, citizen: Citizen, now: datetime, seams: None
) -> None:
    expired = Recorder()
    registry.register_effect("flow_expired", expired)
    with Session(engine) as session:
        conversation = Conversation(phone="+4520123456", contact_kind="citizen", contact_id=citizen.id)
        session.add(conversation)
        ask_attendance(session, conversation, appointment_id=42, settings=settings, now=now)
        session.commit()
        due = conversation.wait_until
    assert due is not None
    transport = SimulatorTransport()
    assert run_flow_timeouts(engine, settings, transport, due - timedelta(seconds=1)) == 0
    assert run_flow_timeouts(engine, settings, transport, due) == 1
    assert templates(outbound(engine)) == ["flow.attendance.reprompt"]
    with Session(engine) as session:
        later = session.exec(select(Conversation)).one().wait_until
    assert later is not None and later > due
    assert run_flow_timeouts(engine, settings, transport, later) == 1
    assert expired.effects[0]["matters"] is True
    assert expired.effects[0]["appointment_id"] == 42
    with Session(engine) as session:
        assert session.exec(select(Conversation)).one().wait_until is None


def test_asking_for_a_person_opens_an_item_for_the_consultant(
    engine: Engine, send: Send, citizen: Citizen, now: datetime
) -> None:
    from bot.conversations.responder import register_effects
    from bot.items.models import OpenItem

    register_effects()
    assert templates(send("PERSON", now)) == ["flow.handover"]
    send("talk to a person", now)  # the same day: still the one item
    with Session(engine) as session:
        found = session.exec(select(OpenItem)).all()
    assert [(i.kind, i.citizen_id) for i in found] == [("handover", citizen.id)]
    assert "syg" not in found[0].summary


def test_an_expired_question_that_mattered_opens_an_item(
    engine: Engine, settings: Settings, citizen: Citizen, now: datetime
) -> None:
    from bot.contacts.lookup import find_by_phone
    from bot.conversations.responder import open_expired_item
    from bot.items.models import OpenItem

    with Session(engine) as session:
        conversation = Conversation(phone="+4520123456")
        session.add(conversation)
        session.flush()
        contact = find_by_phone(session, "+4520123456")
        assert contact is not None
        for effect in (
            {"kind": "flow_expired", "step": "clarify", "matters": False},
            {"kind": "flow_expired", "step": "ask_length", "matters": True, "continued": True},
            {"kind": "flow_expired", "step": "attendance", "matters": True, "appointment_id": 4},
            {"kind": "flow_expired", "step": "confirm_something", "matters": True},
        ):
            open_expired_item(session=session, contact=contact, conversation=conversation,
                              effect=effect, settings=settings, now=now)
        session.commit()
        found = session.exec(select(OpenItem)).all()
    assert [(i.kind, i.details["step"]) for i in found] == [("flow_expired", "confirm_something")]


def test_declining_the_language_offer_keeps_the_language(
    engine: Engine, send: Send, now: datetime, seams: None
) -> None:
    with Session(engine) as session:
        session.add(Citizen(name="Olena", phone="+4520888888", language="da"))
        session.commit()
    assert templates(send("я хворію сьогодні", now, phone="+4520888888"))[-1] == "reply.language_offer"
    kept = send("2", now, phone="+4520888888")
    assert templates(kept) == ["reply.language_set"] and kept[0].locale == "da"
