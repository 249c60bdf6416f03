"""Turns the pure policy into Reminder rows for an appointment, and keeps them current.

Replanning is idempotent: pending reminders that still match the plan are left alone, and a
reminder that already went out is never planned a second time (unless the appointment moved).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.contacts.models import Citizen
from bot.items import service as items
from bot.items.models import ItemKind
from bot.reminders.models import (
    NOT_REACHABLE,
    Appointment,
    AppointmentStatus,
    Placement,
    RecipientKind,
    Reminder,
    ReminderStatus,
)
from bot.reminders.policy import Facts, Planned, Policy, plan

WEEKLY_KINDS = frozenset({"class", "igu_school"})
ACTIVE = (AppointmentStatus.planned, AppointmentStatus.moved)


def citizen_reachable(citizen: Citizen | None) -> bool:
    return citizen is not None and bool(citizen.phone) and not citizen.opted_out


def _week_bounds(when: datetime, zone: str) -> tuple[datetime, datetime]:
    tz = ZoneInfo(zone)
    local = when.astimezone(tz)
    monday = local.date() - timedelta(days=local.weekday())
    start = datetime.combine(monday, datetime.min.time(), tzinfo=tz)
    end = datetime.combine(monday + timedelta(days=7), datetime.min.time(), tzinfo=tz)
    return start, end


def _earlier_exists(session: Session, appointment: Appointment, *, since: datetime | None,
                    placement_scoped: bool) -> bool:
    query = select(Appointment.id).where(
        Appointment.citizen_id == appointment.citizen_id,
        Appointment.kind == appointment.kind,
        col(Appointment.status).in_(ACTIVE),
        col(Appointment.starts_at) < appointment.starts_at,
    )
    if appointment.id is not None:
        query = query.where(Appointment.id != appointment.id)
    if since is not None:
        query = query.where(col(Appointment.starts_at) >= since)
    if placement_scoped:
        query = query.where(Appointment.placement_id == appointment.placement_id)
    return session.exec(query.limit(1)).first() is not None


def facts_for(session: Session, appointment: Appointment, policy: Policy) -> Facts:
    kind = str(appointment.kind)
    first_of_week = first_day = True
    if kind in WEEKLY_KINDS:
        week_start, _ = _week_bounds(appointment.starts_at, policy.zone)
        first_of_week = not _earlier_exists(session, appointment, since=week_start, placement_scoped=False)
    if kind == "internship_day":
        first_day = not _earlier_exists(
            session, appointment, since=None, placement_scoped=appointment.placement_id is not None
        )
    placement = session.get(Placement, appointment.placement_id) if appointment.placement_id else None
    return Facts(
        kind=kind,
        starts_at=appointment.starts_at,
        first_of_week=first_of_week,
        first_day=first_day,
        has_employer_contact=placement is not None and placement.contact_id is not None,
    )


def _recipient_id(appointment: Appointment, placement: Placement | None, recipient: str) -> int:
    if recipient == RecipientKind.employer_contact:
        assert placement is not None and placement.contact_id is not None
        return placement.contact_id
    return appointment.citizen_id


def schedule(
    session: Session, appointment: Appointment, *, policy: Policy, now: datetime, moved: bool = False
) -> list[Reminder]:
    """Bring ``appointment``'s reminders in line with the policy; returns the pending ones.

    ``moved``: the time changed, so earlier reminders no longer count and the citizen is told
    about the move separately (no extra at-once reminder).
    """
    assert appointment.id is not None
    # Locked and re-read: a dispatcher sending one of these right now finishes first, and we
    # then see it as enqueued instead of cancelling a reminder whose message has gone.
    existing = list(session.exec(
        select(Reminder)
        .where(Reminder.appointment_id == appointment.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all())
    pending = [r for r in existing if r.status == ReminderStatus.pending]
    if appointment.status not in ACTIVE:
        _cancel(session, pending, "appointment cancelled", now)
        return []
    planned = plan(facts_for(session, appointment, policy), policy, now)
    if moved:
        planned = [p for p in planned if p.rule != "at_once"]
        done: set[tuple[str, str]] = set()
        seen: set[tuple[str, str]] = set()
    else:
        done = {(r.kind, str(r.recipient_kind)) for r in existing
                if r.status in (ReminderStatus.enqueued, ReminderStatus.sent)}
        seen = {(r.kind, str(r.recipient_kind)) for r in existing}
        if any(r.status in (ReminderStatus.enqueued, ReminderStatus.sent) for r in existing):
            planned = [p for p in planned if p.rule != "at_once"]
    wanted = [p for p in planned if p.skipped_reason is None and (p.rule, p.recipient) not in done]
    if not moved and _same(pending, wanted):
        return pending
    _cancel(session, pending, "appointment moved" if moved else "replanned", now)
    citizen = session.get(Citizen, appointment.citizen_id)
    reachable = citizen_reachable(citizen)
    placement = session.get(Placement, appointment.placement_id) if appointment.placement_id else None
    created: list[Reminder] = []
    for item in planned:
        key = (item.rule, item.recipient)
        if key in done:
            continue
        reason = item.skipped_reason
        if reason is None and item.recipient == "citizen" and not reachable:
            reason = NOT_REACHABLE
        if reason is not None and key in seen and not moved:
            continue  # already recorded why it is not sent
        row = _row(appointment, placement, item, reason, now)
        session.add(row)
        if reason is None:
            created.append(row)
    if not reachable and citizen is not None:
        mark_not_reachable(session, appointment, citizen, now=now)
    elif reachable and appointment.sms_note == NOT_REACHABLE:
        appointment.sms_note = None  # they can be reached again (START, a new number)
        session.add(appointment)
    session.flush()
    return created


def _same(pending: list[Reminder], wanted: list[Planned]) -> bool:
    have = sorted((r.kind, str(r.recipient_kind), r.due_at) for r in pending)
    want = sorted((p.rule, p.recipient, p.due_at) for p in wanted)
    return have == want


def _row(appointment: Appointment, placement: Placement | None, item: Planned, reason: str | None,
         now: datetime) -> Reminder:
    assert appointment.id is not None
    recipient_id = (
        _recipient_id(appointment, placement, item.recipient)
        if item.recipient == "citizen" or (placement is not None and placement.contact_id is not None)
        else 0
    )
    return Reminder(
        appointment_id=appointment.id,
        recipient_kind=RecipientKind(item.recipient),
        recipient_id=recipient_id,
        kind=item.rule,
        template=item.template,
        due_at=item.due_at,
        status=ReminderStatus.pending if reason is None else ReminderStatus.skipped,
        reason=reason,
        asks_confirmation=item.asks_confirmation,
        created_at=now,
        updated_at=now,
    )


def _cancel(session: Session, reminders: list[Reminder], reason: str, now: datetime) -> None:
    for reminder in reminders:
        reminder.status = ReminderStatus.cancelled
        reminder.reason = reason
        reminder.updated_at = now
        session.add(reminder)


def mark_not_reachable(
    session: Session, appointment: Appointment, citizen: Citizen, *, now: datetime
) -> None:
    """Say on the appointment, and in one open item per citizen, that SMS cannot reach them."""
    appointment.sms_note = NOT_REACHABLE
    session.add(appointment)
    why = "has opted out of messages" if citizen.opted_out else "has no mobile number"
    items.open(
        session,
        kind=ItemKind.unconfirmed,
        summary=f"{citizen.name} is {NOT_REACHABLE} ({why}); appointments are not reminded.",
        now=now,
        dedupe_key=f"reminders.not_reachable:citizen:{citizen.id}",
        citizen_id=citizen.id,
        assignee_id=citizen.consultant_id,
        details={"reason": NOT_REACHABLE, "appointment_id": appointment.id},
        summary_id="not_reachable_opted_out" if citizen.opted_out else "not_reachable_no_phone",
    )


def replan_neighbours(session: Session, appointment: Appointment, *, policy: Policy, now: datetime,
                      around: list[datetime]) -> None:
    """Replan the appointments whose "first of the week / first day" may have changed."""
    kind = str(appointment.kind)
    if kind in WEEKLY_KINDS:
        for when in around:
            start, end = _week_bounds(when, policy.zone)
            _replan_where(session, appointment, policy, now, start, end, placement_scoped=False)
    elif kind == "internship_day":
        _replan_where(session, appointment, policy, now, None, None,
                      placement_scoped=appointment.placement_id is not None, limit=3)


def _replan_where(session: Session, appointment: Appointment, policy: Policy, now: datetime,
                  start: datetime | None, end: datetime | None, *, placement_scoped: bool,
                  limit: int = 50) -> None:
    query = select(Appointment).where(
        Appointment.citizen_id == appointment.citizen_id,
        Appointment.kind == appointment.kind,
        col(Appointment.status).in_(ACTIVE),
        col(Appointment.starts_at) > now,
        Appointment.id != appointment.id,
    )
    if start is not None and end is not None:
        query = query.where(col(Appointment.starts_at) >= start, col(Appointment.starts_at) < end)
    if placement_scoped:
        query = query.where(Appointment.placement_id == appointment.placement_id)
    for other in session.exec(query.order_by(col(Appointment.starts_at)).limit(limit)).all():
        schedule(session, other, policy=policy, now=now)
