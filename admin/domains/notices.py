"""Staff take a sick notice or a cancellation by phone: recorded from the time of the call.

The citizen page shows every cancellation (afbud) beside the sick notices, and two short forms:
"sick, phoned in" and "cannot come, phoned in". Both go through the same service actions as
the API and the SMS, so the record, the receipt, the outcome and the consultant's item are the
same whichever way the citizen told us. A refused form keeps what was typed and says why,
beside the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import sections as panel
from admin import visibility
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains.absences import APPOINTMENT_KINDS
from admin.domains.hearing_actions import parse_local
from admin.i18n import T_, Translator, pick_language
from admin.routes.citizens import citizen_context
from admin.sections import CitizenSection
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.access import reads_health_data
from bot.attendance import attendance
from bot.contacts.models import Citizen, Role
from bot.contacts.service import ContactInputError, NotFound
from bot.deps import SessionDep
from bot.reminders.models import Appointment
from bot.sick_notices import cancellations, coverage, phoned_in
from bot.sick_notices.handlers import options_from
from bot.sick_notices.models import Cancellation

router = APIRouter()

RECORDS = frozenset({Role.consultant, Role.caseworker, Role.team_lead, Role.admin})
UPCOMING = timedelta(days=14)
ERRORS = {
    "received_at": T_("Give the date and time of the call; it cannot be in the future."),
    "starts_on": T_("Give the first sick day."),
    "ends_on": T_("The last sick day cannot be before the first."),
    "appointment_id": T_("Choose the appointment the citizen cannot come to."),
}
FAILED = T_("It could not be recorded. Check the fields and try again.")
SOURCES = {"sms": T_("SMS"), "phone": T_("phone"), "in_person": T_("in person"), "staff": T_("staff")}


def _visible(viewer: Viewer) -> bool:
    return viewer.sees_citizens


def _choices(session: Session, citizen: Citizen, now: datetime) -> list[Appointment]:
    """Appointments a cancellation may be for: those not yet over, in the next two weeks."""
    assert citizen.id is not None
    found = attendance.appointments_between(session, citizen_id=citizen.id, start=now - timedelta(days=1),
                                            end=now + UPCOMING)
    return [a for a in found if coverage.appointment_end(a) > now]


def _context(session: Session, viewer: Viewer, citizen: Citizen, now: datetime) -> dict[str, Any]:
    assert citizen.id is not None
    listed = cancellations.of_citizen(session, citizen_id=citizen.id)[:20]
    return {
        "cancellations": listed,
        "appointments": {c.id: session.get(Appointment, c.appointment_id)
                         for c in listed if c.appointment_id is not None},
        "kinds": APPOINTMENT_KINDS,
        "sees_reason": reads_health_data(viewer.role),
        "sources": SOURCES,
        "records": viewer.role in RECORDS,
        "choices": _choices(session, citizen, now),
    }


CITIZEN_SECTION = CitizenSection(
        key="notices",
        title=T_("Cancellations and notices by phone"),
        # Right below the appointments: a consultant on the phone with a citizen reaches the
        # forms without scrolling past the attendance figures.
        order=15,
        visible=_visible,
        template="absences/_notices.html",
        context=_context,
    )


def _citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen:
    found = visibility.citizen(session, viewer, citizen_id)
    if found is None or viewer.role not in RECORDS:
        raise HTTPException(status_code=404)
    return found


def _refused(request: Request, session: Session, viewer: Viewer, citizen: Citizen, now: datetime,
             form: str, error: ContactInputError, drafts: dict[str, str]) -> Response:
    session.rollback()
    tr = Translator(pick_language(request))
    context = citizen_context(panel.of(request), session, viewer, citizen, now)
    problem = {"form": form, "field": error.field, "message": tr(ERRORS.get(error.field, FAILED)),
               "drafts": drafts}
    return render(request, "citizen.html", {"viewer": viewer, **context, "notice_problem": problem},
                  now=now, status_code=422)


def _take(request: Request, session: Session, viewer: Viewer, now: datetime, citizen: Citizen, form: str,
          drafts: dict[str, str], take: Callable[[Any], object]) -> Response:
    """Record what the citizen told us with the app's settings, back to the notices; a refusal
    shows ``form`` again with what was typed and why."""
    try:
        take(request.app.state.settings)
    except ContactInputError as error:
        return _refused(request, session, viewer, citizen, now, form, error, drafts)
    return redirect(request, f"/admin/citizens/{citizen.id}#section-notices-h")


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ContactInputError(field, f"'{value}' is not a date") from exc


def _call_time(value: str, tz: str, now: datetime) -> datetime:
    when = parse_local(value, tz, "received_at") if value.strip() else now
    if when > now:
        raise ContactInputError("received_at", "the call cannot be in the future")
    return when


@router.post("/citizens/{citizen_id}/sick-notices")
def phoned_in_sick_notice(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    received_at: Annotated[str, Form()] = "",
    starts_on: Annotated[str, Form()] = "",
    ends_on: Annotated[str, Form()] = "",
) -> Response:
    citizen = _citizen(session, viewer, citizen_id)
    drafts = {"received_at": received_at, "starts_on": starts_on, "ends_on": ends_on}

    def take(settings: Any) -> object:
        return phoned_in.take_sick_notice(
            session=session, acting_staff=viewer, citizen_id=citizen_id,
            starts_on=_day(starts_on, "starts_on"),
            ends_on=_day(ends_on, "ends_on") if ends_on.strip() else None,
            received_at=_call_time(received_at, settings.timezone, now), now=now,
            options=options_from(settings, session), address=client_address(request),
        )
    return _take(request, session, viewer, now, citizen, "sick", drafts, take)


@router.post("/citizens/{citizen_id}/cancellations")
def phoned_in_cancellation(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    appointment_id: Annotated[str, Form()] = "",
    received_at: Annotated[str, Form()] = "",
    reason: Annotated[str, Form()] = "",
) -> Response:
    citizen = _citizen(session, viewer, citizen_id)
    drafts = {"appointment_id": appointment_id, "received_at": received_at, "reason": reason}

    def take(settings: Any) -> object:
        return phoned_in.take_cancellation(
            session=session, acting_staff=viewer, citizen_id=citizen_id,
            appointment=_appointment(session, citizen_id, appointment_id),
            received_at=_call_time(received_at, settings.timezone, now), reason=reason or None,
            now=now, tz=settings.timezone, address=client_address(request),
        )
    return _take(request, session, viewer, now, citizen, "cancel", drafts, take)


@router.post("/citizens/{citizen_id}/cancellations/{cancellation_id}/appointment")
def place_cancellation(
    request: Request,
    citizen_id: int,
    cancellation_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    appointment_id: Annotated[str, Form()] = "",
) -> Response:
    """Staff say which appointment a cancellation was for, when the assistant could not tell; the
    citizen gets the receipt naming it."""
    citizen = _citizen(session, viewer, citizen_id)
    cancellation = session.get(Cancellation, cancellation_id)
    if cancellation is None or cancellation.citizen_id != citizen_id:
        raise HTTPException(status_code=404)

    def place(settings: Any) -> object:
        return phoned_in.place_cancellation(
            session=session, acting_staff=viewer, cancellation=cancellation,
            appointment=_appointment(session, citizen_id, appointment_id),
            now=now, tz=settings.timezone, address=client_address(request),
        )
    return _take(request, session, viewer, now, citizen, f"place-{cancellation_id}",
                 {"appointment_id": appointment_id}, place)


def _appointment(session: Session, citizen_id: int, value: str) -> Appointment:
    if not value.strip().isdigit():
        raise ContactInputError("appointment_id", "choose an appointment")
    try:
        appointment = attendance.get_appointment(session, int(value))
    except NotFound as exc:
        raise ContactInputError("appointment_id", "no such appointment") from exc
    if appointment.citizen_id != citizen_id:
        raise ContactInputError("appointment_id", "the appointment belongs to another citizen")
    return appointment

# What this module adds to the panel; the app collects it when it composes the domains.
SECTIONS = (CITIZEN_SECTION,)
