"""The citizen's remarks in a hearing: SMS they send while it is open, and remarks staff write down.

An SMS is handled as usual by the conversation and, besides, attached to the open case. The
``hearings.remarks`` job attaches them; ``attach_citizen_message`` may also be called
from the inbound pipeline for an immediate attachment. Attaching twice adds a remark once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.channels.models import ContactKind, Direction, Message
from bot.contacts.service import ContactInputError, NotFound
from bot.hearings.models import HearingCase, HearingRemark, HearingStatus
from bot.items import service as items


def _case(session: Session, case_id: int) -> HearingCase:
    case = session.get(HearingCase, case_id)
    if case is None:
        raise NotFound(f"There is no hearing case with id {case_id}.")
    return case


def open_case_for(session: Session, *, citizen_id: int, at: datetime) -> HearingCase | None:
    return session.exec(
        select(HearingCase)
        .where(HearingCase.citizen_id == citizen_id, HearingCase.status == HearingStatus.awaiting_remarks)
        .where(col(HearingCase.opened_at) <= at)
        .order_by(col(HearingCase.opened_at).desc())
    ).first()


def attach_citizen_message(session: Session, *, message: Message) -> HearingRemark | None:
    """Attach an inbound SMS from a citizen with an open hearing to that case as a remark.

    The message is handled as usual as well; this only adds it to the case. Calling it twice
    for the same message adds it once.
    """
    if message.direction != Direction.inbound or message.contact_kind != ContactKind.citizen:
        return None
    if message.contact_id is None or message.id is None or message.created_at is None:
        return None
    case = open_case_for(session, citizen_id=message.contact_id, at=message.created_at)
    if case is None or case.id is None:
        return None
    existing = session.exec(
        select(HearingRemark).where(HearingRemark.case_id == case.id, HearingRemark.message_id == message.id)
    ).first()
    if existing is not None:
        return existing
    remark = HearingRemark(case_id=case.id, message_id=message.id, received_at=message.created_at)
    try:
        with session.begin_nested():
            session.add(remark)
            session.flush()
    except IntegrityError:
        return session.exec(
            select(HearingRemark)
            .where(HearingRemark.case_id == case.id, HearingRemark.message_id == message.id)
        ).first()
    items.open(
        session,
        kind="hearing_remark",
        summary=f"Hearing {case.reference}: the citizen has answered by SMS",
        now=message.created_at,
        dedupe_key=f"hearing_remark:{remark.id}",
        citizen_id=case.citizen_id,
        assignee_id=case.opened_by_id,
        message_id=message.id,
        details={"case_id": case.id},
        summary_id="hearing_remark",
        summary_params={"reference": case.reference},
    )
    return remark


def sync_open_cases(session: Session) -> int:
    """Attach new SMS to every case still waiting for remarks; the number of cases looked at."""
    waiting = select(HearingCase).where(HearingCase.status == HearingStatus.awaiting_remarks)
    cases = session.exec(waiting).all()
    for case in cases:
        sync_remarks(session, case)
    return len(cases)


def sync_remarks(session: Session, case: HearingCase) -> list[HearingRemark]:
    """Attach every inbound SMS from the citizen since the case opened (what the pipeline missed)."""
    if case.status == HearingStatus.awaiting_remarks:
        inbound = session.exec(
            select(Message)
            .where(Message.direction == Direction.inbound, Message.contact_kind == ContactKind.citizen)
            .where(Message.contact_id == case.citizen_id, col(Message.created_at) >= case.opened_at)
        ).all()
        for message in inbound:
            attach_citizen_message(session, message=message)
    return list(session.exec(
        select(HearingRemark).where(HearingRemark.case_id == case.id).order_by(col(HearingRemark.received_at))
    ).all())


def add_written_remark(
    session: Session, *, case_id: int, text: str, received_at: datetime, staff_id: int
) -> HearingRemark:
    """A remark the citizen gave by letter, phone or in person, written down by staff."""
    case = _case(session, case_id)
    if not text.strip():
        raise ContactInputError("text", "write down what the citizen said")
    assert case.id is not None
    remark = HearingRemark(case_id=case.id, text=text.strip(), received_at=received_at,
                           recorded_by_id=staff_id)
    session.add(remark)
    session.flush()
    return remark
