"""Absences in the admin: sick notices and the attendance rate on the citizen page, and the
hearing case page (the pieces, the letter, the export, and the benefits department's decision)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import HTMLResponse, Response

from admin.deps import NowDep, StaffDep, ViewerDep, client_address
from admin.domains.attendance import APPOINTMENT_KINDS, OUTCOME_LABELS
from admin.domains.records_common import language_name, local_day
from admin.i18n import T_, Translator, pick_language
from admin.sections import CitizenSection
from admin.templating import redirect, render
from admin.timeline import STATUS_LABELS
from admin.visibility import Viewer
from bot.access import hearing_case, reads_health_data
from bot.attendance import attendance
from bot.channels import service as delivery
from bot.channels.models import Message
from bot.contacts.models import Citizen, Role
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep
from bot.hearings import casework, guidance, hearings, letters
from bot.hearings import export as case_export
from bot.hearings.models import HearingCase, HearingStatus
from bot.media import evidence
from bot.sick_notices import service as absences

router = APIRouter()
ATTENDANCE_WINDOW = timedelta(days=90)

HEARING_STATUS = {
    "awaiting_remarks": T_("Awaiting remarks"),
    "assessed": T_("Awaiting a decision"),
    "decided": T_("Decided"),
    "withdrawn": T_("Withdrawn"),
}
RECOMMENDATION = {"sanction": T_("Sanction"), "no_sanction": T_("No sanction")}
NOTICE_KINDS = {"sick_notice": T_("Sick notice"), "cancellation": T_("Cancellation")}
DOCUMENT_SOURCES = {
    "language_centre": T_("Language centre"),
    "company": T_("Company"),
    "doctor": T_("Doctor"),
    "consultant": T_("Consultant"),
    "sms_ledger": T_("SMS ledger"),
    "citizen": T_("The citizen"),
}
DECISION_ERRORS = {
    "decision": T_("Choose sanction or no sanction."),
    "reasons": T_("Give the reasons for the decision."),
    "status": T_("The case needs an assessment before a decision."),
    "role": T_("Only the benefits department records a decision."),
}
DECISION_FAILED = T_("The decision could not be recorded.")
COUNTS_LABELS = {
    "present": T_("counts as attended"),
    "absent": T_("counts against the rate"),
    "not_counted": T_("not counted"),
}
BAND_LABELS = {
    "under_20": T_("under 20 %"),
    "20_39": T_("20-39 %"),
    "40_59": T_("40-59 %"),
    "60_99": T_("60-99 %"),
    "100": T_("100 %"),
    "no_appointments": T_("no appointments yet"),
}


def _absence_context(session: Session, viewer: Viewer, citizen: Citizen, now: datetime) -> dict[str, Any]:
    assert citizen.id is not None
    notices = absences.notices_of(session, citizen_id=citizen.id)[:20]
    lines = attendance.attendance_lines(
        session, citizen_id=citizen.id, start=now - ATTENDANCE_WINDOW, end=now
    )
    summary = attendance.summary_for(lines, now=now, policy=attendance.counting_policy(session))
    return {
        # Reference and dates only: what the citizen wrote may name an illness.
        "notices": notices,
        # A doctor's note sent as a photo is health data: listed only for those who may open it.
        "notice_files": evidence.notice_files(session, [n.id for n in notices if n.id is not None])
        if reads_health_data(viewer.role) else {},
        "summary": summary,
        "band_label": BAND_LABELS.get(summary.band.value, summary.band.value),
        # The rate beside what it is made of: counts per outcome and which of them counted.
        "outcome_labels": OUTCOME_LABELS,
        "counts_labels": COUNTS_LABELS,
        "changes_settings": viewer.role in (Role.admin, Role.team_lead),
        "cases": hearings.cases_of(session, citizen_id=citizen.id),
        "hearing_status": HEARING_STATUS,
        "guidance_sent": guidance.deliveries_of(session, citizen_id=citizen.id)[:10],
        # Which version would go out: the citizen's language when approved, else English.
        "guidance_language": guidance.version_for(citizen.language).language,
        "guidance_draft": _has_draft(citizen.language),
    }


def _has_draft(language: str) -> bool:
    """True when the citizen's language exists only as a translation not yet approved."""
    return language in guidance.available_languages() and guidance.guidance_text(language).draft


CITIZEN_SECTION = CitizenSection(
        key="absences",
        title=T_("Sick notices and attendance"),
        order=20,
        visible=lambda viewer: viewer.sees_citizens,
        template="absences/_citizen.html",
        context=_absence_context,
    )


@router.get("/hearings")
def hearing_list(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    if not viewer.sees_hearings:
        raise HTTPException(status_code=404)
    rows = casework.open_cases(session, acting_staff=viewer)
    return render(
        request,
        "absences/hearings.html",
        {"viewer": viewer, "rows": rows, "hearing_status": HEARING_STATUS},
        now=now,
    )


def case_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    case: HearingCase,
    now: datetime,
    *,
    error: str | None = None,
    draft: str = "",
    drafts: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert case.id is not None
    tz = request.app.state.settings.timezone
    language = pick_language(request)
    documents = hearings.documents_of(session, case.id)
    remarks = casework.remarks_of(session, case_id=case.id)
    return render(
        request,
        "absences/hearing.html",
        {
            "viewer": viewer,
            "case": case,
            "citizen": session.get(Citizen, case.citizen_id),
            "absences": hearings.case_absences(session, case.id),
            # Each absence's sick notices and cancellations, and every one of the period.
            "on_record": hearings.notices_on_record(
                session, citizen_id=case.citizen_id,
                appointment_ids=[a.id for a in hearings.absences_of(session, case.id) if a.id is not None],
            ),
            "period_notices": hearings.period_notices(session, case, tz=request.app.state.settings.timezone),
            "appointment_kinds": APPOINTMENT_KINDS,
            "notice_kinds": NOTICE_KINDS,
            "documents": documents,
            # What the assistant wrote itself reads in the reader's language; staff's own words as typed.
            "document_texts": {
                d.id: letters._describe(d, language, tz) for d in documents if d.description_id
            },
            "local_day": local_day,
            "language_name": language_name,
            # Photos and documents the citizen sent: health data, listed only for its readers.
            "files": evidence.case_files(session, case, tz=request.app.state.settings.timezone, until=now)
            if reads_health_data(viewer.role) else [],
            "remarks": remarks,
            "hearing_status": HEARING_STATUS,
            "recommendation": RECOMMENDATION,
            "may_decide": viewer.decides_hearings and case.status == HearingStatus.assessed,
            "may_prepare": viewer.prepares_hearings,
            "may_assess": viewer.prepares_hearings
            and case.status in (HearingStatus.awaiting_remarks, HearingStatus.assessed),
            "notice": _notice_sms(session, case.notice_message_id),
            "message_status": STATUS_LABELS,
            "document_sources": DOCUMENT_SOURCES,
            "error": error,
            "draft": draft,
            "drafts": drafts or {},
        },
        status_code=status_code,
        now=now,
    )


def _notice_sms(session: Session, message_id: int | None) -> Message | None:
    """The SMS that the letter is coming, as last sent: a resend replaces a failed one."""
    message = session.get(Message, message_id) if message_id else None
    return delivery.latest_attempt(session, message) if message is not None else None


def load_case(session: Session, viewer: Viewer, case_id: int) -> HearingCase:
    case = hearing_case(session, viewer, case_id)  # the one access policy: 404 for missing and forbidden
    if case is None:
        raise HTTPException(status_code=404)
    return case


def _viewed(
    request: Request, session: Session, viewer: Viewer, action: str, case_id: int, now: datetime
) -> None:
    casework.audited(session, acting_staff=viewer, action=action, subject=f"hearing:{case_id}", now=now,
                     address=client_address(request))


@router.get("/hearings/{case_id}")
def hearing_page(
    request: Request, case_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    case = load_case(session, viewer, case_id)
    _viewed(request, session, viewer, "view", case_id, now)
    return case_page(request, session, viewer, case, now)


@router.get("/hearings/{case_id}/letter")
def hearing_letter(
    request: Request, case_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    load_case(session, viewer, case_id)
    tz = request.app.state.settings.timezone
    html = letters.render_letter(session, case_id=case_id, tz=tz, now=now)
    _viewed(request, session, viewer, "view_letter", case_id, now)
    return HTMLResponse(
        html,
        headers={
            "Cache-Control": "no-store",
            # A document to read and print: nothing in it may run.
            "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:",
        },
    )


@router.get("/hearings/{case_id}/export")
def hearing_export(
    request: Request, case_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    case = load_case(session, viewer, case_id)
    tz = request.app.state.settings.timezone
    # The summary in the reader's language: Danish, or English for an English-speaking reader.
    data = case_export.export_case(session, case_id=case_id, tz=tz, now=now, language=pick_language(request))
    _viewed(request, session, viewer, "export", case_id, now)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="{case.reference}.zip"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/media/{media_id}")
def media_file(media_id: int, session: SessionDep, staff: StaffDep, now: NowDep) -> Response:
    """A photo or document a citizen sent, opened from a case or a sick notice; audited, and 404
    for missing, erased and forbidden alike (the same rule as ``/api/v1/media/{id}``)."""
    row = evidence.readable(session, staff, media_id)
    if row is None or row.data is None:
        raise HTTPException(status_code=404)
    casework.audited(session, acting_staff=Viewer.of(staff), action="view", subject=f"media:{media_id}",
                     now=now, details={"message_id": row.message_id, "via": "panel"})
    return Response(row.data, media_type=row.content_type, headers={
        "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
        "Content-Disposition": f'inline; filename="{row.reference or media_id}"',
    })


@router.post("/hearings/{case_id}/decision")
def hearing_decision(
    request: Request,
    case_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    staff: StaffDep,
    now: NowDep,
    decision: Annotated[str, Form()] = "",
    reasons: Annotated[str, Form()] = "",
) -> Response:
    case = load_case(session, viewer, case_id)
    if not viewer.decides_hearings:
        raise HTTPException(status_code=404)
    try:
        casework.decide(session, acting_staff=viewer, staff=staff, case_id=case_id, decision=decision,
                        reasons=reasons, now=now, address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        tr = Translator(pick_language(request))
        return case_page(
            request,
            session,
            viewer,
            load_case(session, viewer, case_id),
            now,
            error=tr(DECISION_ERRORS.get(error.field, DECISION_FAILED)),
            draft=reasons,
            status_code=422,
        )
    assert case.id is not None
    return redirect(request, f"/admin/hearings/{case.id}")

# What this module adds to the panel; the app collects it when it composes the domains.
SECTIONS = (CITIZEN_SECTION,)
