"""``/api/v1``: absences, attendance, language centres and the sanction-rules guidance.

Every view of a citizen's absences is written to the audit log. The free text of a sick notice
is shown to consultants, caseworkers and team leads only.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from bot.absences import attendance, cancellation_routes, centre_routes, guidance_routes, importer, service
from bot.absences.bands import BAND_LABELS, Counts
from bot.absences.handlers import options_from
from bot.absences.models import Outcome, SickNotice
from bot.access import reads_health_data
from bot.api.auth import CurrentStaff, require_roles
from bot.api.citizens import visible_citizen
from bot.api.timestamps import ApiDatetime
from bot.audit import service as audit
from bot.channels.models import Message
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep, SettingsDep
from bot.media import evidence

router = APIRouter(tags=["absences"])
# Language centres and the guidance live beside; one router for bot/api/router.py to include.
router.include_router(centre_routes.router)
router.include_router(cancellation_routes.router)
router.include_router(guidance_routes.router)
public_router = guidance_routes.public_router

RECORDS_ATTENDANCE = (Role.consultant, Role.caseworker, Role.team_lead, Role.admin)


class NoticeDocument(BaseModel):
    media_id: int
    content_type: str
    sha256: str | None


class SickNoticePublic(BaseModel):
    id: int
    reference: str
    received_at: ApiDatetime
    starts_on: date
    ends_on: date | None
    ended_at: ApiDatetime | None
    late: bool
    source: str
    text: str | None = Field(None, description="Only for consultants, caseworkers and team leads.")
    appointment_ids: list[int]
    receipt_message_id: int | None
    receipt_status: str | None = Field(None, description="Delivery status of the receipt SMS.")
    documents: list[NoticeDocument] = Field(
        default_factory=list,
        description="Photos and documents the citizen sent for it; only for roles that read health data.",
    )


class AttendancePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    appointment_id: int
    citizen_id: int
    outcome: Outcome
    source: str
    pending_check: bool
    note: str | None
    recorded_at: ApiDatetime | None
    recorded_by_id: int | None


class AbsenceLine(BaseModel):
    appointment_id: int
    kind: str
    starts_at: ApiDatetime
    title: str | None
    outcome: Outcome | None
    pending_check: bool
    sick_notice_ids: list[int]


class AbsencesPublic(BaseModel):
    citizen_id: int
    sick_notices: list[SickNoticePublic]
    cancellations: list[cancellation_routes.CancellationPublic]
    absences: list[AbsenceLine]


class AttendanceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    note: str | None = Field(None, max_length=1000)


class MarkMany(BaseModel):
    model_config = ConfigDict(extra="forbid")

    appointment_ids: list[int] = Field(min_length=1, description="The whole class or day.")
    outcome: Outcome = Outcome.attended
    exceptions: dict[int, Outcome] = Field(default_factory=dict, description="Appointment id -> outcome.")
    note: str | None = None


class BreakdownLine(BaseModel):
    outcome: Outcome
    count: int
    counts: Counts = Field(description="present, absent (counts against the rate) or not_counted")


class AttendanceReport(BaseModel):
    citizen_id: int
    period_from: date
    period_to: date
    present: int
    absent: int
    not_counted: int
    without_outcome: int
    percent: float | None
    band: str
    band_label: str
    by_outcome: dict[str, int]
    basis: str = Field(description="physical_attendance (the default) or custom: staff changed what counts")
    counted_against: list[Outcome] = Field(description="The outcomes that count against the rate.")
    breakdown: list[BreakdownLine] = Field(description="Every outcome, its count and how it counted.")
    lines: list[AbsenceLine]


class SickNoticeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    starts_on: date
    ends_on: date | None = None
    text: str | None = Field(None, max_length=2000)
    received_at: ApiDatetime | None = Field(None, description="When the citizen called; default now.")
    source: Literal["phone", "in_person"] = "phone"


def _notice_public(session: SessionDep, notice: SickNotice, staff: Staff) -> SickNoticePublic:
    assert notice.id is not None
    receipt = session.get(Message, notice.receipt_message_id) if notice.receipt_message_id else None
    return SickNoticePublic(
        id=notice.id, reference=notice.reference, received_at=notice.received_at, starts_on=notice.starts_on,
        ends_on=notice.ends_on, ended_at=notice.ended_at, late=notice.late, source=notice.source,
        text=notice.text if reads_health_data(staff.role) else None,
        appointment_ids=[a.id for a in service.linked_appointments(session, notice.id) if a.id is not None],
        receipt_message_id=notice.receipt_message_id,
        receipt_status=receipt.status.value if receipt else None,
        documents=[
            NoticeDocument(media_id=m.id or 0, content_type=m.content_type, sha256=m.sha256)
            for m in evidence.notice_files(session, [notice.id]).get(notice.id, [])
        ] if reads_health_data(staff.role) else [],
    )


def _line(line: attendance.AttendanceLine) -> AbsenceLine:
    a = line.appointment
    assert a.id is not None
    return AbsenceLine(
        appointment_id=a.id, kind=a.kind.value, starts_at=a.starts_at, title=a.title,
        outcome=line.attendance.outcome if line.attendance else None,
        pending_check=bool(line.attendance and line.attendance.pending_check),
        sick_notice_ids=line.sick_notice_ids,
    )


def _audit(
    session: SessionDep, request: Request, staff: Staff, action: str, subject: str, **details: object
) -> None:
    audit.record(session, staff_id=staff.id, action=action, subject=subject, now=utcnow(), details=details,
                 address=request.client.host if request.client else None)


@router.get("/absences", response_model=AbsencesPublic)
def list_absences(
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
    citizen_id: Annotated[int, Query(description="The citizen whose absences to show.")],
) -> AbsencesPublic:
    """Sick notices and absences of one citizen; the view is written to the audit log."""
    visible_citizen(session, staff, citizen_id)
    notices = [_notice_public(session, n, staff) for n in service.notices_of(session, citizen_id=citizen_id)]
    absent = [_line(x) for x in attendance.absence_lines(session, citizen_id=citizen_id)]
    _audit(session, request, staff, "view", f"absences:{citizen_id}",
           with_text=reads_health_data(staff.role))
    return AbsencesPublic(citizen_id=citizen_id, sick_notices=notices, absences=absent,
                          cancellations=cancellation_routes.of_citizen(session, citizen_id, staff))


@router.post("/citizens/{citizen_id}/sick-notices", response_model=SickNoticePublic, status_code=201)
def record_sick_notice(
    citizen_id: int,
    body: SickNoticeCreate,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*RECORDS_ATTENDANCE))],
) -> SickNoticePublic:
    """A notice the citizen gave by phone or in person, counted from when they called; it gets a
    receipt like one sent by SMS, and covers nothing that had ended before the call."""
    visible_citizen(session, staff, citizen_id)
    now = utcnow()
    if body.received_at is not None and body.received_at > now:
        raise ContactInputError("received_at", "the call cannot be in the future")
    notice = service.record_sick_notice(
        session, citizen_id=citizen_id, starts_on=body.starts_on, ends_on=body.ends_on, text=body.text,
        now=now, options=options_from(settings, session), recorded_by_id=staff.id,
        received_at=body.received_at or now, source=body.source,
    )
    _audit(session, request, staff, "create", f"absences:{citizen_id}", sick_notice_id=notice.id)
    return _notice_public(session, notice, staff)


@router.put("/appointments/{appointment_id}/attendance", response_model=AttendancePublic)
def put_attendance(
    appointment_id: int,
    body: AttendanceUpdate,
    request: Request,
    session: SessionDep,
    staff: Annotated[Staff, Depends(require_roles(*RECORDS_ATTENDANCE))],
) -> object:
    appointment = attendance.get_appointment(session, appointment_id)
    visible_citizen(session, staff, appointment.citizen_id)
    row = attendance.mark_many(session, appointment_ids=[appointment_id], outcome=body.outcome, now=utcnow(),
                               staff_id=staff.id, note=body.note)[0]
    _audit(session, request, staff, "update", f"absences:{appointment.citizen_id}",
           appointment_id=appointment_id, outcome=body.outcome.value)
    return row


@router.post("/attendance/mark", response_model=list[AttendancePublic])
def mark_many(
    body: MarkMany,
    request: Request,
    session: SessionDep,
    staff: Annotated[Staff, Depends(require_roles(*RECORDS_ATTENDANCE))],
) -> object:
    """Mark a whole class or day at once; ``exceptions`` gives the appointments that differ."""
    for appointment_id in {*body.appointment_ids, *body.exceptions}:
        citizen_id = attendance.get_appointment(session, appointment_id).citizen_id
        visible_citizen(session, staff, citizen_id)
    rows = attendance.mark_many(session, appointment_ids=body.appointment_ids, outcome=body.outcome,
                                now=utcnow(), staff_id=staff.id, exceptions=body.exceptions, note=body.note)
    _audit(session, request, staff, "update", "attendance", appointment_ids=[r.appointment_id for r in rows])
    return rows


@router.post("/attendance/import")
async def import_file(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(Role.caseworker, Role.team_lead, Role.admin))],
    file: Annotated[UploadFile, File(description="CSV from a language centre or a company.")],
    dry_run: Annotated[bool, Query(description="Check every row and change nothing.")] = True,
) -> dict[str, object]:
    """Dry run by default: every bad row with its reason. A file with a bad row imports nothing."""
    report = importer.import_attendance(
        session, content=await file.read(), name=file.filename or "upload.csv", dry_run=dry_run, now=utcnow(),
        tz=settings.timezone, staff_id=staff.id, region=settings.default_region,
    )
    _audit(session, request, staff, "import", "attendance", name=report.name, dry_run=dry_run,
           rows=len(report.rows), errors=len(report.errors), imported=report.imported)
    return {
        "name": report.name, "dry_run": report.dry_run, "ok": report.ok, "imported": report.imported,
        "rows": [{"line": r.line, "appointment_id": r.appointment_id, "outcome": r.outcome.value}
                 for r in report.rows],
        "errors": [{"line": e.line, "field": e.field, "message": e.message} for e in report.errors],
    }


@router.get("/citizens/{citizen_id}/attendance", response_model=AttendanceReport)
def citizen_attendance(
    citizen_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    from_: Annotated[date, Query(alias="from", description="First day (local), e.g. 2026-11-01.")],
    to: Annotated[date, Query(description="Last day (local), inclusive.")],
) -> AttendanceReport:
    """Attendance rate over a period with Helsingør's bands; appointments not yet held don't count."""
    attendance.check_day(from_, "from")
    attendance.check_day(to, "to")
    if to < from_:
        raise ContactInputError("to", "the last day is before the first")
    visible_citizen(session, staff, citizen_id)
    start, _ = attendance.local_day_bounds(from_, settings.timezone)
    _, end = attendance.local_day_bounds(to, settings.timezone)
    lines = attendance.attendance_lines(session, citizen_id=citizen_id, start=start, end=end)
    summary = attendance.summary_for(lines, now=utcnow(), policy=attendance.counting_policy(session))
    _audit(session, request, staff, "view", f"absences:{citizen_id}",
           period=[from_.isoformat(), to.isoformat()])
    return AttendanceReport(
        citizen_id=citizen_id, period_from=from_, period_to=to,
        present=summary.present, absent=summary.absent,
        not_counted=summary.not_counted, without_outcome=summary.without_outcome,
        percent=summary.percent_rounded, band=summary.band.value, band_label=BAND_LABELS[summary.band],
        by_outcome=summary.by_outcome,
        basis="physical_attendance" if summary.physical_attendance else "custom",
        counted_against=summary.counted_against,
        breakdown=[BreakdownLine(outcome=b.outcome, count=b.count, counts=b.counts)
                   for b in summary.breakdown],
        lines=[_line(x) for x in lines],
    )
