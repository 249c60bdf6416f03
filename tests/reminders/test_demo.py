"""The demo has a week of appointments with reminders for the demo citizens."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlmodel import func, select

from bot.demo import load_demo
from bot.preferences.models import Preference
from bot.preferences.operating import MEETING_HOURS
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


def test_demo_reminders_follow_the_meeting_hours_staff_set(session, settings, now):
    """A database whose settings already say 48 and 3 hours gets demo reminders at those hours,
    not the environment's 24 and 2."""
    session.add(Preference(key=MEETING_HOURS.key, value=MEETING_HOURS.dump((48.0, 3.0))))
    session.commit()
    load_demo(session, settings=settings, now=now, seeders=[seed_demo_appointments])
    session.commit()
    kinds = set(session.exec(select(Reminder.kind)).all())
    assert {"before_48h", "before_3h"} <= kinds
    assert not {"before_24h", "before_2h"} & kinds


def test_demo_appointments_fall_on_working_days(session, settings):
    """Loaded on a Wednesday, the meetings four and five days ahead move off the weekend."""
    wednesday = datetime(2026, 12, 2, 8, tzinfo=UTC)
    load_demo(session, settings=settings, now=wednesday, seeders=[seed_demo_appointments])
    session.commit()
    zone = ZoneInfo(settings.timezone)
    days = {a.starts_at.astimezone(zone).weekday() for a in session.exec(select(Appointment)).all()}
    assert days and days <= {0, 1, 2, 3, 4}
