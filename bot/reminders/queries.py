"""What the panel reads about appointments and placements for a citizen's or a company's page."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.contacts.models import Citizen
from bot.reminders.models import Appointment, Placement, Reminder


def appointments_between(
    session: Session, citizen_id: int | None, since: datetime, until: datetime, *, limit: int = 100
) -> tuple[list[Appointment], dict[int, list[Reminder]]]:
    """The citizen's appointments starting in [since, until], by time, with each one's reminders."""
    appointments = list(
        session.exec(
            select(Appointment)
            .where(
                Appointment.citizen_id == citizen_id,
                col(Appointment.starts_at) >= since,
                col(Appointment.starts_at) <= until,
            )
            .order_by(col(Appointment.starts_at))
            .limit(limit)
        ).all()
    )
    ids = [a.id for a in appointments if a.id is not None]
    reminders: dict[int, list[Reminder]] = {}
    if ids:
        for reminder in session.exec(
            select(Reminder).where(col(Reminder.appointment_id).in_(ids)).order_by(col(Reminder.due_at))
        ).all():
            reminders.setdefault(reminder.appointment_id, []).append(reminder)
    return appointments, reminders


def company_placements(
    session: Session, employer_id: int | None, *, limit: int = 100
) -> list[tuple[Placement, str]]:
    """The company's placements, newest first, with the citizen's name."""
    rows = session.exec(
        select(Placement, Citizen.name)
        .join(Citizen, col(Citizen.id) == col(Placement.citizen_id))
        .where(Placement.employer_id == employer_id)
        .order_by(col(Placement.start_date).desc())
        .limit(limit)
    ).all()
    return [(placement, name) for placement, name in rows]


def caseload_ids(session: Session, consultant_id: int | None) -> set[int]:
    """The citizens a consultant is responsible for."""
    ids = session.exec(select(Citizen.id).where(Citizen.consultant_id == consultant_id)).all()
    return {i for i in ids if i is not None}


def reminders_by_appointment(session: Session, appointment_ids: list[int]) -> dict[int, list[Reminder]]:
    """Each appointment's reminders in due order, for a page of appointments in one query."""
    found: dict[int, list[Reminder]] = {}
    if not appointment_ids:
        return found
    rows = session.exec(
        select(Reminder).where(col(Reminder.appointment_id).in_(appointment_ids)).order_by(col(Reminder.due_at))
    ).all()
    for reminder in rows:
        found.setdefault(reminder.appointment_id, []).append(reminder)
    return found
