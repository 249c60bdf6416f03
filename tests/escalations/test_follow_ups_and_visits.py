"""Time travel: proactive follow-up every 14 days per running placement; visits planned ahead."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.config import Settings
from bot.escalations import follow_ups, service, ticket_actions
from bot.escalations.models import FollowUp
from bot.escalations.sweep import sweep
from bot.items.models import OpenItem
from tests.escalations.conftest import Company
from tests.escalations.helpers import outbox, templates

EMPLOYER = "+4530000001"


def _due_items(session: Session) -> list[OpenItem]:
    query = select(OpenItem).where(OpenItem.kind == "follow_up", OpenItem.resolved_at.is_(None))  # type: ignore[union-attr]
    return list(session.exec(query).all())


def test_a_running_placement_gets_a_follow_up_every_14_days(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    # The placement started 2 November: the first follow-up was due on the 16th, so it is due now.
    assert follow_ups.sweep(session, now=now, settings=settings, quiet_hours=None) == 1
    [item] = _due_items(session)
    assert item.assignee_id == company.consultant.id and item.citizen_id == company.intern.id
    assert templates(session, EMPLOYER) == ["employer.follow_up_due"]
    # A second sweep (another app instance) sends nothing again.
    assert follow_ups.sweep(session, now=now + timedelta(minutes=5), settings=settings, quiet_hours=None) == 0

    visited = now + timedelta(hours=3)
    follow_ups.record_contact(session, placement_id=company.placement.id or 0, kind="visit",
                              acting_staff=company.consultant.id or 0, now=visited, settings=settings)
    assert _due_items(session) == []
    [row] = session.exec(select(FollowUp)).all()
    assert row.due_at == visited + timedelta(days=14)
    # Nothing until 14 days after the visit; then the next reminder and item.
    assert follow_ups.sweep(session, now=visited + timedelta(days=13), settings=settings, quiet_hours=None) == 0
    assert follow_ups.sweep(session, now=visited + timedelta(days=14), settings=settings, quiet_hours=None) == 1
    assert templates(session, EMPLOYER) == ["employer.follow_up_due", "employer.follow_up_due"]


def test_the_follow_up_reminder_waits_for_the_end_of_quiet_hours(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    night = now.replace(hour=21)  # 22:00 in Copenhagen
    morning = now + timedelta(days=1)
    follow_ups.sweep(session, now=night, settings=settings, quiet_hours=lambda when: morning)
    assert len(_due_items(session)) == 1  # the consultant's item is there at once
    [sms] = outbox(session, EMPLOYER)
    assert sms.due_at == morning


def test_a_visit_planned_within_the_deadline_stops_the_escalation(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket = service.open_ticket(session, employer_id=company.employer.id or 0, contact_id=company.contact.id,
                                 kind="problem", summary="Det fungerer ikke", now=now, settings=settings)
    service.reply(session, ticket_id=ticket.id or 0, staff_id=company.consultant.id or 0,
                  body="Jeg kommer torsdag.", now=now + timedelta(hours=1))
    ticket_actions.plan_visit(session, ticket_id=ticket.id or 0, acting_staff=company.consultant.id or 0,
                              at=now + timedelta(hours=20), now=now + timedelta(hours=1), settings=settings)
    assert "employer.visit_planned" in templates(session, EMPLOYER)
    result = sweep(session, now=now + timedelta(hours=25), settings=settings)
    assert result.escalated == [] and result.warned == []

    # The visit took place at 13:00, entered later: that time is kept, not the click.
    at = now + timedelta(hours=20)
    ticket_actions.record_visit(session, ticket_id=ticket.id or 0, acting_staff=company.consultant.id or 0,
                                now=now + timedelta(hours=30), at=at)
    assert service.get(session, ticket.id or 0).visited_at == at


def test_a_visit_planned_after_the_deadline_still_escalates(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket = service.open_ticket(session, employer_id=company.employer.id or 0, contact_id=company.contact.id,
                                 kind="problem", summary="Det fungerer ikke", now=now, settings=settings)
    ticket_actions.plan_visit(session, ticket_id=ticket.id or 0, acting_staff=company.consultant.id or 0,
                              at=now + timedelta(hours=48), now=now, settings=settings)
    result = sweep(session, now=now + timedelta(hours=25), settings=settings)
    assert f"{ticket.reference}:visit" in result.escalated


def test_staff_merge_two_tickets_and_split_a_message_off(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    first = service.open_ticket(session, employer_id=company.employer.id or 0, contact_id=company.contact.id,
                                kind="question", summary="Hvornår starter han?", now=now, settings=settings)
    second = service.open_ticket(session, employer_id=company.employer.id or 0, contact_id=company.contact.id,
                                 kind="question", summary="Og hvad med arbejdstøj?", now=now, settings=settings)
    kept = ticket_actions.merge(session, ticket_id=second.id or 0, into_id=first.id or 0,
                                acting_staff=company.consultant.id or 0, now=now)
    assert kept.id == first.id and service.get(session, second.id or 0).status.value == "closed"
    assert [e.kind.value for e in service.timeline(session, first.id or 0)][-1] == "merged"

    added = service.add_employer_message(session, first, body="Vi vil også gerne ansætte en til lageret",
                                         now=now, settings=settings)
    message = service.timeline(session, added.id or 0)[-1]
    new = ticket_actions.split(session, ticket_id=first.id or 0, event_id=message.id or 0, kind="recruitment",
                               acting_staff=company.consultant.id or 0, now=now, settings=settings)
    assert new.kind.value == "recruitment" and new.summary == "Vi vil også gerne ansætte en til lageret"
    assert service.timeline(session, first.id or 0)[-1].details["to"] == new.reference
