"""What a company's page remembers about it, newest first: placements, the no-shows the company
reported, follow-up visits and calls with the next one due, and the partnership's pauses and
resumptions. Read from the domains' own tables and services (``follow_ups``, ``partnership``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from bot.attendance.models import Attendance, OutcomeSource
from bot.contacts.models import Citizen, Staff
from bot.escalations import follow_ups, partnership
from bot.reminders.models import Appointment, Placement

LIMIT = 200


@dataclass(frozen=True)
class NoShow:
    starts_at: datetime
    citizen_id: int
    citizen: str
    outcome: str
    pending_check: bool
    recorded_at: datetime | None


@dataclass(frozen=True)
class PlacementLine:
    id: int
    citizen_id: int
    citizen: str
    kind: str
    start_date: date
    end_date: date | None
    purpose: str | None
    next_follow_up: datetime | None


@dataclass(frozen=True)
class FollowUpLine:
    at: datetime
    kind: str
    citizen: str
    staff: str
    note: str | None


@dataclass(frozen=True)
class PartnershipLine:
    at: datetime | None
    paused: bool
    staff: str
    reason: str | None


def no_shows(session: Session, employer_id: int) -> list[NoShow]:
    """Absences the company reported by SMS, as they stand now, newest first."""
    query = (
        sa_select(
            col(Appointment.starts_at), col(Citizen.id), col(Citizen.name), col(Attendance.outcome),
            col(Attendance.pending_check), col(Attendance.recorded_at),
        )
        .join(Appointment, col(Appointment.id) == col(Attendance.appointment_id))
        .join(Placement, col(Placement.id) == col(Appointment.placement_id))
        .join(Citizen, col(Citizen.id) == col(Attendance.citizen_id))
        .where(col(Placement.employer_id) == employer_id)
        .where(col(Attendance.source) == OutcomeSource.employer_sms)
        .order_by(col(Appointment.starts_at).desc())
        .limit(LIMIT)
    )
    return [
        NoShow(starts, int(cid), name, str(getattr(outcome, "value", outcome)), bool(pending), recorded)
        for starts, cid, name, outcome, pending, recorded in session.execute(query).all()
    ]


def placements(session: Session, employer_id: int) -> list[PlacementLine]:
    due = {f.placement_id: f.due_at for f in follow_ups.due_of(session, employer_id=employer_id)}
    query = (
        select(Placement, Citizen.name)
        .join(Citizen, col(Citizen.id) == col(Placement.citizen_id))
        .where(Placement.employer_id == employer_id)
        .order_by(col(Placement.start_date).desc(), col(Placement.id).desc())
        .limit(LIMIT)
    )
    return [
        PlacementLine(p.id or 0, p.citizen_id, name, p.kind.value, p.start_date, p.end_date, p.purpose,
                      due.get(p.id or 0))
        for p, name in session.exec(query).all()
    ]


def _names(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(model.id, model.name).where(col(model.id).in_(ids))).all()
    return {row[0]: row[1] for row in rows}


def memory(session: Session, employer_id: int) -> dict[str, Any]:
    """The company's placements, no-shows, follow-ups and partnership changes, as plain lines."""
    placed = placements(session, employer_id)
    contacts = follow_ups.contacts_of(session, employer_id=employer_id)[:LIMIT]
    history = partnership.history(session, employer_id=employer_id)
    staff = _names(session, Staff, {c.staff_id for c in contacts if c.staff_id}
                   | {e.staff_id for e in history if e.staff_id})
    citizens = {p.id: p.citizen for p in placed}
    return {
        "placements": placed,
        "no_shows": no_shows(session, employer_id),
        "follow_ups": [
            FollowUpLine(c.at, c.kind.value, citizens.get(c.placement_id, ""), staff.get(c.staff_id or 0, ""),
                         c.note)
            for c in contacts
        ],
        "partnership": [
            PartnershipLine(e.at, e.action == partnership.ACTIONS[0], staff.get(e.staff_id or 0, ""),
                            (e.details or {}).get("reason"))
            for e in history
        ],
    }
