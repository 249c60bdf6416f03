"""Proactive follow-up: every running placement gets a visit or a call at least every N days.

Follow-up is "not only on request" (workflow 3). Each running placement has one
``FollowUp`` row whose ``due_at`` is the marker; the sweeper claims due rows with row locks
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), opens an item for the company consultant and
texts the employer contact (quiet hours kept), and stamps ``notified_at`` in the same
transaction, so any number of sweeps send each reminder once. Recording the visit or call
sets the next due date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from bot.audit import service as audit
from bot.channels.outbox import enqueue
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.db import claim_clause
from bot.escalations import notify
from bot.escalations.models import FollowUp, FollowUpContact, FollowUpKind
from bot.escalations.service import TicketError, assignee_for
from bot.i18n import N_
from bot.items import service as items
from bot.reminders.models import Placement

BATCH = 100
ITEM_KIND = "follow_up"
QuietHours = Callable[[datetime], datetime]


def _interval(settings: Settings) -> timedelta:
    return timedelta(days=max(1, settings.follow_up_days))


def _running(today: date) -> ColumnElement[bool]:
    return (col(Placement.start_date) <= today) & (
        col(Placement.end_date).is_(None) | (col(Placement.end_date) >= today)
    )


def schedule(session: Session, *, now: datetime, settings: Settings) -> int:
    """Give every running placement without one a follow-up, due N days after it started."""
    zone = ZoneInfo(settings.timezone)
    today = now.astimezone(zone).date()
    known = select(FollowUp.placement_id)
    query = select(Placement).where(_running(today)).where(col(Placement.id).not_in(known))
    added = 0
    for placement in session.exec(query).all():
        start = datetime.combine(placement.start_date, time(9, 0), zone)
        session.add(FollowUp(placement_id=placement.id or 0, employer_id=placement.employer_id,
                             due_at=start + _interval(settings), created_at=now))
        added += 1
    session.flush()
    return added


def claim_due(session: Session, *, now: datetime, limit: int = BATCH) -> list[FollowUp]:
    query = (
        select(FollowUp)
        .where(col(FollowUp.notified_at).is_(None), col(FollowUp.due_at) <= now)
        .order_by(col(FollowUp.due_at), col(FollowUp.id))
        .limit(limit)
        .with_for_update(**claim_clause(session))
    )
    return list(session.exec(query).all())


def item_key(follow_up: FollowUp) -> str:
    return f"{ITEM_KIND}:{follow_up.placement_id}"


def sweep(session: Session, *, now: datetime, settings: Settings, quiet_hours: QuietHours | None) -> int:
    """Open the consultant's item and text the employer for every follow-up due; the caller commits."""
    schedule(session, now=now, settings=settings)
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    sent = 0
    for follow_up in claim_due(session, now=now):
        follow_up.notified_at = now
        session.add(follow_up)
        placement = session.get(Placement, follow_up.placement_id)
        if placement is None or (placement.end_date is not None and placement.end_date < today):
            continue  # the placement ended: nothing to follow up
        _remind(session, follow_up, placement, now=now, quiet_hours=quiet_hours)
        sent += 1
    session.flush()
    return sent


def _remind(
    session: Session,
    follow_up: FollowUp,
    placement: Placement,
    *,
    now: datetime,
    quiet_hours: QuietHours | None,
) -> None:
    employer = session.get(Employer, placement.employer_id)
    citizen = session.get(Citizen, placement.citizen_id)
    if employer is None or citizen is None:
        return
    consultant = assignee_for(session, employer)
    items.open(
        session, kind=ITEM_KIND, summary=f"Follow-up due: {citizen.name} at {employer.name}", now=now,
        dedupe_key=item_key(follow_up), citizen_id=citizen.id, employer_id=employer.id,
        assignee_id=consultant.id if consultant else None, due_at=follow_up.due_at,
        details={"placement_id": placement.id, "template": "follow_up.due"},
        summary_id="follow_up_due",
        summary_params={"citizen": citizen.name, "company": employer.name},
    )
    contact = _contact(session, placement)
    if contact is None or not contact.phone or contact.opted_out:
        return
    enqueue(
        session, phone=contact.phone, template=N_("employer.follow_up_due"),
        params={"name": notify.first_name(contact.name), "citizen": notify.first_name(citizen.name),
                "consultant": notify.first_name(consultant.name) if consultant else ""},
        language=contact.language, purpose="follow_up", contact_kind="employer_contact",
        contact_id=contact.id, now=now, quiet_hours=quiet_hours,
    )


def _contact(session: Session, placement: Placement) -> EmployerContact | None:
    if placement.contact_id is not None:
        return session.get(EmployerContact, placement.contact_id)
    query = select(EmployerContact).where(EmployerContact.employer_id == placement.employer_id)
    return session.exec(query.order_by(col(EmployerContact.id))).first()


def record_contact(
    session: Session, *, placement_id: int, kind: FollowUpKind | str, acting_staff: int, now: datetime,
    settings: Settings, at: datetime | None = None, note: str | None = None,
) -> FollowUpContact:
    """A follow-up visit or call took place at ``at`` (default now): the next is due N days later."""
    placement = session.get(Placement, placement_id)
    if placement is None or placement.id is None:
        raise TicketError("placement_id", f"placement {placement_id} does not exist")
    when = at or now
    if when > now:
        raise TicketError("at", "record a visit or call that took place")
    contact = FollowUpContact(placement_id=placement.id, employer_id=placement.employer_id,
                              kind=FollowUpKind(kind), at=when, staff_id=acting_staff, note=note)
    session.add(contact)
    schedule(session, now=now, settings=settings)
    follow_up = session.exec(select(FollowUp).where(FollowUp.placement_id == placement.id)).first()
    if follow_up is not None:
        follow_up.last_done_at = when
        follow_up.due_at = when + _interval(settings)
        follow_up.notified_at = None
        session.add(follow_up)
        items.resolve_by_key(session, item_key(follow_up), now=now, staff_id=acting_staff)
    audit.record(session, staff_id=acting_staff, action="follow_up_recorded",
                 subject=f"placement:{placement.id}", now=now,
                 details={"kind": FollowUpKind(kind).value, "at": when.isoformat()})
    session.flush()
    return contact


def contacts_of(session: Session, *, employer_id: int) -> list[FollowUpContact]:
    query = select(FollowUpContact).where(FollowUpContact.employer_id == employer_id)
    return list(session.exec(query.order_by(col(FollowUpContact.at).desc())).all())


def due_of(session: Session, *, employer_id: int) -> list[FollowUp]:
    query = select(FollowUp).where(FollowUp.employer_id == employer_id)
    return list(session.exec(query.order_by(col(FollowUp.due_at))).all())
