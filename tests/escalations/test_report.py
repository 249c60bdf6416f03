"""The monthly report and the Prometheus figures on a crafted set of tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import generate_latest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.contacts.models import Role, Staff
from bot.escalations import metrics, report, service
from tests.escalations.conftest import Company, make_company

NOW = datetime(2026, 12, 10, 12, 0, tzinfo=UTC)


def _ticket(
    session: Session, company: Company, settings: Settings, opened: datetime, answered_after: float | None
) -> None:
    ticket = service.open_ticket(
        session,
        employer_id=company.employer.id or 0,
        contact_id=company.contact.id,
        kind="question",
        summary="?",
        now=opened,
        settings=settings,
    )
    if answered_after is not None:
        service.reply(
            session,
            ticket_id=ticket.id or 0,
            staff_id=ticket.assignee_id or 0,
            body="Svar",
            now=opened + timedelta(hours=answered_after),
        )


@pytest.fixture
def crafted(engine: Engine, settings: Settings) -> tuple[Company, Staff]:
    with Session(engine, expire_on_commit=False) as session:
        company = make_company(session)
        other = Staff(name="Ole Dam", email="ole@kommune.dk", phone="+4520000002", role=Role.consultant)
        session.add(other)
        session.commit()
        # Mette: in time (2 h), late (30 h), never answered and overdue, and one on 1 Nov 00:30 local.
        _ticket(session, company, settings, datetime(2026, 11, 3, 9, 0, tzinfo=UTC), 2)
        _ticket(session, company, settings, datetime(2026, 11, 4, 9, 0, tzinfo=UTC), 30)
        _ticket(session, company, settings, datetime(2026, 11, 5, 9, 0, tzinfo=UTC), None)
        _ticket(session, company, settings, datetime(2026, 10, 31, 23, 30, tzinfo=UTC), 4)
        # 1 December 00:30 local: not November.
        _ticket(session, company, settings, datetime(2026, 11, 30, 23, 30, tzinfo=UTC), 1)
        company.employer.consultant_id = other.id
        session.add(company.employer)
        session.flush()
        _ticket(session, company, settings, datetime(2026, 11, 20, 9, 0, tzinfo=UTC), 10)
        # Opened an hour before "now" on the report: pending, not part of the share.
        _ticket(session, company, settings, NOW - timedelta(hours=1), None)
        session.commit()
        return company, other


def test_share_in_time_and_median_per_consultant(
    engine: Engine, settings: Settings, crafted: tuple[Company, Staff]
) -> None:
    _ = crafted
    with Session(engine) as session:
        november = report.monthly(session, month="2026-11", timezone=settings.timezone, now=NOW)
    mette, ole = november.rows
    assert (
        mette.name,
        mette.tickets,
        mette.answered_in_time,
        mette.answered_late,
        mette.unanswered_overdue,
    ) == (
        "Mette Hansen",
        4,
        2,
        1,
        1,
    )
    assert mette.share_in_time == pytest.approx(0.5)
    # Waits of 2, 4 and 30 hours: the median is 4 hours.
    assert mette.median_first_response_seconds == 4 * 3600
    assert (ole.name, ole.tickets, ole.share_in_time, ole.median_first_response_seconds) == (
        "Ole Dam",
        1,
        1.0,
        36000,
    )
    assert november.total.tickets == 5
    assert november.total.share_in_time == pytest.approx(3 / 5)
    assert november.total.median_first_response_seconds == 7 * 3600  # waits 2, 4, 10, 30


def test_pending_tickets_are_left_out_of_the_share(
    engine: Engine, settings: Settings, crafted: tuple[Company, Staff]
) -> None:
    with Session(engine) as session:
        december = report.monthly(session, month="2026-12", timezone=settings.timezone, now=NOW)
    assert december.total.tickets == 2
    assert december.total.pending == 1
    assert december.total.share_in_time == 1.0


def test_a_consultant_sees_only_their_row(
    engine: Engine, settings: Settings, crafted: tuple[Company, Staff]
) -> None:
    _, other = crafted
    with Session(engine) as session:
        mine = report.monthly(
            session, month="2026-11", timezone=settings.timezone, now=NOW, assignee_id=other.id
        )
    assert [row.name for row in mine.rows] == ["Ole Dam"]
    assert mine.total.tickets == 1


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "november", ""])
def test_months_must_be_written_yyyy_mm(month: str) -> None:
    with pytest.raises(report.MonthError, match="YYYY-MM"):
        report.parse_month(month)


def test_prometheus_figures(engine: Engine, settings: Settings, crafted: tuple[Company, Staff]) -> None:
    company, _ = crafted
    registry = metrics.registry_for(
        engine, timezone=settings.timezone, clock=lambda: datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    )
    text = generate_latest(registry).decode()
    assert 'bot_tickets_open{kind="question"}' in text
    assert (
        f'bot_tickets_answered_in_time_ratio{{consultant_id="{company.consultant.id}",month="2026-11"}} 0.5'
        in text
    )
    assert 'bot_tickets_first_response_median_seconds{consultant_id="all",month="2026-11"} 25200.0' in text
    assert "bot_tickets_escalated_open 0.0" in text
