"""Merge, split, a visit at the time it took place and a visit planned ahead, through the panel."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.escalations import service as tickets
from bot.escalations.models import Ticket, TicketEvent, TicketEventKind, TicketStatus
from tests.admin.conftest import csrf_of


def _ticket(db, settings, world, now, *, summary: str, kind: str = "problem", employer: str = "bakery"):  # type: ignore[no-untyped-def]
    contact = "baker" if employer == "bakery" else "docker"
    ticket = tickets.open_ticket(db, employer_id=world[employer].id, kind=kind, summary=summary, now=now,
                                 settings=settings, contact_id=world[contact].id)
    db.commit()
    return ticket


def _audits(db, action: str) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    return list(db.exec(select(AuditEntry).where(AuditEntry.action == action)).all())


def test_a_team_lead_merges_two_tickets_after_confirming(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    first = _ticket(db, settings, world, now - timedelta(hours=2), summary="Praktikanten kom ikke")
    second = _ticket(db, settings, world, now, summary="Han er her stadig ikke")
    other = _ticket(db, settings, world, now, summary="Havnen spørger", employer="dock")
    db.expunge_all()
    lead = login(world["lead"])
    page = lead.get(f"/admin/tickets/{second.id}").text
    assert f'<option value="{first.id}">' in page and f'value="{other.id}"' not in page  # same company only
    confirm = lead.get(f"/admin/tickets/{second.id}/merge", params={"into": first.id})
    assert confirm.status_code == 200
    assert f"Læg {second.reference} sammen med {first.reference}?" in confirm.text
    db.rollback()
    assert db.get(Ticket, second.id).status == TicketStatus.open  # asking changes nothing
    db.rollback()
    done = lead.post(f"/admin/tickets/{second.id}/merge",
                     data={"csrf_token": csrf_of(confirm.text), "into": first.id})
    assert done.status_code == 303 and done.headers["location"] == f"/admin/tickets/{first.id}?done=merged"
    db.expire_all()
    assert db.get(Ticket, second.id).status == TicketStatus.closed
    assert db.get(Ticket, first.id).status == TicketStatus.open
    assert len(_audits(db, "merged")) == 1  # the action's own entry, no second one from the route
    db.rollback()
    result = lead.get(done.headers["location"]).text
    assert f"{second.reference} er lagt sammen med denne henvendelse" in result
    assert "Han er her stadig ikke" in result


def test_merging_into_another_company_s_ticket_is_refused(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ours = _ticket(db, settings, world, now, summary="Bageriet")
    theirs = _ticket(db, settings, world, now, summary="Havnen", employer="dock")
    db.expunge_all()
    lead = login(world["lead"])
    token = csrf_of(lead.get(f"/admin/tickets/{ours.id}").text)
    asked = lead.get(f"/admin/tickets/{ours.id}/merge", params={"into": theirs.id})
    assert asked.status_code == 422  # the page that asks refuses as the merge itself would
    assert "Vælg en anden åben henvendelse fra samme virksomhed." in asked.text
    refused = lead.post(f"/admin/tickets/{ours.id}/merge", data={"csrf_token": token, "into": theirs.id})
    assert refused.status_code == 422
    assert "Vælg en anden åben henvendelse fra samme virksomhed." in refused.text
    db.expire_all()
    assert db.get(Ticket, ours.id).status == TicketStatus.open


def test_a_message_is_split_off_into_a_new_ticket(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now - timedelta(hours=1), summary="Det fungerer ikke")
    tickets.add_employer_message(db, ticket, body="Vi vil også gerne ansætte en til lageret", now=now,
                                 settings=settings)
    db.commit()
    event = db.exec(select(TicketEvent).where(TicketEvent.kind == TicketEventKind.employer_message)).one()
    ticket_id, event_id = ticket.id, event.id
    db.rollback()
    db.expunge_all()
    anna = login(world["anna"])
    page = anna.get(f"/admin/tickets/{ticket_id}").text
    assert f"/admin/tickets/{ticket_id}/split?event_id={event_id}" in page
    confirm = anna.get(f"/admin/tickets/{ticket_id}/split", params={"event_id": event_id})
    assert confirm.status_code == 200 and "Vi vil også gerne ansætte en til lageret" in confirm.text
    done = anna.post(f"/admin/tickets/{ticket_id}/split",
                     data={"csrf_token": csrf_of(confirm.text), "event_id": event_id, "kind": "recruitment"})
    assert done.status_code == 303 and done.headers["location"] == f"/admin/tickets/{ticket_id}?done=split"
    new = db.exec(select(Ticket).where(Ticket.id != ticket_id)).one()
    assert new.kind.value == "recruitment" and new.summary == "Vi vil også gerne ansætte en til lageret"
    assert len(_audits(db, "split")) == 1
    reference, new_id = new.reference, new.id
    db.rollback()
    result = anna.get(done.headers["location"]).text
    assert f"En ny henvendelse, {reference}, er oprettet med beskeden" in result
    assert f'href="/admin/tickets/{new_id}"' in result


def test_the_visit_is_recorded_at_the_time_entered(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now - timedelta(hours=5), summary="Det fungerer ikke")
    db.expunge_all()
    anna = login(world["anna"])
    page = anna.get(f"/admin/tickets/{ticket.id}").text
    assert 'value="2026-11-24T08:00"' in page  # default: now, in Copenhagen time
    token = csrf_of(page)
    future = anna.post(f"/admin/tickets/{ticket.id}/visited",
                       data={"csrf_token": token, "at": "2026-11-24T13:00", "note": "Godt møde"})
    assert future.status_code == 422
    assert "planlægges" in future.text and 'value="2026-11-24T13:00"' in future.text
    assert 'value="Godt møde"' in future.text  # what was typed stays
    db.rollback()
    done = anna.post(f"/admin/tickets/{ticket.id}/visited",
                     data={"csrf_token": token, "at": "2026-11-24T07:15", "note": "Godt møde"})
    assert done.status_code == 303
    db.expire_all()
    stored = db.get(Ticket, ticket.id)
    assert stored.visited_at == datetime(2026, 11, 24, 6, 15, tzinfo=UTC)  # 07:15 local, not the click
    assert len(_audits(db, "visited")) == 1
    db.rollback()
    assert "Besøget fandt sted 24.11.2026 07:15." in anna.get(done.headers["location"]).text


def test_a_visit_is_planned_ahead_and_shown_on_the_ticket(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = _ticket(db, settings, world, now, summary="Det fungerer ikke")
    db.expunge_all()
    lead = login(world["lead"])
    token = csrf_of(lead.get(f"/admin/tickets/{ticket.id}").text)
    past = lead.post(f"/admin/tickets/{ticket.id}/plan", data={"csrf_token": token, "at": "2026-11-23T13:00"})
    assert past.status_code == 422 and 'value="2026-11-23T13:00"' in past.text
    db.rollback()
    done = lead.post(f"/admin/tickets/{ticket.id}/plan", data={"csrf_token": token, "at": "2026-11-24T13:00"})
    assert done.status_code == 303 and done.headers["location"].endswith("?done=planned")
    db.expire_all()
    assert db.get(Ticket, ticket.id).visit_planned_for == datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert len(_audits(db, "visit_planned")) == 1
    db.rollback()
    page = lead.get(done.headers["location"]).text
    assert "Besøget er planlagt, og virksomheden får besked på sms." in page
    assert "24.11.2026 13:00" in page and "inden for fristen for besøg" in page
