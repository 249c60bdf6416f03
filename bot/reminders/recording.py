"""Staff put appointments on record from the panel's forms: one meeting, a weekly series, a move,
a cancellation or a CSV file, each with its audit entry in the same action, so the forms only
read the fields and show the result."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlmodel import Session

from bot.access import Viewer
from bot.audit import service as audit
from bot.contacts.recording import record_changes
from bot.reminders import csv_import, service
from bot.reminders.models import Appointment, AppointmentSeries, Placement, PlacementKind
from bot.reminders.policy import Policy


def create_appointment(
    *,
    session: Session,
    acting_staff: Viewer,
    data: service.AppointmentInput,
    policy: Policy,
    now: datetime,
    via: str,
    address: str | None = None,
) -> Appointment:
    appointment = service.create_appointment(session, data, policy=policy, now=now)
    audit.record_by(session, acting_staff, "create", f"appointment:{appointment.id}", now, address,
            {"citizen_id": data.citizen_id, "via": via})
    return appointment


def create_series(
    *,
    session: Session,
    acting_staff: Viewer,
    data: service.AppointmentInput,
    weekdays: list[int],
    start_time: time,
    end_time: time | None,
    first_date: date,
    until_date: date,
    policy: Policy,
    now: datetime,
    via: str,
    address: str | None = None,
) -> tuple[AppointmentSeries, list[Appointment]]:
    series, rows = service.create_series(session, data, weekdays=weekdays, start_time=start_time,
                                         end_time=end_time, first_date=first_date, until_date=until_date,
                                         policy=policy, now=now)
    audit.record_by(session, acting_staff, "create", f"series:{series.id}", now, address,
            {"citizen_id": data.citizen_id, "appointments": len(rows), "via": via})
    return series, rows


def move(
    *,
    session: Session,
    acting_staff: Viewer,
    appointment_id: int,
    starts_at: datetime,
    ends_at: datetime | None,
    policy: Policy,
    now: datetime,
    notify: bool,
    via: str,
    address: str | None = None,
) -> Appointment:
    """A new time; the citizen is told unless ``notify`` is false. On record with both times."""
    old = service.get_appointment(session, appointment_id).starts_at
    appointment = service.move_appointment(session, appointment_id, starts_at=starts_at, ends_at=ends_at,
                                           policy=policy, now=now, notify=notify)
    audit.record_by(session, acting_staff, "move", f"appointment:{appointment_id}", now, address,
            {"from": old.isoformat(), "to": starts_at.isoformat(), "notify": notify, "via": via})
    return appointment


def cancel(
    *,
    session: Session,
    acting_staff: Viewer,
    appointment_id: int,
    policy: Policy,
    now: datetime,
    reason: str | None,
    notify: bool,
    via: str,
    address: str | None = None,
) -> Appointment:
    appointment = service.cancel_appointment(session, appointment_id, policy=policy, now=now, reason=reason,
                                             notify=notify)
    audit.record_by(session, acting_staff, "cancel", f"appointment:{appointment_id}", now, address,
            {"notify": notify, "via": via})
    return appointment


def import_file(
    *,
    session: Session,
    acting_staff: Viewer,
    content: str,
    policy: Policy,
    now: datetime,
    region: str,
    via: str,
    address: str | None = None,
) -> csv_import.ImportResult:
    """The file's appointments, all or none; only an import that wrote them is on record."""
    result = csv_import.import_appointments(session, content, policy=policy, now=now, region=region)
    if result.ok:
        audit.record_by(session, acting_staff, "import", "appointments", now, address,
                {"via": via, "rows": result.rows, "appointment_ids": result.created_ids})
    return result


def create_placement(
    *,
    session: Session,
    acting_staff: Viewer,
    citizen_id: int,
    employer_id: int,
    kind: PlacementKind,
    start_date: date,
    end_date: date | None,
    placement_address: str | None,
    contact_id: int | None,
    purpose: str | None,
    travel_hint: str | None,
    now: datetime,
    via: str,
    weekly_schedule: list[dict[str, Any]] | None = None,
    address: str | None = None,
) -> Placement:
    placement = service.create_placement(
        session, citizen_id=citizen_id, employer_id=employer_id, kind=kind, start_date=start_date,
        end_date=end_date, address=placement_address, contact_id=contact_id, purpose=purpose,
        travel_hint=travel_hint, weekly_schedule=weekly_schedule, now=now)
    audit.record_by(session, acting_staff, "create", f"placement:{placement.id}", now, address,
            {"citizen_id": citizen_id, "employer_id": employer_id, "via": via})
    return placement


def update_placement(
    *,
    session: Session,
    acting_staff: Viewer,
    placement: Placement,
    changes: dict[str, Any],
    now: datetime,
    via: str,
    address: str | None = None,
) -> list[str]:
    """The fields that changed (an end date given is how a placement ends); none, nothing recorded."""
    return record_changes(
        session, acting_staff, placement, f"placement:{placement.id}", service.PLACEMENT_FIELDS,
        lambda: service.update_placement(session, placement, changes=changes),
        now=now, address=address, details={"citizen_id": placement.citizen_id, "via": via})
