"""Demo rows for employer queries: the FAQ, a ticket answered in time, one due soon, one overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config import Settings
from bot.demo import DemoData
from bot.escalations import faq, service
from bot.escalations.sweep import sweep


def seed_demo_tickets(*, session: Session, demo: DemoData, settings: Settings, now: datetime) -> None:
    faq.seed(session, now=now)
    if not demo.employer_id or not demo.employer_contact_id:
        return

    def open_at(hours_ago: float, kind: str, summary: str) -> int:
        ticket = service.open_ticket(
            session,
            employer_id=demo.employer_id,
            contact_id=demo.employer_contact_id,
            kind=kind,
            summary=summary,
            now=now - timedelta(hours=hours_ago),
            settings=settings,
        )
        assert ticket.id is not None
        return ticket.id

    answered = open_at(50, "question", "Hvornår er næste opfølgningsmøde?")
    service.reply(
        session,
        ticket_id=answered,
        staff_id=demo.company_consultant_id,
        body="Torsdag kl. 10 hos jer. Vh Jonas",
        now=now - timedelta(hours=47),
    )
    service.resolve(
        session,
        ticket_id=answered,
        staff_id=demo.company_consultant_id,
        outcome="solved",
        now=now - timedelta(hours=46),
        settings=settings,
    )
    open_at(19, "problem", "Det fungerer ikke med samarbejdet, kan I komme forbi?")
    open_at(30, "recruitment", "Vi mangler to lagermedarbejdere fra januar.")
    # Warn and escalate what is already due, as the clock would have done.
    sweep(session, now=now, settings=settings)
