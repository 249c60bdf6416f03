"""A staff member's change to a ticket or an FAQ entry is audited by the action itself, so the
panel and the API leave the same trace."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import Role, Staff
from bot.escalations import faq, service
from tests.escalations.conftest import Company
from tests.escalations.test_tickets import _open


def _trail(session: Session, subject: str) -> list[tuple[str, int | None, dict]]:
    entries, _ = audit.entries(session, subject=subject)
    return [(e.action, e.staff_id, e.details) for e in reversed(entries)]


def test_reply_resolve_and_reassign_each_leave_one_entry_by_whom(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    other = Staff(name="Ole Dam", email="ole@kommune.dk", phone="+4520000002", role=Role.consultant)
    session.add(other)
    session.flush()
    service.reply(session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, body="Mandag kl. 8",
                  now=now, address="10.0.0.7")
    service.reassign(session, ticket_id=ticket_id, assignee_id=other.id or 0, now=now, settings=settings,
                     staff_id=company.lead.id)
    service.resolve(session, ticket_id=ticket_id, staff_id=other.id or 0, outcome="solved", now=now,
                    settings=settings)
    assert _trail(session, f"ticket:{ticket_id}") == [
        ("reply", company.consultant.id, {}),
        ("reassign", company.lead.id, {"to": other.id}),
        ("resolve", other.id, {"outcome": "solved"}),
    ]


def test_the_clock_reassigning_a_ticket_is_not_put_on_a_person(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    service.reassign(session, ticket_id=ticket_id, assignee_id=company.lead.id or 0, now=now, settings=settings)
    assert _trail(session, f"ticket:{ticket_id}") == []


def test_saving_an_faq_entry_is_audited_with_its_state(session: Session, company: Company, now: datetime) -> None:
    faq.save(session, slug="praktik-tider", questions={"da": ["Hvornår møder praktikanten?"]},
             answers={"da": "Kl. 8 hver dag."}, now=now, staff_id=company.consultant.id, active=False)
    assert _trail(session, "faq:praktik-tider") == [
        ("faq_saved", company.consultant.id, {"active": False, "placeholders": 0})
    ]
