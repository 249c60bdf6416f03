"""A caseworker prepares a hearing in the admin: opens the case from selected absences without
notice, adds documentation and the citizen's spoken or written remarks, records the assessment,
and sends the translated guidance on the sanction rules.

Only caseworkers and team leads prepare (``Viewer.prepares_hearings``); a consultant reads the
case of their own citizen and the benefits department only decides. Every change is audited.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import visibility
from admin.deps import NowDep, StaffDep, ViewerDep, client_address
from admin.domains.absences import APPOINTMENT_KINDS, NOTICE_KINDS, case_page, load_case
from admin.domains.attendance import OUTCOME_LABELS
from admin.i18n import T_, Translator, pick_language
from admin.templating import NUMERIC_DATETIME, redirect, render
from admin.visibility import Viewer
from bot.attendance import attendance
from bot.attendance.models import Outcome
from bot.contacts.models import Citizen
from bot.contacts.service import ContactInputError, NotFound
from bot.deps import SessionDep
from bot.hearings import casework, hearings
from bot.hearings.models import HearingCase

router = APIRouter()

OPEN_ERRORS = {
    "appointment_ids": T_("Select at least one absence without notice that is not waiting for a check."),
    "reply_days": T_("The citizen needs at least one day to answer."),
    "citizen_id": T_("The citizen could not be found."),
    "overrides": T_("Give a reason of at most 4000 characters, and only for the absences you selected."),
}
CASE_ERRORS = {
    "source": T_("Choose where the documentation comes from."),
    "description": T_("Say what the document is."),
    "received_at": T_("Give the date and time it was received."),
    "text": T_("Write down what the citizen said."),
    "recommendation": T_(
        "Choose sanction or no sanction. A sanction can be recommended only after the reply deadline."
    ),
    "reasons": T_("Give the reasons for the assessment."),
    "status": T_("The case can no longer be assessed."),
}
REFUSALS = {
    "notice_on_record": T_(
        "The absence on {when} ({what}) has a sick notice or cancellation on record: {references}. "
        "Give the reason for including it anyway, or leave it out."
    ),
    "in_open_case": T_("The absence on {when} ({what}) is already in the open hearing case {references}."),
}
OPEN_FAILED = T_("The hearing case could not be opened.")
CHANGE_FAILED = T_("The change could not be saved.")
GUIDANCE_FAILED = T_("The guidance could not be sent.")
NOT_SENT = T_("Not sent")
GUIDANCE_ERRORS = {"citizen_id": T_("The citizen has no phone number to send the guidance to.")}


def _citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen:
    if not viewer.prepares_hearings:
        raise HTTPException(status_code=404)
    found = visibility.citizen(session, viewer, citizen_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _case(session: Session, viewer: Viewer, case_id: int) -> HearingCase:
    case = load_case(session, viewer, case_id)  # 404 when the case is not theirs to see
    if not viewer.prepares_hearings:
        raise HTTPException(status_code=404)
    return case


def parse_local(value: str, tz: str, field: str) -> datetime:
    """A ``datetime-local`` form value, read in the municipality's time zone, as aware UTC."""
    try:
        naive = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ContactInputError(field, f"'{value}' is not a date and time") from exc
    if naive.tzinfo is None:
        naive = naive.replace(tzinfo=ZoneInfo(tz))
    if not attendance.FIRST_YEAR <= naive.year <= attendance.LAST_YEAR:
        raise ContactInputError(field, f"{value} is outside {attendance.FIRST_YEAR}-{attendance.LAST_YEAR}")
    return naive.astimezone(ZoneInfo("UTC"))


def _record(
    request: Request,
    session: Session,
    viewer: Viewer,
    action: str,
    subject: str,
    now: datetime,
    details: dict[str, Any],
) -> None:
    casework.audited(session, acting_staff=viewer, action=action, subject=subject, now=now,
                     address=client_address(request), details=details)


def _open_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    citizen: Citizen,
    now: datetime,
    *,
    errors: list[str] | None = None,
    chosen: list[int] | None = None,
    reasons: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert citizen.id is not None
    lines = [
        line
        for line in attendance.absence_lines(session, citizen_id=citizen.id)
        if line.attendance is not None and line.attendance.outcome == Outcome.absent_without_notice
    ]
    ids = [line.appointment.id for line in lines if line.appointment.id is not None]
    in_case = casework.case_references(session, appointment_ids=ids)
    return render(
        request,
        "absences/hearing_new.html",
        {
            "viewer": viewer,
            "citizen": citizen,
            "lines": lines,
            "in_case": in_case,
            # An open case holds its absences alone; a notice on record needs a reason to go in.
            "in_open_case": {
                i: case.reference for i, case in hearings.cases_holding(session, appointment_ids=ids).items()
            },
            "on_record": hearings.notices_on_record(session, citizen_id=citizen.id, appointment_ids=ids),
            "notice_kinds": NOTICE_KINDS,
            "appointment_kinds": APPOINTMENT_KINDS,
            "reasons": reasons or {},
            "chosen": set(chosen or []),
            "reply_days": hearings.REPLY_DAYS,
            "outcomes": OUTCOME_LABELS,
            "errors": errors or [],
        },
        status_code=status_code,
        now=now,
    )


@router.get("/citizens/{citizen_id}/hearings/new")
def new_hearing(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    absence: Annotated[list[int] | None, Query()] = None,
) -> Response:
    """``absence``: absences to start with ticked (from the list of absences without notice)."""
    citizen = _citizen(session, viewer, citizen_id)
    _record(request, session, viewer, "view", f"absences:{citizen_id}", now, {"page": "new_hearing"})
    return _open_page(request, session, viewer, citizen, now, chosen=list(absence or []))


@router.post("/citizens/{citizen_id}/hearings")
def open_hearing(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    appointment_ids: Annotated[list[int] | None, Form()] = None,
    reply_days: Annotated[int, Form()] = hearings.REPLY_DAYS,
    override_ids: Annotated[list[int] | None, Form()] = None,
    override_reasons: Annotated[list[str] | None, Form()] = None,
) -> Response:
    citizen = _citizen(session, viewer, citizen_id)
    chosen = list(appointment_ids or [])
    # One reason field per absence with a notice on record, each beside its id (same order).
    typed = dict(zip(override_ids or [], override_reasons or [], strict=False))
    try:
        case = casework.open_case(
            session,
            acting_staff=viewer,
            citizen_id=citizen_id,
            appointment_ids=chosen,
            reply_days=reply_days,
            overrides={i: text for i, text in typed.items() if i in chosen},
            tz=request.app.state.settings.timezone,
            now=now,
            address=client_address(request),
        )
    except ContactInputError as error:
        session.rollback()
        tz = request.app.state.settings.timezone
        messages = _open_errors(error, Translator(pick_language(request)), tz)
        return _open_page(
            request, session, viewer, citizen, now, errors=messages, chosen=chosen, reasons=typed,
            status_code=422,
        )
    return redirect(request, f"/admin/hearings/{case.id}")


def _open_errors(error: ContactInputError, tr: Translator, tz: str) -> list[str]:
    """One sentence per refused absence, naming it and the reference, in the reader's language."""
    if not isinstance(error, hearings.AbsenceRefused):
        return [tr(OPEN_ERRORS.get(error.field, OPEN_FAILED))]
    numeric = NUMERIC_DATETIME.get(tr.language, NUMERIC_DATETIME["en"])
    return [
        tr(
            REFUSALS[r.reason],
            when=r.appointment.starts_at.astimezone(ZoneInfo(tz)).strftime(numeric),
            what=r.appointment.title or tr(APPOINTMENT_KINDS.get(r.appointment.kind.value, OPEN_FAILED)),
            references=", ".join(r.references),
        )
        for r in error.refusals
    ]


def _refused(
    request: Request,
    session: Session,
    viewer: Viewer,
    case_id: int,
    now: datetime,
    error: ContactInputError,
    drafts: dict[str, str],
) -> Response:
    session.rollback()
    tr = Translator(pick_language(request))
    message = tr(CASE_ERRORS.get(error.field, CHANGE_FAILED))
    return case_page(
        request,
        session,
        viewer,
        load_case(session, viewer, case_id),
        now,
        error=message,
        drafts=drafts,
        status_code=422,
    )


@router.post("/hearings/{case_id}/documents")
def add_document(
    request: Request,
    case_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    source: Annotated[str, Form()] = "",
    description: Annotated[str, Form()] = "",
    received_at: Annotated[str, Form()] = "",
) -> Response:
    _case(session, viewer, case_id)
    try:
        when = parse_local(received_at, request.app.state.settings.timezone, "received_at")
        casework.add_document(
            session,
            acting_staff=viewer,
            case_id=case_id,
            source=source,
            description=description,
            received_at=when,
            now=now,
            address=client_address(request),
        )
    except ContactInputError as error:
        drafts = {"description": description, "received_at": received_at, "source": source}
        return _refused(request, session, viewer, case_id, now, error, drafts)
    return redirect(request, f"/admin/hearings/{case_id}#docs-h")


@router.post("/hearings/{case_id}/remarks")
def add_remark(
    request: Request,
    case_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    text: Annotated[str, Form()] = "",
    received_at: Annotated[str, Form()] = "",
) -> Response:
    _case(session, viewer, case_id)
    try:
        when = parse_local(received_at, request.app.state.settings.timezone, "received_at")
        casework.add_remark(session, acting_staff=viewer, case_id=case_id, text=text, received_at=when,
                            now=now, address=client_address(request))
    except ContactInputError as error:
        drafts = {"remark": text, "remark_received_at": received_at}
        return _refused(request, session, viewer, case_id, now, error, drafts)
    return redirect(request, f"/admin/hearings/{case_id}#remarks-h")


@router.post("/hearings/{case_id}/assessment")
def record_assessment(
    request: Request,
    case_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    staff: StaffDep,
    now: NowDep,
    recommendation: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    _case(session, viewer, case_id)
    try:
        casework.assess(
            session, acting_staff=viewer, staff=staff, case_id=case_id, recommendation=recommendation,
            reasons=reasons, now=now, address=client_address(request),
        )
    except ContactInputError as error:
        return _refused(request, session, viewer, case_id, now, error, {"assessment": reasons})
    return redirect(request, f"/admin/hearings/{case_id}")


@router.post("/citizens/{citizen_id}/guidance")
def send_guidance(
    request: Request,
    citizen_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    allow_draft: Annotated[bool, Form()] = False,
) -> Response:
    _citizen(session, viewer, citizen_id)
    settings = request.app.state.settings
    try:
        casework.send_guidance(
            session,
            acting_staff=viewer,
            citizen_id=citizen_id,
            public_url=settings.public_url,
            allow_draft=allow_draft,
            now=now,
            address=client_address(request),
        )
    except (ContactInputError, NotFound) as error:
        session.rollback()
        tr = Translator(pick_language(request))
        field = getattr(error, "field", "")
        message = tr(GUIDANCE_ERRORS.get(field, GUIDANCE_FAILED))
        return render(
            request,
            "error.html",
            {"viewer": viewer, "title": tr(NOT_SENT), "message": message},
            status_code=422,
            now=now,
        )
    return redirect(request, f"/admin/citizens/{citizen_id}#section-absences-h")
