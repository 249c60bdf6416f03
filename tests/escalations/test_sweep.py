"""The SLA sweep: a warning at 75 %, the team lead at the exact deadline, never twice."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.escalations import service, sla
from bot.escalations.intake import acknowledgement
from bot.escalations.jobs import sweep_tickets
from bot.escalations.models import TicketEventKind
from bot.escalations.sweep import claim_due, sweep
from bot.i18n import render
from tests.escalations.conftest import Company, make_company
from tests.escalations.helpers import templates

CONSULTANT = "+4520000001"
LEAD = "+4520000009"
TICK = timedelta(microseconds=1)


def _open(session: Session, company: Company, settings: Settings, now: datetime, kind: str) -> int:
    ticket = service.open_ticket(
        session,
        employer_id=company.employer.id or 0,
        contact_id=company.contact.id,
        kind=kind,
        summary="Ring venligst",
        now=now,
        settings=settings,
    )
    session.commit()
    return ticket.id or 0


def _sweep(session: Session, settings: Settings, at: datetime) -> None:
    sweep(session, now=at, settings=settings)
    session.commit()


def test_warning_at_75_percent_and_escalation_at_the_exact_deadline(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now, "question")
    _sweep(session, settings, now + timedelta(hours=18) - TICK)
    assert templates(session, CONSULTANT) == ["ticket.consultant_new"]
    _sweep(session, settings, now + timedelta(hours=18))
    _sweep(session, settings, now + timedelta(hours=20))
    assert templates(session, CONSULTANT) == ["ticket.consultant_new", "ticket.warning"]
    _sweep(session, settings, now + timedelta(hours=24) - TICK)
    assert templates(session, LEAD) == []
    assert service.get(session, ticket_id).escalated_at is None
    _sweep(session, settings, now + timedelta(hours=24))
    _sweep(session, settings, now + timedelta(hours=30))
    assert templates(session, LEAD) == ["ticket.escalated_lead"]
    ticket = service.get(session, ticket_id)
    assert ticket.escalated_at == now + timedelta(hours=24)
    assert ticket.is_red
    kinds = [e.kind for e in service.timeline(session, ticket_id)]
    assert kinds.count(TicketEventKind.warned) == 1
    assert kinds.count(TicketEventKind.escalated) == 1


def test_a_late_first_sweep_escalates_without_a_stale_warning(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    _open(session, company, settings, now, "recruitment")
    _sweep(session, settings, now + timedelta(days=2))
    assert templates(session, CONSULTANT) == ["ticket.consultant_new_recruitment"]
    assert templates(session, LEAD) == ["ticket.escalated_lead"]


def test_an_answer_stops_the_response_clock_but_a_problem_still_needs_a_visit(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now, "problem")
    service.reply(
        session,
        ticket_id=ticket_id,
        staff_id=company.consultant.id or 0,
        body="Jeg kommer i morgen.",
        now=now + timedelta(hours=1),
    )
    session.commit()
    _sweep(session, settings, now + timedelta(hours=18))
    assert templates(session, CONSULTANT)[-1] == "ticket.warning_visit"
    _sweep(session, settings, now + timedelta(hours=24))
    assert templates(session, LEAD) == ["ticket.escalated_lead_visit"]


def test_a_visit_in_time_means_no_escalation(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now, "problem")
    service.mark_visited(
        session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, now=now + timedelta(hours=23)
    )
    session.commit()
    _sweep(session, settings, now + timedelta(hours=48))
    assert templates(session, LEAD) == []


def test_resolved_tickets_never_escalate(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now, "question")
    service.resolve(
        session,
        ticket_id=ticket_id,
        staff_id=company.consultant.id or 0,
        outcome="closed",
        now=now,
        settings=settings,
    )
    session.commit()
    _sweep(session, settings, now + timedelta(hours=48))
    assert templates(session, LEAD) == []


def test_two_sweep_jobs_send_the_team_lead_exactly_one_sms(
    engine: Engine, session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    _open(session, company, settings, now, "question")
    at = now + timedelta(hours=25)
    sweep_tickets(engine, settings, None, at)
    sweep_tickets(engine, settings, None, at)
    session.expire_all()
    assert templates(session, LEAD) == ["ticket.escalated_lead"]


def test_a_ticket_held_by_one_sweep_is_skipped_by_another(
    engine: Engine, company: Company, settings: Settings, now: datetime
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are a PostgreSQL feature; SQLite has one writer")
    at = now + timedelta(hours=25)
    with Session(engine) as first:
        _open(first, company, settings, now, "question")
        held = claim_due(first, now=at)
        assert len(held) == 1
        with Session(engine) as second:
            assert claim_due(second, now=at) == []
            second.rollback()
        sweep(first, now=at, settings=settings)
        first.commit()
    with Session(engine) as third:
        assert claim_due(third, now=at) == []
        assert templates(third, LEAD) == ["ticket.escalated_lead"]


def test_two_sweeps_at_the_same_moment_escalate_once(
    engine: Engine, file_engine: Engine, settings: Settings, now: datetime
) -> None:
    # Threads need real connections: SQLite on disk (WAL) or the PostgreSQL test database.
    target = engine if engine.dialect.name == "postgresql" else file_engine
    with Session(target, expire_on_commit=False) as session:
        company = make_company(session)
        for _ in range(5):
            _open(session, company, settings, now, "question")
    at = now + timedelta(hours=25)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            sweep_tickets(target, settings, None, at)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(target) as session:
        assert templates(session, LEAD) == ["ticket.escalated_lead"] * 5


CPH = ZoneInfo("Europe/Copenhagen")


def _open_with(session: Session, company: Company, settings: Settings, at: datetime, business: bool) -> int:
    table = sla.policies(timezone=settings.timezone, business_hours_kinds=["question"] if business else [])
    ticket = service.open_ticket(
        session,
        employer_id=company.employer.id or 0,
        contact_id=company.contact.id,
        kind="question",
        summary="Påske",
        now=at,
        settings=settings,
        policies=table,
    )
    session.commit()
    return ticket.id or 0


def test_business_hours_ticket_over_easter_warns_and_escalates_on_the_right_minutes(
    session: Session, company: Company, settings: Settings
) -> None:
    # Wednesday before Easter, 10:00: Maundy Thursday, Good Friday and Easter Monday are closed.
    _open_with(session, company, settings, datetime(2026, 4, 1, 10, 0, tzinfo=CPH), business=True)
    _sweep(session, settings, datetime(2026, 4, 8, 11, 59, tzinfo=CPH))
    assert templates(session, CONSULTANT) == ["ticket.consultant_new"]
    _sweep(session, settings, datetime(2026, 4, 8, 12, 0, tzinfo=CPH))
    assert templates(session, CONSULTANT)[-1] == "ticket.warning"
    _sweep(session, settings, datetime(2026, 4, 9, 9, 59, tzinfo=CPH))
    assert templates(session, LEAD) == []
    _sweep(session, settings, datetime(2026, 4, 9, 10, 0, tzinfo=CPH))
    assert templates(session, LEAD) == ["ticket.escalated_lead"]


def test_wall_clock_ticket_across_the_spring_dst_change(
    session: Session, company: Company, settings: Settings
) -> None:
    # Saturday 10:00 CET; the clocks jump an hour that night, so 24 hours end at 11:00 CEST.
    _open_with(session, company, settings, datetime(2026, 3, 28, 10, 0, tzinfo=CPH), business=False)
    _sweep(session, settings, datetime(2026, 3, 29, 10, 59, tzinfo=CPH))
    assert templates(session, LEAD) == []
    _sweep(session, settings, datetime(2026, 3, 29, 11, 0, tzinfo=CPH))
    assert templates(session, LEAD) == ["ticket.escalated_lead"]


def test_wall_clock_ticket_across_the_autumn_dst_change(
    session: Session, company: Company, settings: Settings
) -> None:
    # Saturday 10:00 CEST; the clocks go back that night, so 24 hours end at 09:00 CET.
    _open_with(session, company, settings, datetime(2026, 10, 24, 10, 0, tzinfo=CPH), business=False)
    _sweep(session, settings, datetime(2026, 10, 25, 8, 59, tzinfo=CPH))
    assert templates(session, LEAD) == []
    _sweep(session, settings, datetime(2026, 10, 25, 9, 0, tzinfo=CPH))
    assert templates(session, LEAD) == ["ticket.escalated_lead"]


def test_the_employer_is_told_the_business_hours_deadline(
    session: Session, company: Company, settings: Settings
) -> None:
    ticket_id = _open_with(
        session, company, settings, datetime(2026, 12, 24, 10, 0, tzinfo=CPH), business=True
    )
    reply = acknowledgement(session, service.get(session, ticket_id), "da", settings.timezone)
    assert render(reply.template, "da", reply.params) == (
        "Tak. Jeres sagsnummer er V-2026-000001. I hører fra Mette senest onsdag 30. december kl. 10:00."
    )
