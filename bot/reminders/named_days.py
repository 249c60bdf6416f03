"""The days a cancellation names: "kan ikke komme i morgen", "не прийду завтра", "til fredag".

A cancellation that says which day is about that day's appointments, whatever a reminder asked
about last: cancelling Monday's meeting for "I can't come tomorrow" would leave tomorrow's class
an absence without notice, which is the record a sanction is built on. When the named days hold
no appointment, nothing is guessed: the cancellation is kept without one for staff to place.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.flows.dates import days_named
from bot.reminders.models import Appointment
from bot.reminders.scheduling import ACTIVE

# A statement about a long stretch ("until the end of the month") names no particular day.
MOST_DAYS = 7


def named_days(effect: dict[str, Any], received_at: datetime, zone: str) -> tuple[date, date] | None:
    """The first and last local day the message names, or None when it names none."""
    today = received_at.astimezone(ZoneInfo(zone)).date()
    days = days_named(str(effect.get("text") or ""), today)
    if days is None or (days[1] - days[0]).days >= MOST_DAYS:
        return None
    return days


def appointments_on(
    session: Session, citizen_id: int, days: tuple[date, date], *, zone: str, received_at: datetime
) -> list[Appointment]:
    """The citizen's open appointments on ``days`` that had not started an hour before the
    message arrived, nearest first."""
    tz = ZoneInfo(zone)
    starts = datetime.combine(days[0], time.min, tz)
    ends = datetime.combine(days[1] + timedelta(days=1), time.min, tz)
    query = (
        select(Appointment)
        .where(Appointment.citizen_id == citizen_id, col(Appointment.status).in_(ACTIVE),
               col(Appointment.starts_at) >= starts, col(Appointment.starts_at) < ends,
               col(Appointment.starts_at) > received_at - timedelta(hours=1))
        .order_by(col(Appointment.starts_at), col(Appointment.id))
    )
    return list(session.exec(query).all())


__all__ = ["appointments_on", "named_days"]
