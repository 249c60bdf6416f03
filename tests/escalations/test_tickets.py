"""Tickets: references, assignment, clocks, replies, joining, resolving, reassigning."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.config import Settings
from bot.contacts.models import Employer, Role, Staff
from bot.db import session_scope
from bot.escalations import service, threads
from bot.escalations.models import Ticket, TicketEventKind, TicketKind, TicketStatus
from bot.i18n import render
from bot.reminders.models import Placement
from tests.escalations.conftest import Company, make_company
from tests.escalations.helpers import outbox, templates


def _open(
    session: Session, company: Company, settings: Settings, now: datetime, kind: str = "question"
) -> int:
    assert company.employer.id is not None
    ticket = service.open_ticket(
        session,
        employer_id=company.employer.id,
        contact_id=company.contact.id,
        kind=kind,
        summary="Hvornår starter den nye praktikant?",
        now=now,
        settings=settings,
    )
    session.commit()
    assert ticket.id is not None
    return ticket.id


def test_open_assigns_the_key_account_consultant_and_tells_them(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket = service.get(session, _open(session, company, settings, now, kind="problem"))
    assert ticket.reference == "V-2026-000001"
    assert ticket.assignee_id == company.consultant.id
    assert ticket.status == TicketStatus.open
    assert ticket.response_due_at == now + timedelta(hours=24)
    assert ticket.visit_due_at == now + timedelta(hours=24)
    assert ticket.response_warn_at == now + timedelta(hours=18)
    assert templates(session, "+4520000001") == ["ticket.consultant_new_problem"]
    kinds = [e.kind for e in service.timeline(session, ticket.id or 0)]
    assert kinds == [TicketEventKind.opened, TicketEventKind.consultant_notified]


def test_references_count_per_local_year(session: Session, company: Company, settings: Settings) -> None:
    first = service.get(session, _open(session, company, settings, datetime(2026, 12, 31, 22, 0, tzinfo=UTC)))
    # 23:30 UTC on New Year's Eve is already 2027 in Copenhagen.
    second = service.get(
        session, _open(session, company, settings, datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    )
    third = service.get(session, _open(session, company, settings, datetime(2027, 1, 2, 9, 0, tzinfo=UTC)))
    assert [first.reference, second.reference, third.reference] == [
        "V-2026-000001",
        "V-2027-000001",
        "V-2027-000002",
    ]


def test_company_without_consultant_goes_to_the_team_lead(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    company.employer.consultant_id = None
    session.add(company.employer)
    session.commit()
    ticket = service.get(session, _open(session, company, settings, now))
    assert ticket.assignee_id == company.lead.id
    assert templates(session, "+4520000009") == ["ticket.consultant_new"]


def test_staff_reply_reaches_the_employer_and_stops_the_response_clock(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    assert company.consultant.id is not None
    later = now + timedelta(hours=3)
    service.reply(
        session, ticket_id=ticket_id, staff_id=company.consultant.id, body="Mandag kl. 8.", now=later
    )
    service.reply(
        session,
        ticket_id=ticket_id,
        staff_id=company.consultant.id,
        body="Husk sikkerhedssko.",
        now=later + timedelta(hours=1),
    )
    session.commit()
    ticket = service.get(session, ticket_id)
    assert ticket.first_response_at == later
    assert ticket.status == TicketStatus.answered
    sent = templates(session, "+4530000001")
    assert sent == ["ticket.staff_reply", "ticket.staff_reply"]


def test_reply_needs_text(session: Session, company: Company, settings: Settings, now: datetime) -> None:
    ticket_id = _open(session, company, settings, now)
    with pytest.raises(service.TicketError) as err:
        service.reply(session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, body="  ", now=now)
    assert err.value.field == "body"


def test_a_reply_to_staff_continues_their_ticket_until_72_hours_after_the_last_reply(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    contact_id = company.contact.id or 0
    # Nothing from staff yet, and the contact's own text is days old: a plain text starts anew.
    assert threads.continued_ticket(session, contact_id=contact_id, now=now + timedelta(days=5)) is None
    replied = now + timedelta(hours=2)
    service.reply(session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, body="Ja.", now=replied)
    joined = threads.continued_ticket(session, contact_id=contact_id, now=replied + timedelta(hours=71, minutes=59))
    assert joined is not None and joined.id == ticket_id
    assert threads.continued_ticket(session, contact_id=contact_id, now=replied + timedelta(hours=72)) is None


def test_a_new_matter_never_joins_a_ticket_of_another_kind_or_intern(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now, kind="problem")
    service.reply(session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, body="Ja.", now=now)
    contact_id = company.contact.id or 0
    ticket = service.get(session, ticket_id)
    for kind, citizen_id in ((TicketKind.recruitment, None), (TicketKind.question, company.intern.id)):
        found = threads.thread_for(session, contact_id=contact_id, kind=kind, citizen_id=citizen_id, now=now,
                                   new_topic=True)
        assert found is None, (kind, citizen_id)
    same = threads.thread_for(session, contact_id=contact_id, kind=ticket.kind, citizen_id=ticket.citizen_id,
                              now=now, new_topic=True)
    assert same is not None and same.id == ticket_id


def test_a_sign_off_staff_typed_is_not_signed_twice(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    service.reply(session, ticket_id=ticket_id, staff_id=company.consultant.id or 0,
                  body="Jeg kommer torsdag kl. 13.\nMvh Mette", now=now)
    [message] = [m for m in outbox(session, "+4530000001") if m.template == "ticket.staff_reply"]
    text = render(message.template or "", "da", message.params)
    assert text.startswith("Jeg kommer torsdag kl. 13. /Mette, kommunen (sag V-2026-")
    assert text.count("Mette") == 1


def test_resolve_placement_ended_ends_the_placement_today(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    assert company.employer.id is not None
    ticket = service.open_ticket(
        session,
        employer_id=company.employer.id,
        contact_id=company.contact.id,
        citizen_id=company.intern.id,
        kind=TicketKind.problem,
        summary="Det fungerer ikke",
        now=now,
        settings=settings,
    )
    staff_id = company.consultant.id or 0
    service.mark_visited(session, ticket_id=ticket.id or 0, staff_id=staff_id, now=now + timedelta(hours=5))
    service.resolve(
        session,
        ticket_id=ticket.id or 0,
        staff_id=staff_id,
        outcome="placement_ended",
        now=now + timedelta(hours=6),
        settings=settings,
    )
    session.commit()
    placement = session.get(Placement, company.placement.id)
    assert placement is not None and placement.end_date == date(2026, 11, 24)
    assert ticket.status == TicketStatus.placement_ended
    assert ticket.visited_at == now + timedelta(hours=5)
    assert ticket.first_response_at == now + timedelta(hours=5)
    with pytest.raises(service.TicketError) as err:
        service.resolve(
            session, ticket_id=ticket.id or 0, staff_id=staff_id, outcome="solved", now=now, settings=settings
        )
    assert err.value.field == "status"


def test_resolve_refuses_an_unknown_outcome(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    with pytest.raises(service.TicketError, match="solved, placement_ended, closed") as err:
        service.resolve(session, ticket_id=ticket_id, staff_id=1, outcome="happy", now=now, settings=settings)
    assert err.value.field == "outcome"


def test_reassign_tells_the_new_assignee(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    other = Staff(name="Ole Dam", email="ole@kommune.dk", phone="+4520000002", role=Role.consultant)
    session.add(other)
    session.commit()
    service.reassign(
        session,
        ticket_id=ticket_id,
        assignee_id=other.id or 0,
        now=now,
        settings=settings,
        staff_id=company.lead.id,
    )
    session.commit()
    assert service.get(session, ticket_id).assignee_id == other.id
    assert templates(session, "+4520000002") == ["ticket.reassigned"]
    assert service.timeline(session, ticket_id)[-2].kind == TicketEventKind.reassigned


def test_unknown_employer_is_refused(session: Session, settings: Settings, now: datetime) -> None:
    with pytest.raises(service.TicketError) as err:
        service.open_ticket(
            session, employer_id=999, kind="question", summary="x", now=now, settings=settings
        )
    assert err.value.field == "employer_id"
    assert session.get(Employer, 999) is None


def test_tickets_opened_at_once_get_distinct_references(
    engine: Engine, file_engine: Engine, settings: Settings, now: datetime
) -> None:
    target = engine if engine.dialect.name == "postgresql" else file_engine
    with Session(target, expire_on_commit=False) as session:
        company = make_company(session)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            barrier.wait()
            with session_scope(target) as session:
                service.open_ticket(
                    session,
                    employer_id=company.employer.id or 0,
                    contact_id=company.contact.id,
                    kind="question",
                    summary="Samtidig",
                    now=now,
                    settings=settings,
                )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(target) as session:
        references = sorted(t.reference for t in session.exec(select(Ticket)).all())
    assert references == [f"V-2026-00000{i}" for i in range(1, 5)]


def test_reply_longer_than_three_sms_is_refused_before_anything_is_sent(
    session: Session, company: Company, settings: Settings, now: datetime
) -> None:
    ticket_id = _open(session, company, settings, now)
    with pytest.raises(service.TicketError, match="would be 4 SMS") as err:
        service.reply(
            session, ticket_id=ticket_id, staff_id=company.consultant.id or 0, body="Hej. " * 90, now=now
        )
    assert err.value.field == "body"
    assert templates(session, "+4530000001") == []
    assert service.get(session, ticket_id).first_response_at is None
