"""The demo has a week of appointments with reminders for the demo citizens."""

from sqlmodel import func, select

from bot.demo import load_demo
from bot.reminders.demo import seed_demo_appointments
from bot.reminders.models import Appointment, Placement, Reminder, ReminderStatus


def test_demo_week(session, settings, now):
    load_demo(session, settings=settings, now=now, seeders=[seed_demo_appointments])
    session.commit()
    kinds = {a.kind for a in session.exec(select(Appointment)).all()}
    assert {"meeting", "class", "internship_day", "follow_up", "job_interview"} <= {str(k) for k in kinds}
    assert session.exec(select(func.count()).select_from(Placement)).one() == 1
    pending = session.exec(select(func.count()).select_from(Reminder)
                           .where(Reminder.status == ReminderStatus.pending)).one()
    assert pending > 10
