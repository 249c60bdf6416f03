"""A person's word counts when it arrives: time-travel tests through the real pipeline.

The citizen in ``world`` has a Danish class Tuesday 09:00 (Sprogcenter Helsingør), an internship
day at Netto Tuesday 12:00 and a class Wednesday 09:00, all local time.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.attendance.models import Attendance, Outcome
from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Citizen
from bot.conversations.jobs import run_flow_timeouts
from bot.conversations.pipeline import process_inbound
from bot.conversations.registry import register_responder
from bot.conversations.responder import register_effects, respond_citizen
from bot.i18n import render
from bot.items.models import OpenItem
from bot.reminders import replies
from bot.reminders.dispatch import enqueue_due
from bot.reminders.models import Appointment, AppointmentKind, Reminder, ReminderStatus
from bot.sick_notices import handlers
from bot.sick_notices.jobs import sick_notice_sweep_job
from bot.sick_notices.models import SickNotice, SickNoticeAppointment

from .conftest import add_appointment

_sids = itertools.count(1)
# What people text to say they are ill, one per language the assistant speaks.
BARE_SICK = {
    "da": "syg", "en": "sick", "ar": "ana mareed", "fa": "mariz hastam", "ps": "زه ناروغ یم",
    "ti": "ሓሚመ", "so": "waan bukaa", "uk": "я хворію", "ku": "ez nexweş im",
}


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A November 2026 local (Copenhagen, UTC+1) time as an aware UTC instant."""
    return datetime(2026, 11, day, hour - 1, minute, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _wired() -> None:
    register_responder("citizen", respond_citizen)
    register_effects()
    handlers.register()
    replies.register()


def text(engine, settings, body: str, *, stored: datetime, read: datetime | None = None) -> list[Message]:
    """The citizen texts ``body``; it is stored at ``stored`` and interpreted at ``read``."""
    with Session(engine) as s:
        kept = store_inbound(s, provider_sid=f"SMarrive{next(_sids):024d}", from_address="+4520123456",
                             body=body, raw_payload={"Body": body}, signature=SignatureVerdict.valid, now=stored)
    process_inbound(engine, kept.message_id, settings=settings, now=read or stored)
    with Session(engine, expire_on_commit=False) as s:
        return list(s.exec(select(Message).where(Message.in_reply_to_id == kept.message_id)
                           .order_by(col(Message.id))).all())


def outbound(engine, template: str) -> list[Message]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.exec(select(Message).where(Message.direction == Direction.outbound,
                                                 Message.template == template).order_by(col(Message.id))).all())


def notices(engine) -> list[SickNotice]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.exec(select(SickNotice).order_by(col(SickNotice.id))).all())


def linked(engine, notice_id: int) -> set[int]:
    with Session(engine) as s:
        rows = s.exec(select(SickNoticeAppointment).where(SickNoticeAppointment.sick_notice_id == notice_id))
        return {r.appointment_id for r in rows}


@pytest.mark.parametrize("language", sorted(BARE_SICK))
def test_a_bare_sick_word_is_a_receipted_notice_stamped_when_it_arrived(engine, settings, world, language):
    speaks(engine, world.citizen.id, language)
    arrived = local(24, 7)
    # Read twenty minutes later (a backlog after a restart): the evidence time is the arrival.
    answer = text(engine, settings, BARE_SICK[language], stored=arrived, read=arrived + timedelta(minutes=20))
    (notice,) = notices(engine)
    assert notice.received_at == arrived
    assert (notice.starts_on, notice.ends_on, notice.late) == (date(2026, 11, 24), None, False)
    assert linked(engine, notice.id) == {world.klass.id, world.internship.id}
    # One SMS back: the receipt, with the length question in it, in the citizen's language.
    assert [(m.template, m.locale) for m in answer] == [("absence.receipt_ask_length", language)]
    assert answer[0].params["reference"] == notice.reference == "S-2026-000001"
    assert "07:00" in render(answer[0].template, language, answer[0].params)


def test_the_length_answer_refines_the_notice_it_never_makes_a_second(engine, settings, world):
    text(engine, settings, "syg", stored=local(24, 7))
    answer = text(engine, settings, "2", stored=local(24, 7, 5))
    assert [m.template for m in answer] == ["ack.sick_notice"]
    (notice,) = notices(engine)
    assert (notice.received_at, notice.ends_on) == (local(24, 7), date(2026, 11, 25))
    assert linked(engine, notice.id) == {world.klass.id, world.internship.id, world.wednesday_class.id}
    text(engine, settings, "jeg er stadig syg", stored=local(24, 7, 30))
    assert len(notices(engine)) == 1


def speaks(engine, citizen_id: int, language: str) -> None:
    with Session(engine) as s:
        s.get(Citizen, citizen_id).language = language
        s.commit()


@pytest.mark.parametrize("language", sorted(BARE_SICK))
def test_a_notice_at_11_30_leaves_the_class_that_ended_at_11_alone(engine, settings, world, language):
    speaks(engine, world.citizen.id, language)
    with Session(engine) as s:
        s.get(Appointment, world.klass.id).ends_at = local(24, 11)
        s.commit()
    answer = text(engine, settings, BARE_SICK[language], stored=local(24, 11, 30))
    (notice,) = notices(engine)
    assert linked(engine, notice.id) == {world.internship.id}
    assert notice.late is False
    with Session(engine) as s:
        assert s.get(Attendance, world.klass.id) is None  # attended, as far as the notice knows
        assert s.get(Attendance, world.internship.id).outcome == Outcome.absent_with_notice
    receipt = render(answer[0].template, language, answer[0].params)
    assert "Netto" in receipt and "09:00" not in receipt
    # The language centre is not told the citizen "will miss class": the class is over.
    assert outbound(engine, "absence.notice_centre") == []
    assert len(outbound(engine, "absence.notice_employer_open")) == 1  # the end is not known yet


def test_a_notice_during_a_class_covers_it_with_late_notice(engine, settings, world):
    text(engine, settings, "syg i dag", stored=local(24, 10))
    (notice,) = notices(engine)
    assert linked(engine, notice.id) == {world.klass.id, world.internship.id}
    with Session(engine) as s:
        assert s.get(Attendance, world.klass.id).outcome == Outcome.absent_with_late_notice
        assert s.get(Attendance, world.internship.id).outcome == Outcome.absent_with_notice


def test_a_notice_after_the_days_last_appointment_covers_the_next_day(engine, settings, world):
    text(engine, settings, "syg", stored=local(24, 20))
    (notice,) = notices(engine)
    assert notice.starts_on == date(2026, 11, 25)
    assert linked(engine, notice.id) == {world.wednesday_class.id}


@pytest.mark.parametrize("language", sorted(BARE_SICK))
def test_an_unanswered_length_question_leaves_an_open_notice_checked_every_morning(
    engine, settings, world, language
):
    speaks(engine, world.citizen.id, language)
    with Session(engine) as s:
        s.add(Reminder(appointment_id=world.wednesday_class.id, recipient_id=world.citizen.id, kind="class_day",
                       template="reminder.class", due_at=local(25, 8), status=ReminderStatus.pending))
        thursday = add_appointment(s, world.citizen.id, AppointmentKind.class_, local(26, 9),
                                   centre_id=world.centre_id)
        s.commit()
        thursday_id = thursday.id
    text(engine, settings, BARE_SICK[language], stored=local(24, 7))
    # Nobody answers "how long?": the question expires in silence, the notice stays.
    run_flow_timeouts(engine, settings, SimulatorTransport(), local(24, 20))
    (notice,) = notices(engine)
    assert notice.ends_on is None and notice.ended_at is None
    assert outbound(engine, "flow.sick.ask_length") == []

    # Wednesday: quiet hours hold; at 08:05 the day is covered, the centre told, the citizen asked.
    sick_notice_sweep_job(engine, settings, None, local(25, 6))
    assert outbound(engine, "absence.check_in") == []
    sick_notice_sweep_job(engine, settings, None, local(25, 8, 5))
    assert world.wednesday_class.id in linked(engine, notice.id)
    (check_in,) = outbound(engine, "absence.check_in")
    assert (check_in.params["reference"], check_in.locale) == (notice.reference, language)
    assert len(outbound(engine, "absence.notice_centre_open")) == 2  # Tuesday's class and Wednesday's
    enqueue_due(engine, local(25, 8, 6), "Europe/Copenhagen")
    with Session(engine) as s:
        reminder = s.exec(select(Reminder).where(Reminder.appointment_id == world.wednesday_class.id)).one()
        assert reminder.status == ReminderStatus.skipped  # no ordinary reminder for a covered class
        assert reminder.reason == "covered by a sick notice"
    sick_notice_sweep_job(engine, settings, None, local(25, 9))
    assert len(outbound(engine, "absence.check_in")) == 1  # once a day

    # No answer on Wednesday: the consultant's item says so; the notice stays open.
    run_flow_timeouts(engine, settings, SimulatorTransport(), local(25, 20))
    with Session(engine) as s:
        item = s.exec(select(OpenItem).where(OpenItem.kind == "sick_notice",
                                             col(OpenItem.resolved_at).is_(None))).one()
        assert item.details["check_in_answered"] is False
        assert "intet svar" in item.summary
    # Thursday: asked again; "2" (I'm better) ends the notice.
    sick_notice_sweep_job(engine, settings, None, local(26, 8, 5))
    assert len(outbound(engine, "absence.check_in")) == 2
    answer = text(engine, settings, "2", stored=local(26, 8, 10))
    assert [m.template for m in answer] == ["absence.ended"]
    (notice,) = notices(engine)
    assert notice.ended_at == local(26, 8, 10)
    # Better before Thursday's 09:00 class: it is no longer covered, its outcome is open again.
    assert thursday_id not in linked(engine, notice.id)
    assert notice.ends_on == date(2026, 11, 25)


def test_still_sick_keeps_the_notice_open(engine, settings, world):
    text(engine, settings, "syg", stored=local(24, 7))
    sick_notice_sweep_job(engine, settings, None, local(25, 8, 5))
    answer = text(engine, settings, "1", stored=local(25, 8, 20))
    assert [m.template for m in answer] == ["ack.sick_notice_open"]
    (notice,) = notices(engine)
    assert notice.ended_at is None and notice.ends_on is None


def test_a_sick_reason_while_already_sick_joins_the_open_notice_and_is_answered(engine, settings, world):
    text(engine, settings, "syg", stored=local(24, 7))
    text(engine, settings, "3", stored=local(24, 7, 2))  # don't know yet
    asked = text(engine, settings, "nej", stored=local(24, 7, 5))
    assert [m.template for m in asked] == ["absence.cancellation_receipt"]
    reason = text(engine, settings, "jeg er syg", stored=local(24, 7, 6))
    # One notice, one answer: the cancellation now points at the notice already open.
    assert [m.template for m in reason] == ["flow.sick.ask_length"]
    assert len(notices(engine)) == 1


def test_asking_for_the_next_appointment_instead_of_a_reason_is_answered_not_stored(engine, settings, world):
    text(engine, settings, "nej", stored=local(24, 7))
    answer = text(engine, settings, "hvornår er mit næste møde", stored=local(24, 7, 1))
    assert [m.template for m in answer] == ["reminder.next_appointments"]


def test_a_lone_number_with_nothing_asked_and_nothing_coming_records_nothing(engine, settings, world):
    speaks(engine, world.citizen.id, "da")
    with Session(engine) as s:
        for appointment in s.exec(select(Appointment)).all():
            s.delete(appointment)
        s.commit()
    answer = text(engine, settings, "2", stored=local(24, 7))
    assert [m.template for m in answer] == ["reminder.no_open_appointment"]
    # Said in words, it is a statement: recorded, and staff find out which appointment.
    answer = text(engine, settings, "kan ikke komme", stored=local(24, 7, 5))
    assert [m.template for m in answer] == ["absence.cancellation_unlinked"]


def test_the_company_and_the_language_centre_are_not_texted_at_night(engine, settings, world):
    # "syg" at 23:00 on Monday: the receipt answers at once, the others hear at 08:00.
    answer = text(engine, settings, "syg", stored=local(23, 23))
    assert answer[0].due_at == local(23, 23)
    (centre,) = outbound(engine, "absence.notice_centre_open")
    (employer,) = outbound(engine, "absence.notice_employer_open")
    assert centre.due_at == employer.due_at == local(24, 8)


def test_i_am_not_sick_i_am_coming_confirms_the_next_appointment(engine, settings, world):
    speaks(engine, world.citizen.id, "da")
    answer = text(engine, settings, "jeg er ikke syg, jeg kommer", stored=local(24, 7))
    assert [m.template for m in answer] == ["reminder.confirmed"]
    assert notices(engine) == []
    with Session(engine) as s:
        assert s.get(Appointment, world.klass.id).confirmation.value == "confirmed"


NOT_SICK = {"da": "jeg er ikke syg", "en": "I'm not sick", "ar": "ana mish mareed", "uk": "я не хворію",
            "fa": "مریض نیستم", "ku": "ez ne nexweş im"}


@pytest.mark.parametrize("language", sorted(NOT_SICK))
def test_i_am_not_sick_takes_back_a_notice_sent_by_mistake(engine, settings, world, language):
    """"syg" on a shared phone, then "I'm not sick" while asked how long: the notice ends when the
    denial arrived (the record stays, ended), never a menu that leaves it open."""
    speaks(engine, world.citizen.id, language)
    text(engine, settings, BARE_SICK[language], stored=local(24, 7))
    answer = text(engine, settings, NOT_SICK[language], stored=local(24, 7, 3))
    assert [m.template for m in answer] == ["absence.ended"]
    (notice,) = notices(engine)
    assert notice.ended_at == local(24, 7, 3)


def test_i_am_not_sick_with_nothing_open_records_nothing_and_says_so(engine, settings, world):
    answer = text(engine, settings, "jeg er ikke syg", stored=local(24, 7))
    assert answer[0].template == "absence.none_open"
    assert notices(engine) == []


def test_a_notice_made_clear_by_the_menu_is_stamped_when_the_unclear_message_arrived(engine, settings, world):
    # "sygg" is not read as ill for sure; the menu asks, and "1" three hours later says it was.
    [menu] = text(engine, settings, "sygg", stored=local(24, 7))
    assert menu.template == "flow.clarify"
    answer = text(engine, settings, "1", stored=local(24, 10))
    # The receipt answers the "1" (it goes out with it), while the notice is the first message's.
    assert [m.template for m in answer][:1] == ["absence.receipt_ask_length"]
    with Session(engine) as s:
        [notice] = s.exec(select(SickNotice)).all()
        first = s.exec(select(Message).where(Message.body == "sygg")).one()
    assert notice.inbound_message_id == first.id
    assert notice.received_at == local(24, 7)
    # Told at 07:00, the 09:00 class is covered in good time.
    assert notice.text == "sygg" and not notice.late


def _cancellations(engine) -> list:
    from bot.sick_notices.models import Cancellation

    with Session(engine, expire_on_commit=False) as s:
        return list(s.exec(select(Cancellation).order_by(col(Cancellation.id))).all())


def test_cant_come_tomorrow_cancels_tomorrows_class_not_todays(engine, settings, world):
    text(engine, settings, "kan ikke komme i morgen", stored=local(24, 7))
    [cancellation] = _cancellations(engine)
    assert cancellation.appointment_id == world.wednesday_class.id


def test_a_named_day_without_appointments_is_kept_for_staff_to_place(engine, settings, world):
    # "I won't come on Friday": nothing is on Friday, so no other day's appointment is cancelled.
    text(engine, settings, "не прийду в пятницю", stored=local(24, 7))
    [cancellation] = _cancellations(engine)
    assert cancellation.appointment_id is None


def test_a_named_day_with_two_appointments_asks_which(engine, settings, world):
    answers = text(engine, settings, "jeg kan ikke komme i dag", stored=local(24, 7))
    assert answers[0].template == "reminder.which_appointment"
    text(engine, settings, "2", stored=local(24, 7, 5))
    [cancellation] = _cancellations(engine)
    assert cancellation.appointment_id == world.internship.id


def test_not_today_to_a_reminder_about_todays_class_cancels_that_class(engine, settings, world):
    from bot.conversations import service as conversations
    from bot.reminders.conversation_hook import ask_attendance

    with Session(engine) as s:
        conversation = conversations.get_or_create(s, phone="+4520123456", now=local(24, 7))
        ask_attendance(s, conversation, appointment_id=world.klass.id, settings=settings, now=local(24, 7))
        s.commit()
    answers = text(engine, settings, "jeg kan ikke komme i dag", stored=local(24, 7, 10))
    assert "reminder.which_appointment" not in [m.template for m in answers]
    [cancellation] = _cancellations(engine)
    assert cancellation.appointment_id == world.klass.id
