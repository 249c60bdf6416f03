"""``/api/v1``: a citizen's absences (sick notices, cancellations, absent appointments), and a sick
notice given by phone or in person.

Every view of a citizen's absences is written to the audit log. The free text of a sick notice
is shown to consultants, caseworkers and team leads only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from bot.access import Viewer, reads_health_data
from bot.api.auth import CurrentStaff, require_roles
from bot.api.citizens import visible_citizen
from bot.attendance.models import AbsenceLine
from bot.attendance.routes import RECORDS_ATTENDANCE, absence_line
from bot.channels.models import Message
from bot.clock import utcnow
from bot.contacts.models import Staff
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep, SettingsDep
from bot.media import evidence
from bot.sick_notices import cancellation_routes, phoned_in, service
from bot.sick_notices.handlers import options_from
from bot.sick_notices.models import (
    CancellationPublic,
    NoticeDocument,
    SickNotice,
    SickNoticeCreate,
    SickNoticePublic,
)

router = APIRouter(tags=["absences"])


class AbsencesPublic(BaseModel):
    citizen_id: int
    sick_notices: list[SickNoticePublic]
    cancellations: list[CancellationPublic]
    absences: list[AbsenceLine]


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


@router.get("/absences", response_model=AbsencesPublic)
def list_absences(
    request: Request,
    session: SessionDep,
    staff: CurrentStaff,
    citizen_id: Annotated[int, Query(description="The citizen whose absences to show.")],
) -> AbsencesPublic:
    """Sick notices and absences of one citizen; the view is written to the audit log."""
    visible_citizen(session, staff, citizen_id)
    notices, absent, listed = phoned_in.absences_of(
        session=session, acting_staff=Viewer.of(staff), citizen_id=citizen_id, now=utcnow(),
        address=request.client.host if request.client else None,
    )
    return AbsencesPublic(
        citizen_id=citizen_id, sick_notices=[_notice_public(session, n, staff) for n in notices],
        absences=[absence_line(x) for x in absent],
        cancellations=[cancellation_routes.public(session, c, staff) for c in listed],
    )


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
    notice = phoned_in.take_sick_notice(
        session=session, acting_staff=Viewer.of(staff), citizen_id=citizen_id, starts_on=body.starts_on,
        ends_on=body.ends_on, received_at=body.received_at or now, now=now,
        options=options_from(settings, session), text=body.text, source=body.source,
        address=request.client.host if request.client else None,
    )
    return _notice_public(session, notice, staff)


