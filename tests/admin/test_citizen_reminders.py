"""The citizen page says in Danish why a reminder will not go out, without codes or timestamps."""

from __future__ import annotations

from datetime import timedelta

from bot.reminders.models import Appointment, AppointmentKind, Reminder, ReminderStatus


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
