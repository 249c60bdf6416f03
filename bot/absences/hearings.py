"""Hearing cases (partshøring): documentation, the citizen's remarks, assessment and decision.

The software prepares and records. A caseworker assesses; the benefits department decides.
Nothing here decides or applies a sanction.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.absences import references
from bot.absences.models import (
    Attendance,
    DocumentSource,
    HearingAbsence,
    HearingCase,
    HearingDocument,
    HearingStatus,
    Outcome,
    OutcomeSource,
    Recommendation,
    SickNotice,
)
from bot.absences.remarks import (
    add_written_remark,
    attach_citizen_message,
    open_case_for,
    sync_open_cases,
    sync_remarks,
)
from bot.channels.outbox import enqueue
from bot.contacts.models import Citizen, Role, Staff
from bot.contacts.service import ContactInputError, NotFound
from bot.i18n import N_, format_date
from bot.items import service as items
from bot.reminders.models import Appointment, AppointmentKind

REPLY_DAYS = 7
DECIDES = frozenset({Role.benefits})


class HearingRuleError(ContactInputError):
    """A step asked for out of order (e.g. a decision before an assessment)."""


def get_case(session: Session, case_id: int) -> HearingCase:
    case = session.get(HearingCase, case_id)
    if case is None:
        raise NotFound(f"There is no hearing case with id {case_id}.")
    return case


def reply_deadline(now: datetime, *, days: int, tz: str) -> datetime:
    """The end of the local day ``days`` days from now: the citizen has whole days to answer."""
    zone = ZoneInfo(tz)
    last_day = now.astimezone(zone).date() + timedelta(days=days)
    return datetime.combine(last_day, time(23, 59, 59), zone).astimezone(ZoneInfo("UTC"))


def _source_of(attendance: Attendance, appointment: Appointment) -> DocumentSource:
    if attendance.source == OutcomeSource.employer_sms:
        return DocumentSource.company
    if attendance.source == OutcomeSource.import_file:
        if appointment.kind == AppointmentKind.class_:
            return DocumentSource.language_centre
        if appointment.placement_id is not None:
            return DocumentSource.company
    return DocumentSource.consultant


def open_case(
    session: Session,
    *,
    citizen_id: int,
    appointment_ids: list[int],
    staff_id: int,
    now: datetime,
    tz: str,
    reply_days: int = REPLY_DAYS,
) -> HearingCase:
    """Open a case from selected absences without notice; the citizen is told a letter is coming."""
    citizen = session.get(Citizen, citizen_id)
    if citizen is None:
        raise ContactInputError("citizen_id", f"there is no citizen with id {citizen_id}")
    if not appointment_ids:
        raise ContactInputError("appointment_ids", "select at least one absence without notice")
    if reply_days < 1:
        raise ContactInputError("reply_days", "the citizen needs at least one day to answer")
    chosen: list[tuple[Appointment, Attendance]] = []
    for appointment_id in dict.fromkeys(appointment_ids):
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.citizen_id != citizen_id:
            raise ContactInputError("appointment_ids", f"appointment {appointment_id} is not this citizen's")
        record = session.get(Attendance, appointment_id)
        if record is None or record.outcome != Outcome.absent_without_notice:
            found = record.outcome.value if record else "no outcome"
            raise ContactInputError(
                "appointment_ids", f"appointment {appointment_id} is not an absence without notice ({found})"
            )
        if record.pending_check:
            raise ContactInputError(
                "appointment_ids",
                f"appointment {appointment_id} is pending a check; confirm the outcome first",
            )
        chosen.append((appointment, record))
    zone = ZoneInfo(tz)
    days = sorted(a.starts_at.astimezone(zone).date() for a, _ in chosen)
    case = HearingCase(
        reference=references.next_reference(session, prefix="H", year=now.astimezone(zone).year),
        citizen_id=citizen_id,
        opened_by_id=staff_id,
        opened_at=now,
        period_from=days[0],
        period_to=days[-1],
        reply_deadline=reply_deadline(now, days=reply_days, tz=tz),
        letter_language=citizen.language,
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    for appointment, record in chosen:
        assert appointment.id is not None
        session.add(HearingAbsence(case_id=case.id, appointment_id=appointment.id))
        session.add(HearingDocument(
            case_id=case.id,
            source=_source_of(record, appointment),
            description=f"Appointment {appointment.id} ({appointment.kind.value}, "
            f"{appointment.starts_at.astimezone(zone):%Y-%m-%d %H:%M}) recorded as absent without notice"
            + (f" from file {record.import_name}" if record.import_name else ""),
            description_id=N_("hearing.letter.doc_absence"),
            description_params={
                "kind": appointment.kind.value,
                "starts_at": appointment.starts_at.isoformat(),
            },
            received_at=record.recorded_at or now,
            added_by_id=staff_id,
            added_at=now,
            message_id=record.message_id,
        ))
    _collect_sick_notices(session, case, tz=tz, now=now)
    _tell_citizen(session, case, citizen, now=now, tz=tz)
    items.open(
        session,
        kind="hearing_awaiting_remarks",
        summary=f"Hearing {case.reference}: the citizen may answer until the deadline",
        now=now,
        dedupe_key=f"hearing:{case.id}",
        citizen_id=citizen_id,
        assignee_id=staff_id,
        details={"case_id": case.id},
        due_at=case.reply_deadline,
    )
    session.flush()
    return case


def _collect_sick_notices(session: Session, case: HearingCase, *, tz: str, now: datetime) -> None:
    """Every sick notice the ledger holds for the period goes into the case as documentation."""
    notices = session.exec(
        select(SickNotice)
        .where(SickNotice.citizen_id == case.citizen_id)
        .where(col(SickNotice.starts_on) <= case.period_to)
        .order_by(col(SickNotice.received_at))
    ).all()
    for notice in notices:
        if notice.ends_on is not None and notice.ends_on < case.period_from:
            continue
        end = notice.ends_on.isoformat() if notice.ends_on else "open"
        session.add(HearingDocument(
            case_id=case.id,  # type: ignore[arg-type]
            source=DocumentSource.sms_ledger,
            description=f"Sick notice {notice.reference} received "
            f"{notice.received_at.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M}, "
            f"covering {notice.starts_on.isoformat()} to {end}" + (" (late)" if notice.late else ""),
            description_id=(
                N_("hearing.letter.doc_sick_notice_late") if notice.late
                else N_("hearing.letter.doc_sick_notice")
            ),
            description_params={
                "reference": notice.reference,
                "received_at": notice.received_at.isoformat(),
                "starts_on": notice.starts_on.isoformat(),
                "ends_on": notice.ends_on.isoformat() if notice.ends_on else None,
            },
            received_at=notice.received_at,
            added_at=now,
            message_id=notice.inbound_message_id,
        ))


def _tell_citizen(session: Session, case: HearingCase, citizen: Citizen, *, now: datetime, tz: str) -> None:
    if not citizen.phone:
        return
    deadline = format_date(case.reply_deadline.astimezone(ZoneInfo(tz)).date(), citizen.language)
    message = enqueue(
        session,
        phone=citizen.phone,
        template=N_("hearing.sms_letter_coming"),
        params={"reference": case.reference, "deadline": deadline},
        language=citizen.language,
        purpose="hearing",
        contact_kind="citizen",
        contact_id=citizen.id,
        now=now,
    )
    case.notice_message_id = message.id
    session.add(case)


def add_document(
    session: Session,
    *,
    case_id: int,
    source: DocumentSource | str,
    description: str,
    received_at: datetime,
    staff_id: int | None,
    now: datetime,
    message_id: int | None = None,
) -> HearingDocument:
    case = get_case(session, case_id)
    try:
        kind = DocumentSource(source)
    except ValueError as exc:
        choices = ", ".join(s.value for s in DocumentSource)
        raise ContactInputError("source", f"'{source}' is not a source; use one of {choices}") from exc
    if not description.strip():
        raise ContactInputError("description", "say what the document is")
    assert case.id is not None
    document = HearingDocument(
        case_id=case.id, source=kind, description=description.strip(), received_at=received_at,
        added_by_id=staff_id, added_at=now, message_id=message_id,
    )
    session.add(document)
    session.flush()
    return document


def record_assessment(
    session: Session,
    *,
    case_id: int,
    recommendation: Recommendation | str,
    reasons: str,
    staff: Staff,
    now: datetime,
) -> HearingCase:
    """The caseworker's concrete assessment; a sanction may be recommended only after the deadline."""
    case = get_case(session, case_id)
    if case.status not in (HearingStatus.awaiting_remarks, HearingStatus.assessed):
        raise HearingRuleError("status", f"the case is {case.status.value}; it can no longer be assessed")
    try:
        value = Recommendation(recommendation)
    except ValueError as exc:
        raise ContactInputError("recommendation", "use sanction or no_sanction") from exc
    if not reasons.strip():
        raise ContactInputError("reasons", "give the reasons for the assessment")
    if value == Recommendation.sanction and now <= case.reply_deadline:
        raise HearingRuleError(
            "recommendation",
            f"the citizen may answer until {case.reply_deadline.isoformat()}; "
            "recommend a sanction after that",
        )
    sync_remarks(session, case)
    case.recommendation = value
    case.assessment_reasons = reasons.strip()
    case.assessed_by_id = staff.id
    case.assessed_at = now
    case.status = HearingStatus.assessed
    session.add(case)
    items.resolve_by_key(session, f"hearing:{case.id}", now=now, staff_id=staff.id)
    items.open(
        session,
        kind="hearing_awaiting_decision",
        summary=f"Hearing {case.reference}: decision needed",
        now=now,
        dedupe_key=f"hearing_decision:{case.id}",
        citizen_id=case.citizen_id,
        details={"case_id": case.id, "recommendation": value.value},
    )
    session.flush()
    return case


def record_decision(
    session: Session,
    *,
    case_id: int,
    decision: Recommendation | str,
    reasons: str,
    staff: Staff,
    now: datetime,
) -> HearingCase:
    """The benefits department's decision, recorded as given. Applying it happens elsewhere."""
    if staff.role not in DECIDES:
        raise HearingRuleError("role", "only the benefits department records a decision")
    case = get_case(session, case_id)
    if case.status != HearingStatus.assessed:
        raise HearingRuleError(
            "status", f"the case is {case.status.value}; a decision needs an assessment first"
        )
    try:
        value = Recommendation(decision)
    except ValueError as exc:
        raise ContactInputError("decision", "use sanction or no_sanction") from exc
    if not reasons.strip():
        raise ContactInputError("reasons", "give the reasons for the decision")
    case.decision = value
    case.decision_reasons = reasons.strip()
    case.decided_by_id = staff.id
    case.decided_at = now
    case.status = HearingStatus.decided
    session.add(case)
    items.resolve_by_key(session, f"hearing_decision:{case.id}", now=now, staff_id=staff.id)
    session.flush()
    return case


def absences_of(session: Session, case_id: int) -> list[Appointment]:
    query = (
        select(Appointment)
        .join(HearingAbsence, col(HearingAbsence.appointment_id) == col(Appointment.id))
        .where(HearingAbsence.case_id == case_id)
        .order_by(col(Appointment.starts_at))
    )
    return list(session.exec(query).all())


def documents_of(session: Session, case_id: int) -> list[HearingDocument]:
    query = select(HearingDocument).where(HearingDocument.case_id == case_id)
    return list(session.exec(query.order_by(col(HearingDocument.received_at), col(HearingDocument.id))).all())


def cases_of(session: Session, *, citizen_id: int) -> list[HearingCase]:
    query = select(HearingCase).where(HearingCase.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(HearingCase.opened_at).desc())).all())


__all__ = [
    "DECIDES", "REPLY_DAYS", "HearingRuleError", "absences_of", "add_document", "add_written_remark",
    "attach_citizen_message", "cases_of", "documents_of", "get_case", "open_case", "open_case_for",
    "record_assessment", "record_decision", "reply_deadline", "sync_open_cases", "sync_remarks",
]
