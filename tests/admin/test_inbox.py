"""The inbox in the panel: what waits, for whom, read or not, assigned, searched, noted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import Direction, Message, MessageStatus
from bot.conversations.models import Conversation
from bot.escalations import service as tickets
from bot.inbox.models import InboxNote, InboxThread
from bot.items.models import OpenItem
from tests.admin.conftest import csrf_of


def _inbound(db: Session, phone: str, body: str, at: datetime) -> None:
    db.add(
        Message(
            direction=Direction.inbound, phone=phone, body=body, status=MessageStatus.processed, created_at=at
        )
    )
    conv = db.exec(select(Conversation).where(Conversation.phone == phone)).first() or Conversation(
        phone=phone
    )
    conv.last_inbound_at = at
    db.add(conv)
    db.commit()


def test_waiting_conversations_newest_first_within_the_consultants_remit(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "Hvornår er mødet?", now - timedelta(hours=2))
    _inbound(db, "+4530000001", "Praktikanten kom ikke", now - timedelta(minutes=5))
    _inbound(db, "+4520000002", "Bashirs besked", now - timedelta(minutes=1))
    db.expunge_all()
    html = login(world["anna"]).get("/admin/inbox").text
    assert "Bashirs besked" not in html  # Bo's citizen
    assert html.index("Mette Bager") < html.index("Amal Hassan")  # newest waiting first
    assert "Hvornår er mødet?" in html and 'class="dot"' in html  # unread
    lead = login(world["lead"]).get("/admin/inbox").text
    assert "Bashirs besked" in lead


def test_opening_marks_read_and_a_staff_reply_ends_the_wait(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "Hej", now - timedelta(minutes=30))
    db.expunge_all()
    anna = login(world["anna"])
    assert anna.get("/admin/inbox/conversations/+4520000001/open").status_code == 303
    page = anna.get("/admin/conversations/+4520000001")
    assert 'class="dot"' not in anna.get("/admin/inbox").text
    reply = anna.post(
        "/admin/conversations/+4520000001/reply", data={"csrf_token": csrf_of(page.text), "text": "Kl. 10"}
    )
    assert reply.status_code == 303
    assert "Amal Hassan" not in anna.get("/admin/inbox").text


def test_assign_to_me_takes_the_conversation_and_its_open_items(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "Jeg vil tale med en person", now - timedelta(minutes=10))
    db.add(
        OpenItem(
            kind="handover",
            phone="+4520000001",
            citizen_id=world["amal"].id,
            created_at=now - timedelta(minutes=10),
            due_at=now + timedelta(hours=2),
        )
    )
    db.commit()
    db.expunge_all()
    anna = login(world["anna"])
    page = anna.get("/admin/inbox?show=unassigned")
    assert "Amal Hassan" in page.text and "badge-green" in page.text
    response = anna.post(
        "/admin/inbox/conversations/+4520000001/assign", data={"csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303
    assert db.exec(select(InboxThread.assignee_id)).first() == world["anna"].id
    assert db.exec(select(OpenItem.assignee_id)).first() == world["anna"].id
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "assign")).first() is not None
    db.rollback()
    assert "Amal Hassan" in anna.get("/admin/inbox?show=mine").text
    assert "Amal Hassan" not in anna.get("/admin/inbox?show=unassigned").text
    # Bo may not take Anna's citizen's conversation.
    bo = login(world["bo"])
    token = csrf_of(bo.get("/admin/inbox").text)
    assert (
        bo.post("/admin/inbox/conversations/+4520000001/assign", data={"csrf_token": token}).status_code
        == 404
    )


def test_deadline_badge_turns_amber_and_red(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    db.add(
        OpenItem(
            kind="handover",
            phone="+4520000001",
            citizen_id=world["amal"].id,
            created_at=now - timedelta(hours=8),
            due_at=now + timedelta(hours=2),
        )
    )
    db.add(
        OpenItem(
            kind="flow_expired",
            phone="+4530000001",
            employer_id=world["bakery"].id,
            created_at=now - timedelta(hours=8),
            due_at=now - timedelta(hours=1),
        )
    )
    db.commit()
    db.expunge_all()
    html = login(world["anna"]).get("/admin/inbox").text
    assert "badge-amber" in html and "badge-red" in html


def test_tickets_wait_and_a_lead_assigns_one_to_themselves(world, login, db, settings, now) -> None:  # type: ignore[no-untyped-def]
    ticket = tickets.open_ticket(
        db,
        employer_id=world["bakery"].id,
        kind="problem",
        summary="Intern late",
        now=now - timedelta(hours=1),
        settings=settings,
        contact_id=world["baker"].id,
    )
    db.commit()
    db.expunge_all()
    lead = login(world["lead"])
    page = lead.get("/admin/inbox")
    assert ticket.reference in page.text
    response = lead.post(f"/admin/inbox/tickets/{ticket.id}/assign", data={"csrf_token": csrf_of(page.text)})
    assert response.status_code == 303
    assert ticket.reference in lead.get("/admin/inbox?show=mine").text
    assert login(world["caseworker"]).get("/admin/inbox").text.count(ticket.reference) == 0


def test_search_is_bounded_by_role_and_health_data(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "Jeg har feber", now - timedelta(hours=1))
    _inbound(db, "+4520000002", "Jeg har feber også", now - timedelta(hours=1))
    db.expunge_all()
    anna = login(world["anna"])
    assert "Amal Hassan" in anna.get("/admin/inbox?q=amal").text
    assert "Bashir" not in anna.get("/admin/inbox?q=bashir").text
    assert "20000001" in anna.get("/admin/inbox?q=20000001").text
    found = anna.get("/admin/inbox?q=feber").text
    assert "Jeg har feber" in found and "også" not in found
    assert "Bageriet" in anna.get("/admin/inbox?q=bager").text
    # The benefits department never searches message text.
    assert "feber</div>" not in login(world["benefits"]).get("/admin/inbox?q=feber").text


def test_internal_note_is_kept_and_never_sent(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    page = anna.get("/admin/conversations/+4520000001")
    assert "Interne noter" in page.text
    response = anna.post(
        "/admin/inbox/conversations/+4520000001/notes",
        data={"csrf_token": csrf_of(page.text), "body": "Ringede selv til hende"},
    )
    assert response.status_code == 303
    assert db.exec(select(InboxNote.body)).first() == "Ringede selv til hende"
    assert db.exec(select(Message).where(Message.direction == Direction.outbound)).first() is None
    db.rollback()
    assert "Ringede selv til hende" in anna.get("/admin/conversations/+4520000001").text
    token = csrf_of(page.text)
    assert (
        anna.post(
            "/admin/inbox/conversations/+4520000002/notes", data={"csrf_token": token, "body": "x"}
        ).status_code
        == 404
    )


def test_saved_replies_are_kept_by_team_leads_and_offered_to_the_team(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    page = lead.get("/admin/inbox/replies?team=consultant")
    response = lead.post(
        "/admin/inbox/replies",
        data={
            "csrf_token": csrf_of(page.text),
            "team": "consultant",
            "name": "Mødetid",
            "body": "Mødet er kl. 10 på jobcentret.",
        },
    )
    assert response.status_code == 303
    anna = login(world["anna"])
    assert "Mødet er kl. 10 på jobcentret." in anna.get("/admin/conversations/+4520000001").text
    token = csrf_of(anna.get("/admin/inbox/replies").text)
    refused = anna.post(
        "/admin/inbox/replies", data={"csrf_token": token, "team": "consultant", "name": "x", "body": "y"}
    )
    assert refused.status_code == 404


def test_closed_conversations_leave_the_inbox_until_the_contact_writes(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "Tak", now - timedelta(minutes=3))
    db.expunge_all()
    anna = login(world["anna"])
    page = anna.get("/admin/inbox")
    assert (
        anna.post(
            "/admin/inbox/conversations/+4520000001/close", data={"csrf_token": csrf_of(page.text)}
        ).status_code
        == 303
    )
    assert "Amal Hassan" not in anna.get("/admin/inbox").text
    assert "Amal Hassan" in anna.get("/admin/inbox?show=closed").text


def test_the_conversation_page_names_whoever_holds_its_open_item(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    """The list says an item's assignee holds the conversation; the page it opens says the same."""
    _inbound(db, "+4520000001", "Jeg vil tale med en person", now - timedelta(minutes=10))
    db.add(
        OpenItem(
            kind="handover",
            phone="+4520000001",
            citizen_id=world["amal"].id,
            assignee_id=world["anna"].id,
            created_at=now - timedelta(minutes=10),
            due_at=now + timedelta(hours=2),
        )
    )
    db.commit()
    db.expunge_all()
    anna = login(world["anna"])
    name = world["anna"].name
    assert name in anna.get("/admin/inbox").text
    page = anna.get("/admin/conversations/+4520000001").text
    assert f"Tildelt {name}" in page or f"Assigned to {name}" in page
    assert "/admin/inbox/conversations/+4520000001/assign" not in page  # already hers
