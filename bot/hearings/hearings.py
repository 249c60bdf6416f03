"""Hearing cases (partshøring): documentation, the citizen's remarks, assessment and decision.

The software prepares and records. A caseworker assesses; the benefits department decides.
Nothing here decides or applies a sanction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot import references
from bot.attendance.attendance import appointments_between, local_day_bounds
from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.contacts.models import Citizen, Role, Staff
from bot.contacts.service import ContactInputError, NotFound
from bot.hearings import drafts
from bot.hearings.models import (
    REPLY_DAYS,
    DocumentSource,
    HearingAbsence,
    HearingCase,
    HearingDocument,
    HearingStatus,
    Recommendation,
)
from bot.hearings.remarks import (
    add_written_remark,
    attach_citizen_message,
    open_case_for,
    sync_open_cases,
    sync_remarks,
)
from bot.i18n import N_, day_param
from bot.items import service as items
from bot.reminders.models import Appointment, AppointmentKind
from bot.sick_notices.models import Cancellation, SickNotice, SickNoticeAppointment

DECIDES = frozenset({Role.benefits})
# A case in these states still stands against the citizen: its absences belong to it alone.
OPEN_STATUSES = (HearingStatus.awaiting_remarks, HearingStatus.assessed)
OVERRIDE_MAX = 4000


class HearingRuleError(ContactInputError):
    """A step asked for out of order (e.g. a decision before an assessment)."""


@dataclass(frozen=True)
class NoticeOnRecord:
    """A sick notice or a cancellation the citizen gave: their evidence of notice for an absence."""

    kind: str  # sick_notice | cancellation
    reference: str
    received_at: datetime


@dataclass(frozen=True)
class Refusal:
    """Why one selected absence cannot go into the case as it stands."""

    appointment: Appointment
    reason: str  # notice_on_record (an override reason lets it in) | in_open_case (nothing does)
    references: tuple[str, ...]


class AbsenceRefused(HearingRuleError):
    """Selected absences a case may not include; ``refusals`` names each with the references, so
    the panel can say it in the reader's language. All are reported at once, not the first."""

    def __init__(self, refusals: list[Refusal], *, tz: str) -> None:
        self.refusals = refusals
        field = "appointment_ids" if any(r.reason == "in_open_case" for r in refusals) else "overrides"
        super().__init__(field, "; ".join(_refusal_text(r, tz) for r in refusals))


def _refusal_text(refusal: Refusal, tz: str) -> str:
    a = refusal.appointment
    absence = f"the absence on {a.starts_at.astimezone(ZoneInfo(tz)):%Y-%m-%d %H:%M} (appointment {a.id})"
    references = ", ".join(refusal.references)
    if refusal.reason == "in_open_case":
        return f"{absence} is already in the open hearing case {references}"
    return (f"{absence} has {references} on record; to include it anyway, give the reason in "
            f"overrides[{a.id}]")


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
    overrides: Mapping[int, str] | None = None,
) -> HearingCase:
    """Open a case from selected absences without notice; the citizen is told a letter is coming.

    An absence with a sick notice or a cancellation on record goes in only with the caseworker's
    reason in ``overrides`` (appointment id -> reason), kept on the case with who gave it; an
    absence in another open case never does. Both are refused together, naming every absence.
    """
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
    reasons = _override_reasons(overrides, [a.id for a, _ in chosen if a.id is not None])
    on_record = _check_absences(session, citizen_id, [a for a, _ in chosen], reasons, tz=tz)
    zone = ZoneInfo(tz)
    days = sorted(a.starts_at.astimezone(zone).date() for a, _ in chosen)
    case = HearingCase(
        reference=references.next_reference(
            session, prefix=references.HEARING, year=now.astimezone(zone).year
        ),
        citizen_id=citizen_id,
        opened_by_id=staff_id,
        opened_at=now,
        period_from=days[0],
        period_to=days[-1],
        reply_deadline=reply_deadline(now, days=reply_days, tz=tz),
        letter_language=citizen.language,
        letter_draft=drafts.letter_is_draft(citizen.language),
    )
    session.add(case)
    session.flush()
    assert case.id is not None
    for appointment, record in chosen:
        assert appointment.id is not None
        reason = reasons.get(appointment.id) if on_record.get(appointment.id) else None
        session.add(HearingAbsence(case_id=case.id, appointment_id=appointment.id, override_reason=reason,
                                   overridden_by_id=staff_id if reason else None))
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
        summary_id="hearing_awaiting_remarks",
        summary_params={"reference": case.reference},
    )
    session.flush()
    return case


def _override_reasons(overrides: Mapping[int, str] | None, chosen_ids: list[int]) -> dict[int, str]:
    """The non-blank reasons, each for a selected absence (a reason for anything else is a mistake)."""
    reasons: dict[int, str] = {}
    for appointment_id, text in (overrides or {}).items():
        if appointment_id not in chosen_ids:
            raise ContactInputError(
                "overrides", f"appointment {appointment_id} is not among the selected absences"
            )
        cleaned = (text or "").strip()
        if len(cleaned) > OVERRIDE_MAX:
            raise ContactInputError("overrides", f"a reason is at most {OVERRIDE_MAX} characters")
        if cleaned:
            reasons[appointment_id] = cleaned
    return reasons


def _check_absences(
    session: Session, citizen_id: int, chosen: list[Appointment], reasons: Mapping[int, str], *, tz: str
) -> dict[int, list[NoticeOnRecord]]:
    """Refuse absences in another open case, and those with notice on record but no reason.

    Returns the notices on record per absence, so the case keeps a reason only where one was due.
    """
    ids = [a.id for a in chosen if a.id is not None]
    on_record = notices_on_record(session, citizen_id=citizen_id, appointment_ids=ids)
    open_cases = cases_holding(session, appointment_ids=ids)
    refusals = []
    for appointment in chosen:
        assert appointment.id is not None
        if appointment.id in open_cases:
            refusals.append(Refusal(appointment, "in_open_case", (open_cases[appointment.id].reference,)))
        elif on_record.get(appointment.id) and appointment.id not in reasons:
            found = tuple(n.reference for n in on_record[appointment.id])
            refusals.append(Refusal(appointment, "notice_on_record", found))
    if refusals:
        raise AbsenceRefused(refusals, tz=tz)
    return on_record


def notices_on_record(
    session: Session, *, citizen_id: int, appointment_ids: Iterable[int]
) -> dict[int, list[NoticeOnRecord]]:
    """The sick notices and cancellations that concern each appointment, oldest first.

    A sick notice concerns the appointments it is linked to; a cancellation the appointment it
    was for, or, while that is not settled, every appointment it may mean (the citizen may have
    meant this one). A cancellation whose reason turned out to be sickness counts as its notice.
    """
    ids = set(appointment_ids)
    found: dict[int, dict[str, NoticeOnRecord]] = {i: {} for i in ids}
    links = session.exec(
        select(SickNoticeAppointment.appointment_id, SickNotice)
        .join(SickNotice, col(SickNotice.id) == col(SickNoticeAppointment.sick_notice_id))
        .where(col(SickNoticeAppointment.appointment_id).in_(ids))
    ).all()
    for appointment_id, notice in links:
        found[appointment_id][notice.reference] = _sick(notice)
    cancellations = session.exec(
        select(Cancellation).where(
            Cancellation.citizen_id == citizen_id,
            or_(col(Cancellation.appointment_id).in_(ids), col(Cancellation.appointment_id).is_(None)),
        )
    ).all()
    for cancellation in cancellations:
        evidence = _cancellation_evidence(session, cancellation)
        for appointment_id in _meant(cancellation) & ids:
            found[appointment_id][evidence.reference] = evidence
    return {
        i: sorted(by_reference.values(), key=lambda n: (n.received_at, n.reference))
        for i, by_reference in found.items() if by_reference
    }


def _sick(notice: SickNotice) -> NoticeOnRecord:
    return NoticeOnRecord("sick_notice", notice.reference, notice.received_at)


def _cancellation_evidence(session: Session, cancellation: Cancellation) -> NoticeOnRecord:
    if cancellation.sick_notice_id is not None:
        notice = session.get(SickNotice, cancellation.sick_notice_id)
        if notice is not None:
            return _sick(notice)
    return NoticeOnRecord("cancellation", cancellation.reference, cancellation.received_at)


def _meant(cancellation: Cancellation) -> set[int]:
    if cancellation.appointment_id is not None:
        return {cancellation.appointment_id}
    return {int(i) for i in cancellation.may_mean or []}


def cases_holding(
    session: Session, *, appointment_ids: Iterable[int], statuses: Iterable[HearingStatus] = OPEN_STATUSES
) -> dict[int, HearingCase]:
    """The open case (by default) each appointment is already in, if any."""
    rows = session.exec(
        select(HearingAbsence.appointment_id, HearingCase)
        .join(HearingCase, col(HearingCase.id) == col(HearingAbsence.case_id))
        .where(col(HearingAbsence.appointment_id).in_(list(appointment_ids)))
        .where(col(HearingCase.status).in_(list(statuses)))
        .order_by(col(HearingCase.opened_at))
    ).all()
    return {appointment_id: case for appointment_id, case in rows}


@dataclass(frozen=True)
class PeriodNotice:
    """A sick notice or a cancellation of a case's period, as the letter and the export list it."""

    kind: str  # sick_notice | cancellation
    reference: str
    received_at: datetime
    late: bool
    source: str
    message_id: int | None
    starts_on: date | None = None  # a sick notice: the days it covers (None: open-ended)
    ends_on: date | None = None
    appointments: tuple[Appointment, ...] = ()  # a cancellation: what it was for, or may mean
    settled: bool = True  # a cancellation: False while it is not known which appointment it was for
    first_received_as: str | None = None  # a sick notice that arrived as this cancellation


def period_notices(session: Session, case: HearingCase, *, tz: str) -> list[PeriodNotice]:
    """Every sick notice and cancellation of the case's period, in the order they arrived.

    Read when asked, not copied when the case opened: a notice found later is in the letter too.
    A sick notice belongs to the period when the days it covers meet it or it covers one of the
    case's absences; a cancellation when it arrived in the period or is for an appointment in it.
    """
    assert case.id is not None
    start, _ = local_day_bounds(case.period_from, tz)
    _, end = local_day_bounds(case.period_to, tz)
    in_period = {a.id: a for a in appointments_between(
        session, citizen_id=case.citizen_id, start=start, end=end, include_cancelled=True)}
    case_ids = {a.id for a in absences_of(session, case.id)}
    notices = {n.id: n for n in _sick_notices_of_period(session, case, case_ids)}
    first_as: dict[int, str] = {}
    lines = []
    for cancellation in _cancellations_of_period(session, case.citizen_id, start, end, set(in_period)):
        if cancellation.sick_notice_id is not None:
            notice = notices.get(cancellation.sick_notice_id) or session.get(
                SickNotice, cancellation.sick_notice_id
            )
            if notice is not None and notice.id is not None:
                notices[notice.id] = notice
                first_as[notice.id] = cancellation.reference
                continue
        lines.append(_cancellation_line(session, cancellation, in_period))
    lines += [_notice_line(n, first_as.get(n.id or 0)) for n in notices.values()]
    return sorted(lines, key=lambda line: (line.received_at, line.reference))


def _sick_notices_of_period(
    session: Session, case: HearingCase, case_ids: set[int | None]
) -> list[SickNotice]:
    overlapping = session.exec(
        select(SickNotice)
        .where(SickNotice.citizen_id == case.citizen_id, col(SickNotice.starts_on) <= case.period_to)
        .where(or_(col(SickNotice.ends_on).is_(None), col(SickNotice.ends_on) >= case.period_from))
    ).all()
    linked = session.exec(
        select(SickNotice)
        .join(SickNoticeAppointment, col(SickNoticeAppointment.sick_notice_id) == col(SickNotice.id))
        .where(col(SickNoticeAppointment.appointment_id).in_(case_ids))
    ).all()
    return list({n.id: n for n in [*overlapping, *linked]}.values())


def _cancellations_of_period(
    session: Session, citizen_id: int, start: datetime, end: datetime, in_period: set[int | None]
) -> list[Cancellation]:
    rows = session.exec(select(Cancellation).where(Cancellation.citizen_id == citizen_id)).all()
    return [c for c in rows if start <= c.received_at < end or _meant(c) & in_period]


def _cancellation_line(
    session: Session, cancellation: Cancellation, in_period: Mapping[int | None, Appointment]
) -> PeriodNotice:
    meant = sorted(_meant(cancellation))
    appointments = [in_period.get(i) or session.get(Appointment, i) for i in meant]
    return PeriodNotice(
        kind="cancellation", reference=cancellation.reference, received_at=cancellation.received_at,
        late=cancellation.late, source=cancellation.source, message_id=cancellation.inbound_message_id,
        appointments=tuple(sorted((a for a in appointments if a is not None), key=lambda a: a.starts_at)),
        settled=cancellation.appointment_id is not None,
    )


def _notice_line(notice: SickNotice, first_received_as: str | None) -> PeriodNotice:
    return PeriodNotice(
        kind="sick_notice", reference=notice.reference, received_at=notice.received_at, late=notice.late,
        source=notice.source, message_id=notice.inbound_message_id, starts_on=notice.starts_on,
        ends_on=notice.ends_on, first_received_as=first_received_as,
    )

def _tell_citizen(session: Session, case: HearingCase, citizen: Citizen, *, now: datetime, tz: str) -> None:
    if not citizen.phone:
        return
    # Kept as a date, not a text: each language a message is written in (the citizen's draft and
    # the Danish beside it, or the staff member reading it) writes the day its own way.
    deadline = day_param(case.reply_deadline.astimezone(ZoneInfo(tz)).date())
    # A draft translation goes out beside the Danish text; the message's template says which.
    message, _ = drafts.enqueue_legal_sms(
        session,
        phone=citizen.phone,
        template=N_("hearing.sms_letter_coming"),
        params={"reference": case.reference, "deadline": deadline},
        language=citizen.language,
        purpose="hearing",
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
        summary_id="hearing_awaiting_decision",
        summary_params={"reference": case.reference},
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


def case_absences(session: Session, case_id: int) -> list[tuple[Appointment, HearingAbsence]]:
    """The case's absences with their link: the override reason and who gave it, where one was due."""
    query = (
        select(Appointment, HearingAbsence)
        .join(HearingAbsence, col(HearingAbsence.appointment_id) == col(Appointment.id))
        .where(HearingAbsence.case_id == case_id)
        .order_by(col(Appointment.starts_at))
    )
    return [(a, link) for a, link in session.exec(query).all()]


def documents_of(session: Session, case_id: int) -> list[HearingDocument]:
    query = select(HearingDocument).where(HearingDocument.case_id == case_id)
    return list(session.exec(query.order_by(col(HearingDocument.received_at), col(HearingDocument.id))).all())


def cases_of(session: Session, *, citizen_id: int) -> list[HearingCase]:
    query = select(HearingCase).where(HearingCase.citizen_id == citizen_id)
    return list(session.exec(query.order_by(col(HearingCase.opened_at).desc())).all())


__all__ = [
    "DECIDES", "OPEN_STATUSES", "REPLY_DAYS", "AbsenceRefused", "HearingRuleError", "NoticeOnRecord",
    "PeriodNotice", "Refusal", "absences_of", "add_document", "add_written_remark", "attach_citizen_message",
    "case_absences", "cases_holding", "cases_of", "documents_of", "get_case", "notices_on_record",
    "open_case", "open_case_for", "period_notices", "record_assessment", "record_decision",
    "reply_deadline", "sync_open_cases", "sync_remarks",
]
