"""The employers' texts from the understanding issue, through the real pipeline to what opens."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.conversations import registry
from bot.escalations import faq, handlers
from bot.escalations.conversation import respond
from bot.escalations.models import Ticket, TicketKind
from bot.items.models import OpenItem
from tests.escalations.chat import text_in
from tests.escalations.conftest import Company, make_company

EMPLOYER = "+4530000001"


@pytest.fixture(autouse=True)
def employer_responder() -> Iterator[None]:
    registry.register_responder("employer_contact", respond)
    handlers.register()
    yield


@pytest.fixture
def seeded(engine: Engine, now: datetime) -> Company:
    with Session(engine, expire_on_commit=False) as session:
        company = make_company(session)
        faq.seed(session, now=now)
        session.commit()
        return company


def _tickets(engine: Engine) -> list[Ticket]:
    with Session(engine) as session:
        return list(session.exec(select(Ticket).order_by(Ticket.id)).all())


def test_lateness_with_a_request_to_come_out_opens_a_problem_ticket(
    engine: Engine, settings: Settings, seeded: Company, now: datetime
) -> None:
    text = "Der er problemer med praktikanten, han møder ikke til tiden. Kan I komme ud?"
    [reply] = text_in(engine, settings, EMPLOYER, text, now)
    assert "kommer ud til jer" in reply
    [ticket] = _tickets(engine)
    assert ticket.kind == TicketKind.problem
    with Session(engine) as session:
        assert session.exec(select(OpenItem).where(OpenItem.kind == "attendance_check")).all() == []


def test_missing_staff_opens_a_recruitment_ticket(
    engine: Engine, settings: Settings, seeded: Company, now: datetime
) -> None:
    [reply] = text_in(engine, settings, EMPLOYER, "Vi mangler 2 medarbejdere til lageret, har I kandidater?", now)
    assert reply.startswith("Tak. Jeres sagsnummer er V-2026-000001.")
    [ticket] = _tickets(engine)
    assert ticket.kind == TicketKind.recruitment


def test_the_intern_not_turning_up_today_is_a_no_show(
    engine: Engine, settings: Settings, seeded: Company, now: datetime
) -> None:
    [reply] = text_in(engine, settings, EMPLOYER, "Praktikanten er ikke mødt op i dag", now)
    assert reply.startswith("Tak. Vi har registreret, at Amal ikke er mødt i dag")
    with Session(engine) as session:
        item = session.exec(select(OpenItem).where(OpenItem.kind == "attendance_check")).one()
        assert item.citizen_id == seeded.intern.id
    assert _tickets(engine) == []
