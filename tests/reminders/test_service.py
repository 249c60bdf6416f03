"""Appointments and their reminders: create, move, cancel, opt-out, series."""

from datetime import date, time

from sqlmodel import select

from bot.channels.models import Message
from bot.i18n import render
from bot.items.models import OpenItem
from bot.reminders import service
from bot.reminders.models import (
    NOT_REACHABLE,
    AppointmentKind,
    AppointmentStatus,
    PlacementKind,
    Reminder,
    ReminderStatus,
)
from bot.reminders.service import AppointmentInput

from .helpers import citizen, employer_with_contact, local, policy

NOW = local(2026, 11, 20, 12)


def test_meeting_gets_two_pending_reminders(session):
    person = citizen(session)
    appt = service.create_appointment(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting,
                                  starts_at=local(2026, 11, 26, 10), location="Rådhuset"),
        policy=policy(), now=NOW,
    )
    session.commit()
    pending = service.pending_reminders(session, appt.id)
    assert [(r.kind, r.due_at) for r in pending] == [
        ("before_24h", local(2026, 11, 25, 10)), ("before_2h", local(2026, 11, 26, 8)),
    ]
    assert pending[0].asks_confirmation and not pending[1].asks_confirmation


def test_moving_replans_and_tells_the_citizen_old_and_new(session):
    person = citizen(session, language="da")
    appt = service.create_appointment(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting,
                                  starts_at=local(2026, 11, 26, 10), location="Rådhuset"),
        policy=policy(), now=NOW,
    )
    service.move_appointment(session, appt.id, starts_at=local(2026, 11, 27, 13), policy=policy(), now=NOW)
    session.commit()
    rows = service.reminders_for(session, appt.id)
    assert sorted((r.kind, r.status, r.due_at) for r in rows if r.status == ReminderStatus.pending) == [
        ("before_24h", ReminderStatus.pending, local(2026, 11, 26, 13)),
        ("before_2h", ReminderStatus.pending, local(2026, 11, 27, 11)),
    ]
    assert sum(r.status == ReminderStatus.cancelled for r in rows) == 2
    message = session.exec(select(Message)).one()
    assert message.template == "reminder.moved"
    # Kept raw, written in the reader's language when rendered (the citizen's, or staff's Danish).
    text = render(message.template, "da", message.params)
    assert "torsdag d. 26. november" in text and "10:00" in text
    assert "fredag d. 27. november" in text and "13:00" in text
    assert service.get_appointment(session, appt.id).status == AppointmentStatus.moved


def test_cancelling_cancels_reminders_and_tells_the_citizen(session):
    person = citizen(session)
    appt = service.create_appointment(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting,
                                  starts_at=local(2026, 11, 26, 10)),
        policy=policy(), now=NOW,
    )
    service.cancel_appointment(session, appt.id, policy=policy(), now=NOW)
    session.commit()
    assert {r.status for r in service.reminders_for(session, appt.id)} == {ReminderStatus.cancelled}
    message = session.exec(select(Message)).one()
    assert (message.template, message.locale) == ("reminder.cancelled", "ar")


def test_opted_out_citizen_gets_nothing_and_staff_see_why(session):
    person = citizen(session, opted_out=True)
    appt = service.create_appointment(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.meeting,
                                  starts_at=local(2026, 11, 26, 10)),
        policy=policy(), now=NOW,
    )
    service.cancel_appointment(session, appt.id, policy=policy(), now=NOW)
    session.commit()
    rows = service.reminders_for(session, appt.id)
    assert rows and all(r.status == ReminderStatus.skipped and r.reason == NOT_REACHABLE for r in rows)
    assert session.exec(select(Message)).all() == []
    assert appt.sms_note == NOT_REACHABLE
    item = session.exec(select(OpenItem)).one()
    assert NOT_REACHABLE in item.summary and item.citizen_id == person.id


def test_class_series_reminds_once_a_week_and_skips_holidays(session):
    person = citizen(session)
    series, appts = service.create_series(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.class_,
                                  starts_at=NOW, location="Sprogcenter"),
        weekdays=[0, 2, 3], start_time=time(9), end_time=time(12),
        first_date=date(2026, 3, 23), until_date=date(2026, 4, 10), policy=policy(),
        now=local(2026, 3, 1, 12),
    )
    session.commit()
    assert series.skipped_dates == ["2026-04-02", "2026-04-06"]
    due = session.exec(select(Reminder).where(Reminder.status == ReminderStatus.pending)
                       .order_by(Reminder.due_at)).all()
    # One per week: Sunday 18:00 before each week's first class (Easter Monday off: Tuesday's eve).
    assert [r.due_at for r in due] == [local(2026, 3, 22, 18), local(2026, 3, 29, 18), local(2026, 4, 7, 18)]
    assert len(appts) == 7


def test_cancelling_the_first_class_of_a_week_moves_the_week_reminder(session):
    person = citizen(session)
    _, appts = service.create_series(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.class_, starts_at=NOW),
        weekdays=[0, 2], start_time=time(9), end_time=None,
        first_date=date(2026, 11, 30), until_date=date(2026, 12, 4), policy=policy(), now=NOW,
    )
    service.cancel_appointment(session, appts[0].id, policy=policy(), now=NOW, notify=False)
    session.commit()
    assert service.pending_reminders(session, appts[0].id) == []
    assert [r.due_at for r in service.pending_reminders(session, appts[1].id)] == [local(2026, 12, 1, 18)]


def test_internship_first_day_and_follow_up_with_employer(session):
    person = citizen(session)
    employer, contact = employer_with_contact(session)
    placement = service.create_placement(
        session, citizen_id=person.id, employer_id=employer.id, kind=PlacementKind.internship,
        start_date=date(2026, 11, 30), contact_id=contact.id, travel_hint="Bus 340 from the station",
        now=NOW,
    )
    _, days = service.create_series(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.internship_day,
                                  starts_at=NOW, placement_id=placement.id),
        weekdays=[0, 1, 2, 3], start_time=time(9, 30), end_time=time(14),
        first_date=date(2026, 11, 30), until_date=date(2026, 12, 10), policy=policy(), now=NOW,
    )
    follow = service.create_appointment(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.follow_up,
                                  starts_at=local(2026, 12, 10, 13), placement_id=placement.id),
        policy=policy(), now=NOW,
    )
    session.commit()
    first = service.pending_reminders(session, days[0].id)
    assert [(r.kind, r.due_at) for r in first] == [
        ("internship_eve", local(2026, 11, 29, 18)), ("internship_morning", local(2026, 11, 30, 8)),
    ]
    assert all(service.pending_reminders(session, d.id) == [] for d in days[1:])
    assert days[0].location == "Stengade 1, Helsingør" and days[0].contact_name == "Lone"
    follow_ups = service.pending_reminders(session, follow.id)
    assert sorted((r.recipient_kind, r.recipient_id) for r in follow_ups) == [
        ("citizen", person.id), ("employer_contact", contact.id),
    ]


def test_a_series_that_keeps_holidays_when_told(session):
    person = citizen(session)
    series, appts = service.create_series(
        session, AppointmentInput(citizen_id=person.id, kind=AppointmentKind.class_, starts_at=NOW,
                                  skip_holidays=False),
        weekdays=[0], start_time=time(9), end_time=None,
        first_date=date(2026, 4, 6), until_date=date(2026, 4, 6), policy=policy(), now=local(2026, 3, 1, 12),
    )
    assert series.skipped_dates == [] and [a.starts_at for a in appts] == [local(2026, 4, 6, 9)]
