"""``/api/v1``: cancellations (afbud), and those a citizen gives by phone or at the desk.

A cancellation is the citizen's evidence of notice: every one is listed with its reference and
the moment it arrived. Its reason may hold health details, so only the roles that read sick
notices' text see it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from bot.access import Viewer, reads_health_data
from bot.api.auth import require_roles
from bot.api.citizens import visible_citizen
from bot.attendance import attendance
from bot.channels.models import Message
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep, SettingsDep
from bot.sick_notices import phoned_in
from bot.sick_notices.models import Cancellation, CancellationCreate, CancellationPublic

router = APIRouter(tags=["absences"])

RECORDS = (Role.consultant, Role.caseworker, Role.team_lead, Role.admin)


def public(session: SessionDep, cancellation: Cancellation, staff: Staff) -> CancellationPublic:
    assert cancellation.id is not None
    receipt_id = cancellation.receipt_message_id
    receipt = session.get(Message, receipt_id) if receipt_id else None
    return CancellationPublic(
        id=cancellation.id, reference=cancellation.reference, appointment_id=cancellation.appointment_id,
        received_at=cancellation.received_at, late=cancellation.late, source=cancellation.source,
        reason=cancellation.reason if reads_health_data(staff.role) else None,
        sick_notice_id=cancellation.sick_notice_id, receipt_message_id=cancellation.receipt_message_id,
        receipt_status=receipt.status.value if receipt else None,
    )


@router.post("/citizens/{citizen_id}/cancellations", response_model=CancellationPublic, status_code=201)
def record_cancellation(
    citizen_id: int,
    body: CancellationCreate,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*RECORDS))],
) -> CancellationPublic:
    """A cancellation the citizen gave by phone or in person, from the time they called; the
    citizen gets the same receipt as for one sent by SMS."""
    visible_citizen(session, staff, citizen_id)
    now = utcnow()
    received_at = body.received_at or now
    if received_at > now:
        raise ContactInputError("received_at", "the call cannot be in the future")
    appointment = attendance.get_appointment(session, body.appointment_id)
    cancellation = phoned_in.take_cancellation(
        session=session, acting_staff=Viewer.of(staff), citizen_id=citizen_id, appointment=appointment,
        received_at=received_at, reason=body.reason, now=now, tz=settings.timezone, source=body.source,
        address=request.client.host if request.client else None,
    )
    return public(session, cancellation, staff)
