"""Placements and appointments: create, move, cancel, list; every change keeps reminders current."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from functools import partial
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlmodel import Session, col, select

from bot.channels import outbox
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.contacts.service import ContactInputError, NotFound
from bot.i18n import N_
from bot.items import service as items
from bot.preferences import operating
from bot.reminders import scheduling, texts, unconfirmed
from bot.reminders.models import (
    Appointment,
    AppointmentCreate,
    AppointmentKind,
    AppointmentSeries,
    AppointmentSeriesCreate,
    AppointmentStatus,
    Confirmation,
    Placement,
    PlacementKind,
    PlacementUpdate,
    Reminder,
    ReminderStatus,
)
from bot.reminders.policy import Policy, danish_holidays, expand_weekly, next_allowed

MOVED = N_("reminder.moved")
CANCELLED = N_("reminder.cancelled")


class AppointmentInputError(ContactInputError):
    """Input a person must correct; ``field`` names what is wrong (a 422 in the API)."""


class AppointmentNotFound(NotFound):
    """No such appointment (a 404 in the API)."""


@dataclass(frozen=True)
class AppointmentInput:
    citizen_id: int
    kind: AppointmentKind
    starts_at: datetime
    ends_at: datetime | None = None
    location: str | None = None
    title: str | None = None
    placement_id: int | None = None
    travel_hint: str | None = None
    contact_name: str | None = None
    centre_id: int | None = None
    skip_holidays: bool = True
    external_ref: str | None = None


def _checked(model: type[BaseModel], values: dict[str, Any]) -> None:
    """The API's Create model's rules, for the panel's form and the CSV import too."""
    try:
        model.model_validate(values)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "starts_at"
        raise AppointmentInputError(field, error["msg"]) from exc


def check_appointment(data: AppointmentInput) -> None:
    """Refuses, as ``create_appointment`` would, what the API's ``AppointmentCreate`` refuses."""
    _check_times(data.starts_at, data.ends_at)
    _checked(AppointmentCreate, asdict(data))


def _check_refs(session: Session, citizen_id: int, placement_id: int | None) -> None:
    if session.get(Citizen, citizen_id) is None:
        raise AppointmentInputError("citizen_id", f"no citizen with id {citizen_id}")
    if placement_id is not None:
        placement = session.get(Placement, placement_id)
        if placement is None:
            raise AppointmentInputError("placement_id", f"no placement with id {placement_id}")
        if placement.citizen_id != citizen_id:
            raise AppointmentInputError("placement_id", "the placement belongs to another citizen")


def _check_times(starts_at: datetime, ends_at: datetime | None) -> None:
    if starts_at.tzinfo is None:
        raise AppointmentInputError("starts_at", "give a time zone offset")
    if ends_at is not None and ends_at <= starts_at:
        raise AppointmentInputError("ends_at", "must be after starts_at")


# -- placements ---------------------------------------------------------------------------------

def create_placement(
    session: Session,
    *,
    citizen_id: int,
    employer_id: int,
    kind: PlacementKind,
    start_date: date,
    now: datetime,
    end_date: date | None = None,
    address: str | None = None,
    contact_id: int | None = None,
    purpose: str | None = None,
    weekly_schedule: list[dict[str, Any]] | None = None,
    travel_hint: str | None = None,
) -> Placement:
    if session.get(Citizen, citizen_id) is None:
        raise AppointmentInputError("citizen_id", f"no citizen with id {citizen_id}")
    employer = session.get(Employer, employer_id)
    if employer is None:
        raise AppointmentInputError("employer_id", f"no employer with id {employer_id}")
    if contact_id is not None:
        contact = session.get(EmployerContact, contact_id)
        if contact is None or contact.employer_id != employer_id:
            raise AppointmentInputError("contact_id", "no contact with that id at this employer")
    if end_date is not None and end_date < start_date:
        raise AppointmentInputError("end_date", "must not be before start_date")
    placement = Placement(
        citizen_id=citizen_id, employer_id=employer_id, kind=kind, start_date=start_date,
        end_date=end_date, address=address or employer.address, contact_id=contact_id, purpose=purpose,
        weekly_schedule=list(weekly_schedule or []), travel_hint=travel_hint, created_at=now,
    )
    session.add(placement)
    session.flush()
    return placement


PLACEMENT_FIELDS = (
    "kind", "start_date", "end_date", "address", "contact_id", "purpose", "travel_hint", "weekly_schedule",
)


def update_placement(session: Session, placement: Placement, *, changes: dict[str, Any]) -> Placement:
    """The API's ``PlacementUpdate`` rules; a placement ends by its end date, never by deletion."""
    _checked(PlacementUpdate, changes)
    for key, value in changes.items():
        if key not in PLACEMENT_FIELDS:
            raise AppointmentInputError(key, "this field cannot be changed")
        setattr(placement, key, value)
    if placement.contact_id is not None:
        contact = session.get(EmployerContact, placement.contact_id)
        if contact is None or contact.employer_id != placement.employer_id:
            raise AppointmentInputError("contact_id", "no contact with that id at this employer")
    if placement.end_date is not None and placement.end_date < placement.start_date:
        raise AppointmentInputError("end_date", "must not be before start_date")
    session.add(placement)
    session.flush()
    return placement


def list_placements(session: Session, *, citizen_id: int | None = None) -> list[Placement]:
    query = select(Placement)
    if citizen_id is not None:
        query = query.where(Placement.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(Placement.start_date), col(Placement.id))).all())


# -- appointments -------------------------------------------------------------------------------

def create_appointment(
    session: Session, data: AppointmentInput, *, policy: Policy, now: datetime, series_id: int | None = None
) -> Appointment:
    _check_refs(session, data.citizen_id, data.placement_id)
    check_appointment(data)
    appointment = Appointment(
        citizen_id=data.citizen_id, kind=data.kind, starts_at=data.starts_at, ends_at=data.ends_at,
        location=data.location, title=data.title, placement_id=data.placement_id,
        travel_hint=data.travel_hint, contact_name=data.contact_name, centre_id=data.centre_id,
        skip_holidays=data.skip_holidays, external_ref=data.external_ref, series_id=series_id,
        created_at=now, updated_at=now,
    )
    _fill_from_placement(session, appointment)
    session.add(appointment)
    session.flush()
    scheduling.schedule(session, appointment, policy=policy, now=now)
    scheduling.replan_neighbours(session, appointment, policy=policy, now=now, around=[appointment.starts_at])
    return appointment


def _fill_from_placement(session: Session, appointment: Appointment) -> None:
    """An internship day without its own details takes the placement's address and contact."""
    if appointment.placement_id is None:
        return
    placement = session.get(Placement, appointment.placement_id)
    if placement is None:
        return
    appointment.location = appointment.location or placement.address
    appointment.travel_hint = appointment.travel_hint or placement.travel_hint
    if appointment.contact_name is None and placement.contact_id is not None:
        contact = session.get(EmployerContact, placement.contact_id)
        appointment.contact_name = contact.name if contact else None


def create_series(
    session: Session,
    data: AppointmentInput,
    *,
    weekdays: list[int],
    start_time: time,
    end_time: time | None,
    first_date: date,
    until_date: date,
    policy: Policy,
    now: datetime,
) -> tuple[AppointmentSeries, list[Appointment]]:
    """A weekly series (classes, internship days); Danish holidays are left out unless told not to."""
    _check_refs(session, data.citizen_id, data.placement_id)
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise AppointmentInputError("weekdays", "give weekdays as numbers 0 (Monday) to 6 (Sunday)")
    if until_date < first_date:
        raise AppointmentInputError("until_date", "must not be before first_date")
    if (until_date - first_date).days > 366 * 2:
        raise AppointmentInputError("until_date", "a series may run for at most two years")
    once = ("starts_at", "ends_at", "external_ref")  # each appointment's own, not the series'
    shared = {key: value for key, value in asdict(data).items() if key not in once}
    _checked(AppointmentSeriesCreate, {**shared, "weekdays": weekdays, "start_time": start_time,
                                       "end_time": end_time, "first_date": first_date,
                                       "until_date": until_date})
    closed = (
        danish_holidays(first_date, until_date) | operating.closing_days(session, first_date, until_date)
        if data.skip_holidays
        else set()
    )
    occurrences, skipped = expand_weekly(
        weekdays=weekdays, start_time=start_time, end_time=end_time, first_date=first_date,
        until_date=until_date, zone=policy.zone, holidays=closed,
    )
    series = AppointmentSeries(
        citizen_id=data.citizen_id, kind=data.kind, title=data.title, location=data.location,
        weekdays=sorted(set(weekdays)), start_time=start_time.strftime("%H:%M"),
        end_time=end_time.strftime("%H:%M") if end_time else None, first_date=first_date,
        until_date=until_date, placement_id=data.placement_id, skip_holidays=data.skip_holidays,
        skipped_dates=[d.isoformat() for d in skipped], travel_hint=data.travel_hint,
        contact_name=data.contact_name, centre_id=data.centre_id, created_at=now,
    )
    session.add(series)
    session.flush()
    created = []
    for occurrence in occurrences:
        item = AppointmentInput(**{**data.__dict__, "starts_at": occurrence.starts_at,
                                   "ends_at": occurrence.ends_at})
        appointment = Appointment(
            citizen_id=item.citizen_id, kind=item.kind, starts_at=item.starts_at, ends_at=item.ends_at,
            location=item.location, title=item.title, placement_id=item.placement_id,
            travel_hint=item.travel_hint, contact_name=item.contact_name, centre_id=item.centre_id,
            skip_holidays=item.skip_holidays, series_id=series.id, created_at=now, updated_at=now,
        )
        _fill_from_placement(session, appointment)
        session.add(appointment)
        session.flush()
        scheduling.schedule(session, appointment, policy=policy, now=now)
        created.append(appointment)
    return series, created


def get_appointment(session: Session, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    if appointment is None:
        raise AppointmentNotFound(f"appointment {appointment_id} does not exist")
    return appointment


def move_appointment(
    session: Session,
    appointment_id: int,
    *,
    starts_at: datetime,
    ends_at: datetime | None = None,
    policy: Policy,
    now: datetime,
    notify: bool = True,
) -> Appointment:
    """Move to a new time: pending reminders are replanned and the citizen is told old and new."""
    appointment = get_appointment(session, appointment_id)
    if appointment.status == AppointmentStatus.cancelled:
        raise AppointmentInputError("status", "a cancelled appointment cannot be moved")
    if ends_at is None and appointment.ends_at is not None:
        ends_at = starts_at + (appointment.ends_at - appointment.starts_at)
    _check_times(starts_at, ends_at)
    old_start = appointment.starts_at
    if old_start == starts_at and ends_at == appointment.ends_at:
        return appointment
    appointment.starts_at = starts_at
    appointment.ends_at = ends_at
    appointment.status = AppointmentStatus.moved
    appointment.confirmation = Confirmation.none
    appointment.updated_at = now
    session.add(appointment)
    session.flush()
    scheduling.schedule(session, appointment, policy=policy, now=now, moved=True)
    scheduling.replan_neighbours(session, appointment, policy=policy, now=now, around=[old_start, starts_at])
    if notify and starts_at > now:
        _tell_citizen(session, appointment, MOVED, policy=policy, now=now, old_start=old_start)
    return appointment


def cancel_appointment(
    session: Session,
    appointment_id: int,
    *,
    policy: Policy,
    now: datetime,
    reason: str | None = None,
    notify: bool = True,
) -> Appointment:
    """Cancel: pending reminders are cancelled and the citizen is told (unless they cancelled)."""
    appointment = get_appointment(session, appointment_id)
    if appointment.status == AppointmentStatus.cancelled:
        return appointment
    appointment.status = AppointmentStatus.cancelled
    appointment.cancel_reason = reason
    appointment.updated_at = now
    session.add(appointment)
    session.flush()
    scheduling.schedule(session, appointment, policy=policy, now=now)
    scheduling.replan_neighbours(session, appointment, policy=policy, now=now, around=[appointment.starts_at])
    items.resolve_by_key(session, unconfirmed.item_key(appointment.id), now=now)
    if notify and appointment.starts_at > now:
        _tell_citizen(session, appointment, CANCELLED, policy=policy, now=now)
    return appointment


def _tell_citizen(session: Session, appointment: Appointment, template: str, *, policy: Policy,
                  now: datetime, old_start: datetime | None = None) -> None:
    citizen = session.get(Citizen, appointment.citizen_id)
    if citizen is None or not scheduling.citizen_reachable(citizen):
        if citizen is not None:
            scheduling.mark_not_reachable(session, appointment, citizen, now=now)
        return
    assert citizen.phone is not None
    if old_start is not None:
        params = texts.moved_params(appointment, old_start, citizen.language, policy.zone)
    else:
        params = texts.appointment_params(appointment, citizen.language, policy.zone)
    # Unsolicited: held through quiet hours, unless the appointment (old or new) comes first.
    needed_by = min(appointment.starts_at, old_start) if old_start is not None else appointment.starts_at
    outbox.enqueue(
        session, phone=citizen.phone, template=template, params=params, language=citizen.language,
        purpose="reminder", contact_kind="citizen", contact_id=citizen.id, now=now,
        quiet_hours=partial(next_allowed, policy=policy), needed_by=needed_by,
    )


def list_appointments(
    session: Session,
    *,
    citizen_id: int | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    include_cancelled: bool = True,
    consultant_id: int | None = None,
    limit: int = 1000,
) -> list[Appointment]:
    query = select(Appointment)
    if consultant_id is not None:
        query = query.join(Citizen, col(Citizen.id) == col(Appointment.citizen_id)).where(
            Citizen.consultant_id == consultant_id
        )
    if citizen_id is not None:
        query = query.where(Appointment.citizen_id == citizen_id)
    if start is not None:
        query = query.where(col(Appointment.starts_at) >= start)
    if end is not None:
        query = query.where(col(Appointment.starts_at) < end)
    if not include_cancelled:
        query = query.where(col(Appointment.status).in_(scheduling.ACTIVE))
    query = query.order_by(col(Appointment.starts_at), col(Appointment.id)).limit(limit)
    return list(session.exec(query).all())


def next_appointments(
    session: Session, *, citizen_id: int, now: datetime, limit: int = 3
) -> list[Appointment]:
    query = (
        select(Appointment)
        .where(
            Appointment.citizen_id == citizen_id,
            col(Appointment.status).in_(scheduling.ACTIVE),
            col(Appointment.starts_at) > now,
        )
        .order_by(col(Appointment.starts_at), col(Appointment.id))
        .limit(limit)
    )
    return list(session.exec(query).all())


def reminders_for(session: Session, appointment_id: int) -> list[Reminder]:
    return list(
        session.exec(
            select(Reminder).where(Reminder.appointment_id == appointment_id)
            .order_by(col(Reminder.due_at), col(Reminder.id))
        ).all()
    )


def pending_reminders(session: Session, appointment_id: int) -> list[Reminder]:
    return [r for r in reminders_for(session, appointment_id) if r.status == ReminderStatus.pending]
