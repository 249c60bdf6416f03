"""Employer tickets in the panel: red ones first, reply by SMS, visit, outcome, reassignment."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.channels.models import Direction, Message, MessageStatus
from bot.escalations import service as tickets
from bot.escalations.models import Ticket, TicketStatus
from tests.admin.conftest import csrf_of


def _ticket(db, settings, world, now, *, employer: str = "bakery", contact: str = "baker", summary: str):  # type: ignore[no-untyped-def]
    ticket = tickets.open_ticket(
        db,
        employer_id=world[employer].id,
        kind="problem",
        summary=summary,
        now=now,
        settings=settings,
        contact_id=world[contact].id,
    )
    db.commit()
    return ticket


def test_escalated_ticket_comes_first_and_links_to_the_ticket(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    calm = _ticket(db, settings, world, now, summary="Question about hours")
    red = _ticket(db, settings, world, now - timedelta(hours=30), summary="The intern did not come")
    red.escalated_at = now - timedelta(hours=6)
    db.add(red)
    db.commit()
    db.expunge_all()
    html = login(world["lead"]).get("/admin/").text
    assert html.index("The intern did not come") < html.index("Question about hours")
    assert f'href="/admin/tickets/{red.id}"' in html and f'href="/admin/tickets/{calm.id}"' in html
    assert "Eskaleret" in html


def test_consultant_sees_tickets_assigned_to_them_only(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    own = _ticket(db, settings, world, now, summary="Bakery problem")
    other = _ticket(db, settings, world, now, employer="dock", contact="docker", summary="Dock problem")
    db.expunge_all()
    anna = login(world["anna"])
    assert anna.get(f"/admin/tickets/{own.id}").status_code == 200
    assert anna.get(f"/admin/tickets/{other.id}").status_code == 404
    assert "Dock problem" not in anna.get("/admin/tickets").text
    assert login(world["caseworker"]).get(f"/admin/tickets/{own.id}").status_code == 404


def test_reply_visit_and_outcome_from_the_ticket_page(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now, summary="The intern did not come")
    db.expunge_all()
    anna = login(world["anna"])
    page = anna.get(f"/admin/tickets/{ticket.id}")
    token = csrf_of(page.text)
    response = anna.post(
        f"/admin/tickets/{ticket.id}/reply", data={"csrf_token": token, "text": "Jeg kommer forbi kl. 13."}
    )
    assert response.status_code == 303
    sent = db.exec(
        select(Message).where(Message.direction == Direction.outbound, Message.phone == "+4530000001")
    ).all()
    assert len(sent) == 1 and sent[0].status == MessageStatus.queued
    db.rollback()
    assert anna.post(f"/admin/tickets/{ticket.id}/visited", data={"csrf_token": token}).status_code == 303
    db.expire_all()
    stored = db.get(Ticket, ticket.id)
    assert stored.visited_at == now and stored.first_response_at == now
    db.rollback()
    page = anna.get(f"/admin/tickets/{ticket.id}").text
    assert "Jeg kommer forbi kl. 13." in page
    response = anna.post(
        f"/admin/tickets/{ticket.id}/resolve", data={"csrf_token": token, "outcome": "solved"}
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Ticket, ticket.id).status == TicketStatus.solved
    db.rollback()


def test_only_team_lead_reassigns(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now, summary="Needs someone else")
    db.expunge_all()
    anna = login(world["anna"])
    token = csrf_of(anna.get(f"/admin/tickets/{ticket.id}").text)
    refused = anna.post(
        f"/admin/tickets/{ticket.id}/reassign", data={"csrf_token": token, "assignee_id": world["bo"].id}
    )
    assert refused.status_code == 404
    lead = login(world["lead"])
    token = csrf_of(lead.get(f"/admin/tickets/{ticket.id}").text)
    done = lead.post(
        f"/admin/tickets/{ticket.id}/reassign", data={"csrf_token": token, "assignee_id": world["bo"].id}
    )
    assert done.status_code == 303
    db.expire_all()
    assert db.get(Ticket, ticket.id).assignee_id == world["bo"].id
    db.rollback()


def test_empty_answer_is_refused_with_the_reason(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now, summary="Empty answer")
    db.expunge_all()
    anna = login(world["anna"])
    token = csrf_of(anna.get(f"/admin/tickets/{ticket.id}").text)
    response = anna.post(f"/admin/tickets/{ticket.id}/reply", data={"csrf_token": token, "text": " "})
    assert response.status_code == 422
    assert "Skriv et svar" in response.text


def test_a_no_show_with_no_intern_expected_says_so_on_the_ticket(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    """Filed as a question (nobody known to be there today), the consultant still reads it is a no-show."""
    ticket = tickets.open_ticket(
        db, employer_id=world["bakery"].id, kind="question", summary="Praktikanten er ikke mødt op i dag",
        now=now, settings=settings, contact_id=world["baker"].id, details={"reason": "no_show"},
    )
    db.commit()
    page = login(world["anna"]).get(f"/admin/tickets/{ticket.id}").text
    assert "ingen praktikant var ventet i dag" in page
