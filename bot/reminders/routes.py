"""``/api/v1/placements``, ``/api/v1/appointments`` and the citizen's calendar address."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlmodel import Session

from bot.access import CHANGES_CITIZENS, reads_health_data
from bot.access import api_can_see_citizen as can_see_citizen
from bot.access import api_sees_all_citizens as sees_all_citizens
from bot.api.auth import CurrentStaff, require_roles
from bot.api.timestamps import ApiDatetime
from bot.clock import utcnow
from bot.contacts.models import Citizen, Staff
from bot.deps import SessionDep, SettingsDep
from bot.reminders import calendar, csv_import, queries, service
from bot.reminders.config import build_policy
from bot.reminders.models import (
    Appointment,
    AppointmentCreate,
    AppointmentPublic,
    AppointmentSeriesCreate,
    AppointmentUpdate,
    Placement,
    PlacementCreate,
    PlacementPublic,
    ReminderPublic,
)
from bot.reminders.service import AppointmentInputError, AppointmentNotFound

router = APIRouter(tags=["appointments"])
Writer = Annotated[Staff, Depends(require_roles(*CHANGES_CITIZENS))]


def _visible(session: Session, staff: Staff, citizen_id: int, field: str = "citizen_id") -> Citizen:
    citizen = session.get(Citizen, citizen_id)
    if citizen is None or not can_see_citizen(staff, citizen):
        raise AppointmentInputError(field, f"there is no citizen with id {citizen_id} in your caseload")
    return citizen


def _own_appointment(session: Session, staff: Staff, appointment_id: int) -> Appointment:
    appointment = session.get(Appointment, appointment_id)
    citizen = session.get(Citizen, appointment.citizen_id) if appointment else None
    if appointment is None or citizen is None or not can_see_citizen(staff, citizen):
        raise AppointmentNotFound(f"There is no appointment with id {appointment_id}.")
    return appointment


# -- placements ---------------------------------------------------------------------------------

@router.get("/placements", response_model=list[PlacementPublic])
def list_placements(
    session: SessionDep, staff: CurrentStaff, citizen_id: Annotated[int | None, Query()] = None
) -> list[Placement]:
    if citizen_id is not None:
        _visible(session, staff, citizen_id)
    rows = service.list_placements(session, citizen_id=citizen_id)
    if sees_all_citizens(staff):
        return rows
    mine = _caseload(session, staff)
    return [p for p in rows if p.citizen_id in mine]


@router.post("/placements", response_model=PlacementPublic, status_code=status.HTTP_201_CREATED)
def create_placement(body: PlacementCreate, session: SessionDep, staff: Writer) -> Placement:
    _visible(session, staff, body.citizen_id)
    return service.create_placement(
        session, citizen_id=body.citizen_id, employer_id=body.employer_id, kind=body.kind,
        start_date=body.start_date, end_date=body.end_date, address=body.address,
        contact_id=body.contact_id, purpose=body.purpose, weekly_schedule=body.schedule(),
        travel_hint=body.travel_hint, now=utcnow(),
    )


def _caseload(session: Session, staff: Staff) -> set[int]:
    return queries.caseload_ids(session, staff.id)


# -- appointments -------------------------------------------------------------------------------

def _for(staff: Staff, appointment: Appointment) -> AppointmentPublic:
    """The appointment as ``staff`` may read it: a cancellation's reason is health data."""
    out = AppointmentPublic.model_validate(appointment)
    if not reads_health_data(staff.role):
        out.cancel_reason = None
    return out


def _public(session: Session, staff: Staff, appointment: Appointment) -> AppointmentPublic:
    out = _for(staff, appointment)
    assert appointment.id is not None
    out.reminders = [ReminderPublic.model_validate(r) for r in service.reminders_for(session, appointment.id)]
    return out


def _publics(session: Session, staff: Staff, rows: list[Appointment]) -> list[AppointmentPublic]:
    by_appt = queries.reminders_by_appointment(session, [a.id for a in rows if a.id is not None])
    result = []
    for a in rows:
        out = _for(staff, a)
        out.reminders = [ReminderPublic.model_validate(r) for r in by_appt.get(a.id or 0, [])]
        result.append(out)
    return result


@router.get("/appointments", response_model=list[AppointmentPublic])
def list_appointments(
    session: SessionDep,
    staff: CurrentStaff,
    citizen_id: Annotated[int | None, Query()] = None,
    start: Annotated[ApiDatetime | None, Query(alias="from", description="Starting at or after.")] = None,
    end: Annotated[ApiDatetime | None, Query(alias="to", description="Starting before.")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[AppointmentPublic]:
    if citizen_id is not None:
        _visible(session, staff, citizen_id)
    only_mine = citizen_id is None and not sees_all_citizens(staff)
    rows = service.list_appointments(
        session, citizen_id=citizen_id, start=start, end=end, limit=limit,
        consultant_id=staff.id if only_mine else None,
    )
    return _publics(session, staff, rows)


@router.get("/appointments/{appointment_id}", response_model=AppointmentPublic)
def get_appointment(appointment_id: int, session: SessionDep, staff: CurrentStaff) -> AppointmentPublic:
    return _public(session, staff, _own_appointment(session, staff, appointment_id))


@router.post("/appointments", response_model=AppointmentPublic, status_code=status.HTTP_201_CREATED)
def create_appointment(
    body: AppointmentCreate, session: SessionDep, settings: SettingsDep, staff: Writer
) -> AppointmentPublic:
    _visible(session, staff, body.citizen_id)
    data = service.AppointmentInput(**body.model_dump())
    policy = build_policy(settings, session=session)
    appointment = service.create_appointment(session, data, policy=policy, now=utcnow())
    return _public(session, staff, appointment)


@router.post("/appointments/series", response_model=list[AppointmentPublic],
             status_code=status.HTTP_201_CREATED)
def create_series(
    body: AppointmentSeriesCreate, session: SessionDep, settings: SettingsDep, staff: Writer
) -> list[AppointmentPublic]:
    _visible(session, staff, body.citizen_id)
    now = utcnow()
    fields = body.model_dump(exclude={"weekdays", "start_time", "end_time", "first_date", "until_date"})
    data = service.AppointmentInput(starts_at=now, **fields)
    _, rows = service.create_series(
        session, data, weekdays=body.weekdays, start_time=body.start_time, end_time=body.end_time,
        first_date=body.first_date, until_date=body.until_date, now=now,
        policy=build_policy(settings, session=session),
    )
    return _publics(session, staff, rows)


@router.patch("/appointments/{appointment_id}", response_model=AppointmentPublic)
def update_appointment(
    appointment_id: int, body: AppointmentUpdate, session: SessionDep, settings: SettingsDep, staff: Writer
) -> AppointmentPublic:
    appointment = _own_appointment(session, staff, appointment_id)
    policy, now = build_policy(settings, session=session), utcnow()
    if body.status == "cancelled":
        if body.starts_at is not None or body.ends_at is not None:
            raise AppointmentInputError("status", "cancel or move, not both at once")
        appointment = service.cancel_appointment(
            session, appointment_id, policy=policy, now=now, reason=body.reason, notify=body.notify
        )
    elif body.starts_at is not None:
        appointment = service.move_appointment(
            session, appointment_id, starts_at=body.starts_at, ends_at=body.ends_at, policy=policy,
            now=now, notify=body.notify,
        )
    elif body.ends_at is not None:
        appointment = service.move_appointment(
            session, appointment_id, starts_at=appointment.starts_at, ends_at=body.ends_at, policy=policy,
            now=now, notify=False,
        )
    else:
        raise AppointmentInputError("starts_at", "give starts_at/ends_at to move, or status: cancelled")
    return _public(session, staff, appointment)


class ImportReport(BaseModel):
    rows: int
    dry_run: bool
    imported: int
    problems: list[dict[str, Any]]


@router.post("/appointments/import", response_model=ImportReport,
             responses={422: {"description": "A bad row: nothing was imported"}})
def import_csv(
    file: UploadFile,
    session: SessionDep,
    settings: SettingsDep,
    staff: Writer,
    dry_run: Annotated[bool, Query(description="Check every row and import nothing.")] = False,
) -> Any:
    """Appointments from a CSV file (see ``bot/reminders/csv_import.py`` for the columns).

    Every bad row is listed with its line, column and reason; a file with any bad row imports
    nothing. Citizens outside your caseload count as bad rows.
    """
    raw = file.file.read()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AppointmentInputError("file", "the file is not UTF-8 text; save it as CSV UTF-8") from None
    result = csv_import.import_appointments(
        session, content, policy=build_policy(settings, session=session), now=utcnow(),
        region=settings.default_region,
        dry_run=True,
    )
    if result.ok and not sees_all_citizens(staff):
        result.problems.extend(_outside_caseload(session, staff, content, settings.default_region))
    if result.ok and not dry_run:
        result = csv_import.import_appointments(
            session, content, policy=build_policy(settings, session=session), now=utcnow(),
            region=settings.default_region, dry_run=False,
        )
    report = ImportReport(
        rows=result.rows, dry_run=dry_run, imported=len(result.created_ids),
        problems=[{"line": p.line, "column": p.column, "message": p.message} for p in result.problems],
    )
    if result.problems:
        return JSONResponse(report.model_dump(), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    return report


def _outside_caseload(
    session: Session, staff: Staff, content: str, region: str
) -> list[csv_import.RowProblem]:
    mine = _caseload(session, staff)
    return [
        csv_import.RowProblem(line, "citizen_id", "this citizen is not in your caseload")
        for line, citizen_id in csv_import.citizen_ids(session, content, region=region)
        if citizen_id not in mine
    ]


# -- calendar -----------------------------------------------------------------------------------

class CalendarAddress(BaseModel):
    url: str
    token: str


@router.post("/citizens/{citizen_id}/calendar-token", response_model=CalendarAddress,
             status_code=status.HTTP_201_CREATED)
def make_calendar_token(citizen_id: int, session: SessionDep, settings: SettingsDep,
                        staff: Writer) -> CalendarAddress:
    """A new secret calendar address for the citizen (the old one stops working). Shown once."""
    _visible(session, staff, citizen_id)
    token = calendar.issue_token(session, citizen_id=citizen_id)
    return CalendarAddress(url=calendar.feed_url(settings.public_url, token), token=token)


@router.delete("/citizens/{citizen_id}/calendar-token", status_code=status.HTTP_204_NO_CONTENT)
def revoke_calendar_token(citizen_id: int, session: SessionDep, staff: Writer) -> Response:
    _visible(session, staff, citizen_id)
    calendar.revoke_token(session, citizen_id=citizen_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
