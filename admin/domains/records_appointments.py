"""One-off appointments and weekly series (Danish classes), moving and cancelling them.

Everything goes through ``bot.reminders.service`` as the API's ``/appointments`` routes do:
reminders are planned there, and ``move_appointment`` / ``cancel_appointment`` tell the citizen
by SMS exactly as the API does (unless staff untick "tell the citizen"). Times are typed in
local time (``BOT_TIMEZONE``) and read with ``parse_local``. Who may change: consultants for
their own citizens, team leads and admins for all (``bot.access.CHANGES_CITIZENS``). The
service writes no audit entry, so each route records one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.domains.absences import APPOINTMENT_KINDS
from admin.domains.hearing_actions import parse_local
from admin.i18n import T_
from admin.templating import environment, redirect, render
from admin.visibility import Viewer
from bot.contacts.service import ContactInputError
from bot.conversations import other_sick
from bot.deps import SessionDep
from bot.reminders import policy, recording, service
from bot.reminders.config import build_policy
from bot.reminders.models import Appointment, AppointmentKind, AppointmentStatus

router = APIRouter()
WEEKDAYS = (T_("Monday"), T_("Tuesday"), T_("Wednesday"), T_("Thursday"), T_("Friday"), T_("Saturday"),
            T_("Sunday"))
NEW_FIELDS = ("citizen_id", "kind", "title", "location", "starts_at", "ends_at", "repeat", "start_time",
              "end_time", "first_date", "until_date")


def _kinds() -> list[tuple[str, str]]:
    return [(kind.value, APPOINTMENT_KINDS.get(kind.value, kind.value)) for kind in AppointmentKind]


def _new_form(request: Request, session: Session, viewer: Viewer, now: datetime, typed: dict[str, Any],
              errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    tr = common.translator(request)
    return render(request, "records/appointment_new.html", {
        "viewer": viewer, "typed": typed, "errors": errors or {},
        "citizens": [(c.id, c.name) for c in common.citizen_choices(session, viewer)],
        "kinds": [(value, tr(label)) for value, label in _kinds()],
        "weekdays": [(number, tr(day)) for number, day in enumerate(WEEKDAYS)],
    }, status_code=status_code, now=now)


@router.get("/appointments/new")
def new_appointment(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, citizen_id: str = "",
    repeat: str = "once",
) -> Response:
    common.require(common.changes_citizens(viewer))
    typed: dict[str, Any] = {"citizen_id": citizen_id, "kind": "meeting" if repeat == "once" else "class",
                             "repeat": repeat, "weekdays": []}
    return _new_form(request, session, viewer, now, typed)


@router.post("/appointments/new")
def create_appointment(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
    citizen_id: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "", location: Annotated[str, Form()] = "",
    repeat: Annotated[str, Form()] = "once", starts_at: Annotated[str, Form()] = "",
    ends_at: Annotated[str, Form()] = "", weekdays: Annotated[list[int] | None, Form()] = None,
    start_time: Annotated[str, Form()] = "", end_time: Annotated[str, Form()] = "",
    first_date: Annotated[str, Form()] = "", until_date: Annotated[str, Form()] = "",
    skip_holidays: Annotated[str, Form()] = "",
) -> Response:
    common.require(common.changes_citizens(viewer))
    form = dict(zip(NEW_FIELDS, (citizen_id, kind, title, location, starts_at, ends_at, repeat, start_time,
                                 end_time, first_date, until_date), strict=True))
    typed: dict[str, Any] = {**form, "weekdays": weekdays or [], "skip_holidays": skip_holidays}
    try:
        citizen = _create(request, session, viewer, now, form, weekdays or [], bool(skip_holidays))
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        return _new_form(request, session, viewer, now, typed, errors, status_code=422)
    page = f"/admin/citizens/{citizen}"
    return redirect(request, common.after_save(viewer.sees_citizens, page, "/admin/appointments/new"))


def _create(request: Request, session: Session, viewer: Viewer, now: datetime, form: dict[str, str],
            weekdays: list[int], skip_holidays: bool) -> int:
    """Parse the form and call the action; returns whose appointments they are."""
    citizen_id = common.optional_id(form["citizen_id"], "citizen_id")
    if citizen_id is None or not _may_change(session, viewer, citizen_id):
        raise ContactInputError("citizen_id", "not in the caseload")
    try:
        kind = AppointmentKind(form["kind"])
    except ValueError as exc:
        raise ContactInputError("kind", "unknown kind") from exc
    settings = common.settings(request)
    policy = build_policy(settings, session=session)
    if form["repeat"] == "weekly":
        start = common.parse_time(form["start_time"], "start_time")
        assert start is not None
        end = common.parse_time(form["end_time"], "end_time", optional=True)
        if end is not None and end <= start:
            raise ContactInputError("end_time", "must be after the start")
        data = service.AppointmentInput(
            citizen_id=citizen_id, kind=kind, starts_at=now, title=form["title"].strip() or None,
            location=form["location"].strip() or None, skip_holidays=skip_holidays,
        )
        recording.create_series(
            session=session, acting_staff=viewer, data=data, weekdays=weekdays, start_time=start,
            end_time=end,
            first_date=common.parse_date(form["first_date"], "first_date"),
            until_date=common.parse_date(form["until_date"], "until_date"), policy=policy, now=now,
            via="admin", address=client_address(request),
        )
        return citizen_id
    starts = parse_local(form["starts_at"], settings.timezone, "starts_at")
    ends = parse_local(form["ends_at"], settings.timezone, "ends_at") if form["ends_at"].strip() else None
    data = service.AppointmentInput(
        citizen_id=citizen_id, kind=kind, starts_at=starts, ends_at=ends,
        title=form["title"].strip() or None, location=form["location"].strip() or None,
    )
    recording.create_appointment(session=session, acting_staff=viewer, data=data, policy=policy, now=now,
                                 via="admin", address=client_address(request))
    return citizen_id


def _may_change(session: Session, viewer: Viewer, citizen_id: int) -> bool:
    try:
        common.changeable_citizen(session, viewer, citizen_id)
    except HTTPException:  # the 404 of "not yours" is a field error on this form
        return False
    return True


def _appointment(session: Session, viewer: Viewer, appointment_id: int) -> Appointment:
    """The appointment of a citizen this person may change, or 404."""
    appointment = session.get(Appointment, appointment_id)
    common.require(appointment is not None)
    assert appointment is not None
    common.changeable_citizen(session, viewer, appointment.citizen_id)
    return appointment


def _edit_form(request: Request, session: Session, viewer: Viewer, now: datetime, appointment: Appointment,
               typed: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
               status_code: int = 200) -> Response:
    zone = ZoneInfo(common.settings(request).timezone)

    def local(value: datetime | None) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%dT%H:%M") if value else ""

    values = {"starts_at": local(appointment.starts_at), "ends_at": local(appointment.ends_at),
              "notify": "1", **(typed or {})}
    return render(request, "records/appointment_edit.html", {
        "viewer": viewer, "appointment": appointment, "typed": values, "errors": errors or {},
        "citizen": common.changeable_citizen(session, viewer, appointment.citizen_id),
        "kinds": APPOINTMENT_KINDS, "cancelled": appointment.status == AppointmentStatus.cancelled,
    }, status_code=status_code, now=now)


@router.get("/appointments/{appointment_id}/edit")
def edit_appointment(
    request: Request, appointment_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    return _edit_form(request, session, viewer, now, _appointment(session, viewer, appointment_id))


@router.post("/appointments/{appointment_id}/edit")
def change_appointment(
    request: Request, appointment_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    action: Annotated[str, Form()] = "move", starts_at: Annotated[str, Form()] = "",
    ends_at: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "",
    notify: Annotated[str, Form()] = "",
) -> Response:
    """Move or cancel; the citizen is told by the service unless ``notify`` is unticked."""
    appointment = _appointment(session, viewer, appointment_id)
    settings = common.settings(request)
    policy = build_policy(settings, session=session)
    typed = {"starts_at": starts_at, "ends_at": ends_at, "reason": reason, "notify": notify}
    try:
        if action == "cancel":
            recording.cancel(
                session=session, acting_staff=viewer, appointment_id=appointment_id, policy=policy, now=now,
                reason=reason.strip() or None, notify=bool(notify), via="admin",
                address=client_address(request),
            )
        else:
            starts = parse_local(starts_at, settings.timezone, "starts_at")
            ends = parse_local(ends_at, settings.timezone, "ends_at") if ends_at.strip() else None
            recording.move(
                session=session, acting_staff=viewer, appointment_id=appointment_id, starts_at=starts,
                ends_at=ends, policy=policy, now=now, notify=bool(notify), via="admin",
                address=client_address(request),
            )
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        appointment = _appointment(session, viewer, appointment_id)
        return _edit_form(request, session, viewer, now, appointment, typed, errors, status_code=422)
    return redirect(request, f"/admin/appointments/{appointment_id}/edit")


# The citizen page lists appointments and their reminders: kinds and the reason a reminder was
# skipped read in the staff member's language, not as the codes and English the services keep.
REMINDER_REASONS = {
    policy.REASON_PASSED: T_("created after its due time"),
    policy.REASON_TOO_LATE: T_("too late: the appointment starts within an hour"),
    policy.REASON_NO_CONTACT: T_("no employer contact on the placement"),
    policy.REASON_ALREADY_STARTED: T_("the appointment has already started"),
    policy.REASON_CANCELLED: T_("the citizen cancelled"),
}
# A cancellation's reason is the citizen's own words, except the one the assistant writes when
# someone else in the family is sick; that one is read in the staff member's language.
CANCELLATION_REASONS = {other_sick.REASON: T_("a family member is sick")}
environment.globals["appointment_kind_labels"] = APPOINTMENT_KINDS
environment.globals["reminder_reasons"] = REMINDER_REASONS
environment.globals["cancellation_reasons"] = CANCELLATION_REASONS
