"""What the clock runs for attendance: an open item for each appointment left without an outcome."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.attendance import attendance
from bot.attendance.models import Attendance
from bot.config import Settings
from bot.contacts.models import Citizen
from bot.db import session_scope
from bot.items import service as items
from bot.reminders.models import Appointment, AppointmentStatus
from bot.sick_notices import service

log = logging.getLogger("bot.attendance")

MISSING_INTERVAL_SECONDS = 3600.0
# A first run on an old database must not flood staff with items from years ago.
LOOKBACK_DAYS = 14


def open_missing_outcome_items(session: Session, *, now: datetime, tz: str) -> int:
    """An appointment from before today that still has no outcome becomes an open item."""
    today = service.local_date(now, tz)
    midnight, _ = attendance.local_day_bounds(today, tz)
    start, _ = attendance.local_day_bounds(today - timedelta(days=LOOKBACK_DAYS), tz)
    query = (
        select(Appointment, Citizen)
        .join(Citizen, col(Citizen.id) == col(Appointment.citizen_id))
        .outerjoin(Attendance, col(Attendance.appointment_id) == col(Appointment.id))
        .where(col(Attendance.appointment_id).is_(None))
        .where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < midnight)
        .where(Appointment.status != AppointmentStatus.cancelled)
    )
    opened = 0
    for appointment, citizen in session.exec(query).all():
        assert appointment.id is not None
        key = attendance.missing_key(appointment.id)
        if items.by_key(session, key) is not None:
            continue
        items.open(
            session,
            kind="attendance_missing",
            summary=f"No attendance recorded for {citizen.name}: {appointment.kind.value} "
            f"on {service.local_date(appointment.starts_at, tz).isoformat()}",
            now=now,
            dedupe_key=key,
            citizen_id=citizen.id,
            assignee_id=citizen.consultant_id,
            details={"appointment_id": appointment.id},
            due_at=now + timedelta(days=1),
            summary_id="attendance_missing",
            summary_params={"day_on": service.local_date(appointment.starts_at, tz).isoformat()},
        )
        opened += 1
    return opened


def missing_outcomes_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    with session_scope(engine) as session:
        opened = open_missing_outcome_items(session, now=now, tz=settings.timezone)
    if opened:
        log.info("opened %d items for appointments without an outcome", opened)
