"""The morning check-in for open-ended sick notices: "Are you still sick? 1 yes 2 I'm better".

A notice whose end the citizen did not know stays open until they say they are better. On each
following day with an appointment, once, outside quiet hours, the citizen is asked; "yes" keeps
the notice open, "I'm better" ends it, and no answer keeps it open with the consultant's item
saying so. The question enters the citizen flow at ``still_sick`` so the answer is understood
like any other message.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from bot.attendance import attendance
from bot.channels.outbox import enqueue
from bot.config import Settings
from bot.conversations import service as conversations
from bot.conversations.flow_state import is_waiting, start_flow
from bot.i18n import N_, day_param
from bot.items import service as items
from bot.reminders.config import build_policy
from bot.reminders.policy import is_quiet
from bot.sick_notices import service
from bot.sick_notices.models import NoticeRecipient, SickNotice, SickNoticeMessage

ENTRY = "still_sick"


def due(session: Session, *, now: datetime, tz: str) -> list[SickNotice]:
    """Open-ended notices begun before today whose citizen has an appointment today, not yet asked."""
    today = service.local_date(now, tz)
    start, end = attendance.local_day_bounds(today, tz)
    query = (
        select(SickNotice)
        .where(col(SickNotice.ended_at).is_(None), col(SickNotice.ends_on).is_(None))
        .where(col(SickNotice.starts_on) < today)
        .where((col(SickNotice.checked_in_on).is_(None)) | (col(SickNotice.checked_in_on) < today))
        .order_by(col(SickNotice.id))
    )
    return [n for n in session.exec(query).all()
            if attendance.appointments_between(session, citizen_id=n.citizen_id, start=start, end=end)]


def send_due(session: Session, *, now: datetime, settings: Settings) -> int:
    """Ask every citizen due a check-in; returns how many were asked."""
    if is_quiet(now, build_policy(settings, session=session)):
        return 0
    asked = 0
    for notice in due(session, now=now, tz=settings.timezone):
        if ask(session, notice=notice, now=now, settings=settings):
            asked += 1
    return asked


def ask(session: Session, *, notice: SickNotice, now: datetime, settings: Settings) -> bool:
    citizen = service.get_citizen(session, notice.citizen_id)
    if not citizen.phone or citizen.opted_out or citizen.id is None or notice.id is None:
        return False
    conversation = conversations.get_or_create(session, phone=citizen.phone, now=now)
    if is_waiting(conversation, now):
        return False  # another question waits for its answer; the next sweep tries again
    today = service.local_date(now, settings.timezone)
    message = enqueue(
        session, phone=citizen.phone, template=N_("absence.check_in"),
        params={"reference": notice.reference, "start": day_param(notice.starts_on)},
        language=citizen.language, purpose="check_in", contact_kind="citizen", contact_id=citizen.id, now=now,
    )
    assert message.id is not None
    session.add(SickNoticeMessage(sick_notice_id=notice.id, message_id=message.id,
                                  purpose=f"check_in:{today.isoformat()}",
                                  contact_kind=NoticeRecipient.citizen, contact_id=citizen.id))
    notice.checked_in_on = today
    session.add(notice)
    start_flow(session, conversation, entry=ENTRY, data={"sick_notice_id": notice.id},
               settings=settings, now=now)
    session.flush()
    return True


def note_answer(session: Session, *, notice: SickNotice, answered: bool, now: datetime, tz: str) -> None:
    """The consultant's item says whether the citizen answered the last check-in; an unanswered
    one puts the notice back on the consultant's list (nobody knows whether they are still sick)."""
    day = service.local_date(now, tz).isoformat()
    details = {"sick_notice_id": notice.id, "reference": notice.reference, "check_in": day,
               "check_in_answered": answered}
    key = f"sick_notice:{notice.id}"
    item = items.by_key(session, key)
    if item is None and answered:
        return
    citizen = service.get_citizen(session, notice.citizen_id)
    if item is None:
        item = items.open(session, kind="sick_notice", summary="", now=now, dedupe_key=key, due_at=now,
                          citizen_id=citizen.id, assignee_id=citizen.consultant_id, details=details)
    if not answered:
        item.summary = f"Sygemelding {notice.reference} fra {citizen.name}: intet svar på morgenens spørgsmål"
        item.due_at = now
        details["summary_id"] = "sick_notice_no_answer"
    item.details = {**item.details, **details}
    session.add(item)
