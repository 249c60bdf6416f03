"""The citizen page says in Danish why a reminder will not go out, without codes or timestamps."""

from __future__ import annotations

from datetime import timedelta

from bot.reminders.models import Appointment, AppointmentKind, RecipientKind, Reminder, ReminderStatus


def test_a_merged_reminder_reads_as_words(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal = world["amal"]
    starts = now + timedelta(days=5)
    meeting = Appointment(citizen_id=amal.id, kind=AppointmentKind.internship_day, starts_at=starts)
    db.add(meeting)
    db.commit()
    kept = starts - timedelta(hours=14)
    db.add_all([
        Reminder(appointment_id=meeting.id, recipient_id=amal.id, kind="internship_eve",
                 template="reminder.internship_first_day", due_at=kept),
        Reminder(appointment_id=meeting.id, recipient_id=amal.id, kind="internship_morning",
                 template="reminder.internship_morning", due_at=kept + timedelta(hours=2),
                 status=ReminderStatus.skipped, reason=f"merged into the reminder due {kept.isoformat()}"),
    ])
    db.commit()
    html = login(world["anna"]).get(f"/admin/citizens/{amal.id}").text
    assert "slået sammen med påmindelsen før" in html
    assert "merged into" not in html and kept.isoformat() not in html


def test_each_reminder_says_whom_it_goes_to(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    """An internship day is reminded to the citizen and to the employer's contact at the same time."""
    amal = world["amal"]
    starts = now + timedelta(days=5)
    day = Appointment(citizen_id=amal.id, kind=AppointmentKind.internship_day, starts_at=starts)
    db.add(day)
    db.commit()
    due = starts - timedelta(hours=20)
    db.add_all([
        Reminder(appointment_id=day.id, recipient_id=amal.id, kind="internship_eve",
                 template="reminder.internship_first_day", due_at=due),
        Reminder(appointment_id=day.id, recipient_kind=RecipientKind.employer_contact, recipient_id=1,
                 kind="employer_eve", template="reminder.employer_eve", due_at=due),
    ])
    db.commit()
    html = login(world["anna"]).get(f"/admin/citizens/{amal.id}").text
    assert "til borgeren: planlagt" in html
    assert "til arbejdsgiverens kontaktperson: planlagt" in html
