"""The demo shows the FAQ and tickets in every state a consultant meets."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from bot import demo as base_demo
from bot.config import Settings
from bot.escalations.demo import seed_demo_tickets
from bot.escalations.models import FaqEntry, Ticket, TicketStatus


def test_demo_tickets(session: Session, settings: Settings, now: datetime) -> None:
    base_demo.load_demo(session, settings=settings, now=now, seeders=[seed_demo_tickets])
    session.commit()
    tickets = session.exec(select(Ticket).order_by(Ticket.id)).all()
    assert [t.status for t in tickets] == [TicketStatus.solved, TicketStatus.open, TicketStatus.open]
    _, due_soon, overdue = tickets
    assert due_soon.warned_at == now and due_soon.escalated_at is None
    assert overdue.is_red
    assert len(session.exec(select(FaqEntry)).all()) >= 15
