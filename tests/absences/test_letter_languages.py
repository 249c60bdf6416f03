"""Each language of a hearing SMS and letter writes its own dates; Danish dates carry the period
after the day number; a cancelled appointment is named by what it was."""

from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.channels.models import Message
from bot.contacts.models import Role, Staff
from bot.hearings import hearings, letters
from bot.reminders.models import AppointmentKind
from bot.sick_notices.models import Cancellation
from tests.absences.conftest import STARTED, add_appointment

TZ = "Europe/Copenhagen"


def _ukrainian_case(s, world, now):
    world.citizen.language = "uk"
    s.add(world.citizen)
    caseworker = Staff(name="Birte", email="birte@kommune.dk", role=Role.caseworker)
    s.add(caseworker)
    s.flush()
    attendance.mark_many(s, appointment_ids=[world.klass.id, world.internship.id],
                         outcome=Outcome.absent_without_notice, now=now + STARTED, staff_id=world.consultant.id)
    return hearings.open_case(s, citizen_id=world.citizen.id, appointment_ids=[world.klass.id, world.internship.id],
                              staff_id=caseworker.id, now=now, tz=TZ)


def test_the_two_language_sms_writes_the_deadline_in_each_half_s_language(engine, world, now):
    with Session(engine) as s:
        case = _ukrainian_case(s, world, now)
        sms = s.get(Message, case.notice_message_id)
        assert sms.template == "legal.draft_pair"  # the Ukrainian text is a draft: Danish beside it
        assert "Du kan svare senest tirsdag d. 1. december" in sms.params["danish"]
        assert "грудня" not in sms.params["danish"]
        assert "1 грудня (вівторок)" in sms.params["text"] and "december" not in sms.params["text"]


def test_each_letter_writes_its_dates_in_its_own_language(engine, world, now):
    with Session(engine) as s:
        case = _ukrainian_case(s, world, now)
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
    start = html.index('<section class="letter" lang="uk"')
    danish, ukrainian = html[:start], html[start:]
    assert "24. november 2026" in danish  # the letter's date, Danish, with the period
    assert "tirsdag 1. december 2026" in danish  # the deadline
    assert "tirsdag 24. november 2026 09:00" in danish  # the absence
    assert "24 листопада 2026" in ukrainian and "november" not in ukrainian
    assert "1 грудня 2026" in ukrainian and "december" not in ukrainian
    # What only staff can fill in (the address, the municipality, the legal basis) is typed into
    # the marked fields of the page before it is printed: no script needed.
    assert html.count('<span class="placeholder" contenteditable="true">') == 6


def test_a_cancelled_mentor_meeting_is_named_as_one(engine, world, now):
    with Session(engine) as s:
        mentor = add_appointment(s, world.citizen.id, AppointmentKind.mentor,
                                 datetime(2026, 11, 24, 13, 0, tzinfo=UTC))
        s.add(Cancellation(reference="A-2026-000060", citizen_id=world.citizen.id, appointment_id=mentor.id,
                           received_at=now + timedelta(hours=1)))
        s.flush()
        case = _ukrainian_case(s, world, now)
        html = letters.render_letter(s, case_id=case.id, tz=TZ, now=now)
    danish = html[:html.index('<section class="letter" lang="uk"')]
    assert "til Mentormøde den 24. november 2026 14:00." in danish
    assert "til Aftale" not in danish
