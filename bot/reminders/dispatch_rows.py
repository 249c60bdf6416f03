"""What a batch of due reminders needs to know besides the reminders, read as plain rows.

The dispatcher only reads appointments, placements, citizens, employers and employer contacts to
compose messages, so they are fetched with one ``SELECT ... WHERE id IN (...)`` per table as
plain rows (attribute access by column name) rather than ORM objects: building and tracking an
ORM object per row cost more than composing its message. The one path that changes them
(``scheduling.mark_not_reachable``) loads its two objects through the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlmodel import Session

from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.reminders.models import Appointment, Placement, RecipientKind


@dataclass
class Related:
    appointments: dict[int, Any] = field(default_factory=dict)
    placements: dict[int, Any] = field(default_factory=dict)
    citizens: dict[int, Any] = field(default_factory=dict)
    employers: dict[int, Any] = field(default_factory=dict)
    contacts: dict[int, Any] = field(default_factory=dict)

    def citizen_phones(self) -> set[str]:
        return {row.phone for row in self.citizens.values() if row.phone}


# The columns composing a message reads: converting the others (timestamps above all) for every
# row of a batch cost more than reading the ones used.
_APPOINTMENT = ("id", "status", "starts_at", "placement_id", "citizen_id", "location", "title", "kind",
                "contact_name", "travel_hint")
_PLACEMENT = ("id", "employer_id", "address")
_PERSON = ("id", "name", "phone", "language", "opted_out")


def _rows(session: Session, model: Any, ids: set[int], columns: tuple[str, ...]) -> dict[int, Any]:
    if not ids:
        return {}
    table: Table = model.__table__
    found = session.connection().execute(
        select(*(table.c[name] for name in columns)).where(table.c.id.in_(sorted(ids)))
    ).all()
    return {row.id: row for row in found}


def related(session: Session, reminders: list[Any]) -> Related:
    """Five queries for a whole batch, whatever its size."""
    appointments = _rows(session, Appointment, {r.appointment_id for r in reminders}, _APPOINTMENT)
    placements = _rows(session, Placement, {a.placement_id for a in appointments.values() if a.placement_id},
                       _PLACEMENT)
    return Related(
        appointments=appointments,
        placements=placements,
        citizens=_rows(session, Citizen, {a.citizen_id for a in appointments.values()}, _PERSON),
        employers=_rows(session, Employer, {p.employer_id for p in placements.values()}, ("id", "name")),
        contacts=_rows(session, EmployerContact, {
            r.recipient_id for r in reminders if r.recipient_kind == RecipientKind.employer_contact
        }, _PERSON),
    )
