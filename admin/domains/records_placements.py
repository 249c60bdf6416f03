"""Adding and changing a citizen's placement (internship, wage-subsidy job, IGU, job) in the panel.

Through ``bot.reminders.recording`` and ``bot.reminders.service`` as ``/api/v1/placements`` is:
the citizen, company and contact are checked there and a change follows the API's
``PlacementUpdate`` rules. Who may: as for the citizen's record (a consultant their own
caseload, team leads and admins everyone). A placement is never deleted; it ends on its end date.
The contact is chosen once the company is known, on the edit form.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.domains.records_appointments import WEEKDAYS
from admin.i18n import T_
from admin.routes.company_memory import PLACEMENT_KINDS
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts import choices
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep
from bot.reminders import recording, service
from bot.reminders.models import Placement, PlacementKind

router = APIRouter()
FIELDS = ("employer_id", "kind", "start_date", "end_date", "address", "contact_id", "purpose", "travel_hint")
ERRORS = {
    "employer_id": T_("Choose a company from the list."),
    "kind": T_("Choose what kind of placement it is."),
    "start_date": T_("Give the date the placement starts."),
    "end_date": T_("Give an end date on or after the start date, or leave it empty."),
    "contact_id": T_("Choose a contact at this company."),
    "weekly_schedule": T_("Give each working day a start time, and an end time after it or none."),
}
DAYS = range(7)  # Monday is 0, as in the table's weekly schedule


def _errors(request: Request, error: ContactInputError) -> dict[str, str]:
    tr = common.translator(request)
    if error.field in ERRORS:
        return {error.field: tr(ERRORS[error.field])}
    return common.field_errors(error, tr)


def _form(request: Request, session: Session, viewer: Viewer, now: datetime, citizen: Citizen,
          placement: Placement | None, typed: dict[str, str], errors: dict[str, str] | None = None,
          status_code: int = 200) -> Response:
    tr = common.translator(request)
    kinds = [(kind.value, tr(PLACEMENT_KINDS[kind.value])) for kind in PlacementKind]
    return render(request, "records/placement_form.html", {
        "viewer": viewer, "citizen": citizen, "placement": placement, "typed": typed, "errors": errors or {},
        "kinds": kinds, "kind_names": dict(kinds), "weekdays": [(day, tr(WEEKDAYS[day])) for day in DAYS],
        "companies": choices.employers(session),
        "contacts": choices.employer_contacts(session, placement.employer_id) if placement else [],
        "existing": [] if placement else service.list_placements(session, citizen_id=citizen.id),
        "company_names": dict(choices.employers(session)),
    }, status_code=status_code, now=now)


def _kind(raw: str) -> PlacementKind:
    try:
        return PlacementKind(raw)
    except ValueError as exc:
        raise ContactInputError("kind", "unknown kind") from exc


def _hours(starts: list[str] | None, ends: list[str] | None) -> dict[str, str]:
    """The hours grid as typed, one start and one end per weekday."""
    starts, ends = list(starts or []), list(ends or [])
    typed = {}
    for day in DAYS:
        typed[f"hours_start_{day}"] = starts[day] if day < len(starts) else ""
        typed[f"hours_end_{day}"] = ends[day] if day < len(ends) else ""
    return typed


def _schedule(typed: dict[str, str]) -> list[dict[str, Any]]:
    """The working hours as the table keeps them; a day without times is a day off."""
    slots = []
    for day in DAYS:
        start_raw, end_raw = typed[f"hours_start_{day}"], typed[f"hours_end_{day}"]
        if not start_raw.strip() and not end_raw.strip():
            continue
        start = common.parse_time(start_raw, "weekly_schedule")
        end = common.parse_time(end_raw, "weekly_schedule", optional=True)
        assert start is not None
        if end is not None and end <= start:
            raise ContactInputError("weekly_schedule", "the end must be after the start")
        slots.append({"weekday": day, "start": start.strftime("%H:%M"),
                      "end": end.strftime("%H:%M") if end else None})
    return slots


def _text(raw: str) -> str | None:
    return raw.strip() or None


def _page(viewer: Viewer, citizen_id: int, fallback: str) -> str:
    return common.after_save(viewer.sees_citizens, f"/admin/citizens/{citizen_id}", fallback)


@router.get("/citizens/{citizen_id}/placements/new")
def new_placement(
    request: Request, citizen_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    employer_id: str = "",
) -> Response:
    citizen = common.changeable_citizen(session, viewer, citizen_id)
    typed = {"kind": PlacementKind.internship.value, "employer_id": employer_id[:12]}
    return _form(request, session, viewer, now, citizen, None, typed)


@router.post("/citizens/{citizen_id}/placements/new")
def create_placement(
    request: Request, citizen_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    employer_id: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "",
    start_date: Annotated[str, Form()] = "", end_date: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "", purpose: Annotated[str, Form()] = "",
    travel_hint: Annotated[str, Form()] = "", hours_start: Annotated[list[str] | None, Form()] = None,
    hours_end: Annotated[list[str] | None, Form()] = None,
) -> Response:
    citizen = common.changeable_citizen(session, viewer, citizen_id)
    typed = {"employer_id": employer_id, "kind": kind, "start_date": start_date, "end_date": end_date,
             "address": address, "purpose": purpose, "travel_hint": travel_hint,
             **_hours(hours_start, hours_end)}
    try:
        employer = common.optional_id(employer_id, "employer_id")
        if employer is None:
            raise ContactInputError("employer_id", "choose a company")
        placement = recording.create_placement(
            session=session, acting_staff=viewer, citizen_id=citizen_id, employer_id=employer,
            kind=_kind(kind), start_date=common.parse_date(start_date, "start_date"),
            end_date=common.parse_date(end_date, "end_date") if end_date.strip() else None,
            placement_address=_text(address), contact_id=None, purpose=_text(purpose),
            travel_hint=_text(travel_hint), weekly_schedule=_schedule(typed), now=now, via="admin",
            address=client_address(request),
        )
    except ContactInputError as error:
        session.rollback()
        citizen = common.changeable_citizen(session, viewer, citizen_id)
        return _form(request, session, viewer, now, citizen, None, typed, _errors(request, error), 422)
    return redirect(request, _page(viewer, citizen_id, f"/admin/placements/{placement.id}/edit"))


def _changeable(session: Session, viewer: Viewer, placement_id: int) -> tuple[Placement, Citizen]:
    """The placement and its citizen, or 404 for missing and forbidden alike."""
    placement = session.get(Placement, placement_id)
    if placement is None:
        raise HTTPException(status_code=404)
    return placement, common.changeable_citizen(session, viewer, placement.citizen_id)


def _typed(placement: Placement) -> dict[str, str]:
    values: dict[str, Any] = {key: getattr(placement, key) for key in FIELDS}
    values["kind"] = placement.kind.value
    typed = {key: "" if value is None else str(value) for key, value in values.items()}
    by_day = {slot["weekday"]: slot for slot in placement.weekly_schedule}
    starts = [by_day[day]["start"] if day in by_day else "" for day in DAYS]
    ends = [(by_day[day].get("end") or "") if day in by_day else "" for day in DAYS]
    return {**typed, **_hours(starts, ends)}


@router.get("/placements/{placement_id}/edit")
def edit_placement(
    request: Request, placement_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    placement, citizen = _changeable(session, viewer, placement_id)
    return _form(request, session, viewer, now, citizen, placement, _typed(placement))


@router.post("/placements/{placement_id}/edit")
def update_placement(
    request: Request, placement_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    kind: Annotated[str, Form()] = "", start_date: Annotated[str, Form()] = "",
    end_date: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
    contact_id: Annotated[str, Form()] = "", purpose: Annotated[str, Form()] = "",
    travel_hint: Annotated[str, Form()] = "", hours_start: Annotated[list[str] | None, Form()] = None,
    hours_end: Annotated[list[str] | None, Form()] = None,
) -> Response:
    placement, citizen = _changeable(session, viewer, placement_id)
    typed = {"employer_id": str(placement.employer_id), "kind": kind, "start_date": start_date,
             "end_date": end_date, "address": address, "contact_id": contact_id, "purpose": purpose,
             "travel_hint": travel_hint, **_hours(hours_start, hours_end)}
    try:
        changes: dict[str, Any] = {
            "kind": _kind(kind), "start_date": common.parse_date(start_date, "start_date"),
            "end_date": common.parse_date(end_date, "end_date") if end_date.strip() else None,
            "address": _text(address), "contact_id": common.optional_id(contact_id, "contact_id"),
            "purpose": _text(purpose), "travel_hint": _text(travel_hint), "weekly_schedule": _schedule(typed),
        }
        recording.update_placement(session=session, acting_staff=viewer, placement=placement, changes=changes,
                                   now=now, via="admin", address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        placement, citizen = _changeable(session, viewer, placement_id)
        return _form(request, session, viewer, now, citizen, placement, typed, _errors(request, error), 422)
    return redirect(request, _page(viewer, citizen.id or 0, f"/admin/placements/{placement_id}/edit"))
