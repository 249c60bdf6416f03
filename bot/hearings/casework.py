"""A caseworker's hearing work as the panel does it: each query the pages need and each action,
the action writing its own audit entry (``session`` and ``acting_staff`` keyword-only), so the
panel's routes only parse, call and render. Reach is ``bot.access``; rules are ``hearings``'.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from bot.access import Viewer, hearing_case_filter
from bot.audit import service as audit
from bot.contacts.models import Citizen, Staff
from bot.hearings import guidance, hearings
from bot.hearings.models import GuidanceDelivery, HearingAbsence, HearingCase, HearingDocument, HearingRemark

LIST_LIMIT = 500


def audited(
    session: Session,
    *,
    acting_staff: Viewer,
    action: str,
    subject: str,
    now: datetime,
    address: str | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """A view of personal data (a case, a letter, an export, a form with absences) on record."""
    audit.record(session, staff_id=acting_staff.staff_id, action=action, subject=subject,
                 details=dict(details or {}), address=address, now=now)


def open_cases(session: Session, *, acting_staff: Viewer) -> list[tuple[HearingCase, str]]:
    """Cases waiting for remarks or a decision that the reader may see, soonest deadline first,
    each with the citizen's name."""
    return list(session.exec(
        select(HearingCase, Citizen.name)
        .join(Citizen, col(Citizen.id) == col(HearingCase.citizen_id))
        .where(hearing_case_filter(acting_staff), col(HearingCase.status).in_(hearings.OPEN_STATUSES))
        .order_by(col(HearingCase.reply_deadline))
        .limit(LIST_LIMIT)
    ).all())


def remarks_of(session: Session, *, case_id: int) -> list[HearingRemark]:
    return list(session.exec(
        select(HearingRemark).where(HearingRemark.case_id == case_id).order_by(col(HearingRemark.received_at))
    ).all())


def case_references(session: Session, *, appointment_ids: list[int]) -> dict[int, str]:
    """The reference of a case (any status) each appointment is in."""
    return dict(session.exec(
        select(HearingAbsence.appointment_id, HearingCase.reference)
        .join(HearingCase, col(HearingCase.id) == col(HearingAbsence.case_id))
        .where(col(HearingAbsence.appointment_id).in_(appointment_ids))
    ).all())


def _subject(case_id: int) -> str:
    return f"hearing:{case_id}"


def open_case(
    session: Session,
    *,
    acting_staff: Viewer,
    citizen_id: int,
    appointment_ids: list[int],
    reply_days: int,
    overrides: Mapping[int, str],
    tz: str,
    now: datetime,
    address: str | None = None,
) -> HearingCase:
    case = hearings.open_case(session, citizen_id=citizen_id, appointment_ids=appointment_ids,
                              staff_id=acting_staff.staff_id, now=now, tz=tz, reply_days=reply_days,
                              overrides=dict(overrides))
    assert case.id is not None
    overridden = [a.id for a, link in hearings.case_absences(session, case.id) if link.override_reason]
    audited(session, acting_staff=acting_staff, action="create", subject=_subject(case.id), now=now,
            address=address, details={"citizen_id": citizen_id, "reference": case.reference,
                                      "appointment_ids": appointment_ids, "overridden": overridden})
    return case


def add_document(
    session: Session,
    *,
    acting_staff: Viewer,
    case_id: int,
    source: str,
    description: str,
    received_at: datetime,
    now: datetime,
    message_id: int | None = None,
    address: str | None = None,
) -> HearingDocument:
    document = hearings.add_document(session, case_id=case_id, source=source, description=description,
                                     received_at=received_at, staff_id=acting_staff.staff_id, now=now,
                                     message_id=message_id)
    audited(session, acting_staff=acting_staff, action="add_document", subject=_subject(case_id), now=now,
            address=address, details={"document_id": document.id, "source": document.source.value})
    return document


def add_remark(
    session: Session,
    *,
    acting_staff: Viewer,
    case_id: int,
    text: str,
    received_at: datetime,
    now: datetime,
    address: str | None = None,
) -> HearingRemark:
    remark = hearings.add_written_remark(session, case_id=case_id, text=text, received_at=received_at,
                                         staff_id=acting_staff.staff_id)
    audited(session, acting_staff=acting_staff, action="add_remark", subject=_subject(case_id), now=now,
            address=address, details={"remark_id": remark.id})
    return remark


def assess(
    session: Session,
    *,
    acting_staff: Viewer,
    staff: Staff,
    case_id: int,
    recommendation: str,
    reasons: str,
    now: datetime,
    address: str | None = None,
) -> None:
    hearings.record_assessment(session, case_id=case_id, recommendation=recommendation, reasons=reasons,
                               staff=staff, now=now)
    audited(session, acting_staff=acting_staff, action="assess", subject=_subject(case_id), now=now,
            address=address, details={"recommendation": recommendation})


def decide(
    session: Session,
    *,
    acting_staff: Viewer,
    staff: Staff,
    case_id: int,
    decision: str,
    reasons: str,
    now: datetime,
    address: str | None = None,
) -> None:
    """The benefits department's decision, recorded; the software itself never decides."""
    hearings.record_decision(session, case_id=case_id, decision=decision, reasons=reasons, staff=staff,
                             now=now)
    audited(session, acting_staff=acting_staff, action="decide", subject=_subject(case_id), now=now,
            address=address, details={"decision": decision})


def send_guidance(
    session: Session,
    *,
    acting_staff: Viewer,
    citizen_id: int,
    public_url: str,
    allow_draft: bool,
    now: datetime,
    address: str | None = None,
) -> GuidanceDelivery:
    delivery = guidance.send_guidance(session, citizen_id=citizen_id, staff_id=acting_staff.staff_id, now=now,
                                      public_url=public_url, allow_draft=allow_draft)
    audited(session, acting_staff=acting_staff, action="send_guidance", subject=f"absences:{citizen_id}",
            now=now, address=address, details={"language": delivery.language, "version": delivery.version,
                                               "draft": delivery.draft, "message_id": delivery.message_id})
    return delivery

