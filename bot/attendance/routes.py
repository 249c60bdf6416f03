"""``/api/v1``: attendance outcomes of appointments, a whole class at once, imports, a citizen's rate.

Every view of a citizen's attendance is written to the audit log.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile

from bot.access import Viewer
from bot.api.auth import CurrentStaff, require_roles
from bot.api.citizens import visible_citizen
from bot.attendance import attendance, recording
from bot.attendance.bands import BAND_LABELS
from bot.attendance.models import (
    AbsenceLine,
    AttendancePublic,
    AttendanceReport,
    AttendanceUpdate,
    BreakdownLine,
    MarkMany,
)
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep, SettingsDep

router = APIRouter(tags=["attendance"])

RECORDS_ATTENDANCE = (Role.consultant, Role.caseworker, Role.team_lead, Role.admin)


def absence_line(line: attendance.AttendanceLine) -> AbsenceLine:
    a = line.appointment
    assert a.id is not None
    return AbsenceLine(
        appointment_id=a.id, kind=a.kind.value, starts_at=a.starts_at, title=a.title,
        outcome=line.attendance.outcome if line.attendance else None,
        pending_check=bool(line.attendance and line.attendance.pending_check),
        sick_notice_ids=line.sick_notice_ids,
    )


def _address(request: Request) -> str | None:
    return request.client.host if request.client else None


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
    return recording.record_outcome(
        session=session, acting_staff=Viewer.of(staff), appointment_id=appointment_id,
        citizen_id=appointment.citizen_id, outcome=body.outcome, note=body.note, now=utcnow(),
        address=_address(request),
    )


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
    return recording.mark_many(
        session=session, acting_staff=Viewer.of(staff), appointment_ids=body.appointment_ids,
        outcome=body.outcome, exceptions=body.exceptions, note=body.note, now=utcnow(),
        address=_address(request),
    )


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
    report = recording.import_file(
        session=session, acting_staff=Viewer.of(staff), content=await file.read(),
        name=file.filename or "upload.csv", dry_run=dry_run, now=utcnow(), tz=settings.timezone,
        region=settings.default_region, address=_address(request),
    )
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
    lines, summary = recording.report(
        session=session, acting_staff=Viewer.of(staff), citizen_id=citizen_id, first=from_, last=to,
        tz=settings.timezone, now=utcnow(), address=_address(request),
    )
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
        lines=[absence_line(x) for x in lines],
    )
