"""Open items: one per person for the kinds that are about a person, closed by the event that
settles them, and a "done" that its person can take back for a minute."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.contacts.models import Citizen, Role, Staff
from bot.items import service as items
from bot.items.models import OpenItem
from bot.sick_notices import service as absences


@pytest.fixture
def people(session: Session) -> tuple[Staff, Staff, Citizen]:
    karen = Staff(name="Karen", email="karen@kommune.dk", role=Role.consultant)
    lone = Staff(name="Lone", email="lone@kommune.dk", role=Role.team_lead)
    session.add_all([karen, lone])
    session.flush()
    amal = Citizen(name="Amal Hassan", phone="+4520123456", language="da", consultant_id=karen.id)
    session.add(amal)
    session.flush()
    return karen, lone, amal


def open_items(session: Session) -> list[OpenItem]:
    return list(session.exec(select(OpenItem).where(OpenItem.resolved_at == None)).all())  # noqa: E711


def test_three_sick_notices_within_a_minute_make_one_item(session: Session, people, now: datetime) -> None:
    _, _, amal = people
    for n in range(3):
        items.open(session, kind="sick_notice", summary=f"Sygemelding {n}", now=now + timedelta(seconds=20 * n),
                   dedupe_key=f"sick_notice:{n}", citizen_id=amal.id, due_at=now + timedelta(hours=5 - n))
    (item,) = open_items(session)
    assert item.summary == "Sygemelding 2"  # the newest words
    assert item.due_at == now + timedelta(hours=3)  # the earliest deadline
    assert items.by_key(session, "sick_notice:1") is item


def test_one_notice_ending_keeps_the_item_while_another_is_open(session: Session, people, now: datetime) -> None:
    _, _, amal = people
    for n in (1, 2):
        items.open(session, kind="sick_notice", summary="", now=now, dedupe_key=f"sick_notice:{n}",
                   citizen_id=amal.id)
    items.resolve_by_key(session, "sick_notice:1", now=now)
    assert len(open_items(session)) == 1
    items.resolve_by_key(session, "sick_notice:2", now=now)
    assert open_items(session) == []


def test_items_about_different_subjects_stay_apart(session: Session, people, now: datetime) -> None:
    _, _, amal = people
    items.open(session, kind="attendance_missing", summary="", now=now, dedupe_key="attendance_missing:1",
               citizen_id=amal.id)
    items.open(session, kind="attendance_missing", summary="", now=now, dedupe_key="attendance_missing:2",
               citizen_id=amal.id)
    items.open(session, kind="sick_notice", summary="", now=now, dedupe_key="sick_notice:1", citizen_id=amal.id)
    assert len(open_items(session)) == 3


def test_a_sick_notice_that_ends_closes_its_item(session: Session, people, now: datetime) -> None:
    _, _, amal = people
    notice = absences.record_sick_notice(session, citizen_id=amal.id, starts_on=date(2026, 11, 24), ends_on=None,
                                         text="syg", now=now)
    assert [i.kind for i in open_items(session)] == ["sick_notice"]
    absences.end_sick_notice(session, citizen_id=amal.id, now=now + timedelta(days=2))
    session.flush()
    assert open_items(session) == []
    closed = session.exec(select(OpenItem)).one()
    assert closed.resolved_at == now + timedelta(days=2)
    assert closed.details["sick_notice_id"] == notice.id


def test_done_can_be_undone_for_a_minute_by_whoever_did_it(session: Session, people, now: datetime) -> None:
    karen, lone, amal = people
    item = items.open(session, kind="handover", summary="", now=now, dedupe_key="handover:x", citizen_id=amal.id)
    items.mark_done(session=session, item_id=item.id, acting_staff=karen, now=now)
    with pytest.raises(items.UndoError):
        items.undo_done(session=session, item_id=item.id, acting_staff=lone, now=now + timedelta(seconds=5))
    items.undo_done(session=session, item_id=item.id, acting_staff=karen, now=now + timedelta(seconds=60))
    assert item.resolved_at is None
    assert items.by_key(session, "handover:x") is item  # the same problem still finds its item
    actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]
    assert actions == ["resolve", "reopen"]


def test_done_stays_done_after_the_minute(session: Session, people, now: datetime) -> None:
    karen, _, amal = people
    item = items.open(session, kind="handover", summary="", now=now, citizen_id=amal.id)
    items.mark_done(session=session, item_id=item.id, acting_staff=karen, now=now)
    with pytest.raises(items.UndoError):
        items.undo_done(session=session, item_id=item.id, acting_staff=karen, now=now + timedelta(seconds=61))
    assert item.resolved_at == now


def test_an_answered_ticket_closes_the_item_that_asked_for_an_answer(session: Session, people,
                                                                     now: datetime) -> None:
    from bot.contacts.models import Employer
    from bot.escalations.models import Ticket, TicketKind

    employer = Employer(name="Netto")
    session.add(employer)
    session.flush()
    ticket = Ticket(reference="V-2026-000001", employer_id=employer.id, kind=TicketKind.question, created_at=now)
    session.add(ticket)
    session.flush()
    items.open(session, kind="handover", summary="", now=now, dedupe_key=f"ticket:{ticket.id}",
               employer_id=employer.id)
    ticket.first_response_at = now + timedelta(hours=1)
    session.add(ticket)
    session.flush()
    assert open_items(session) == []


def test_the_sweep_closes_items_of_notices_that_ended_out_of_sight(session: Session, people,
                                                                   now: datetime) -> None:
    from sqlalchemy import update

    from bot.items.closing import close_settled
    from bot.sick_notices.models import SickNotice

    _, _, amal = people
    notice = absences.record_sick_notice(session, citizen_id=amal.id, starts_on=date(2026, 11, 24), ends_on=None,
                                         text="syg", now=now)
    ended = now + timedelta(days=1)
    session.execute(update(SickNotice).where(SickNotice.id == notice.id).values(ended_at=ended))  # no hook
    assert len(open_items(session)) == 1
    assert close_settled(session, now=now + timedelta(days=3)) == 1
    assert open_items(session) == []
    assert session.exec(select(OpenItem)).one().resolved_at == ended  # when it really ended
