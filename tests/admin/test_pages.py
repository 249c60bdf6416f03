"""What staff see and do on the pages: open items, the citizen page, replies, exports, languages."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels.models import Direction, Message, MessageStatus
from bot.contacts.models import Citizen, Employer
from bot.items import service as items
from bot.items.models import OpenItem
from tests.admin.conftest import csrf_of


def _inbound(db: Session, phone: str, body: str, now, status=MessageStatus.processed) -> Message:  # type: ignore[no-untyped-def]
    message = Message(direction=Direction.inbound, phone=phone, body=body, status=status, created_at=now)
    db.add(message)
    db.commit()
    return message


def test_home_lists_open_items_most_urgent_first_and_polls(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    items.open(
        db,
        kind="delivery_failed",
        summary="Reminder not delivered",
        now=now,
        citizen_id=world["amal"].id,
        due_at=now + timedelta(hours=2),
    )
    items.open(
        db,
        kind="delivery_failed",
        summary="Receipt not delivered",
        now=now,
        citizen_id=world["bashir"].id,
        due_at=now - timedelta(hours=1),
    )
    items.open(db, kind="unknown_sender", summary="Unknown number wrote", now=now, phone="+4599999999")
    db.commit()
    page = login(world["lead"]).get("/admin/")
    assert page.status_code == 200
    html = page.text
    assert 'hx-trigger="every 15s"' in html and 'hx-get="/admin/items/list"' in html
    assert "Ikke leveret: ring til personen" in html
    assert html.index("Receipt not delivered") < html.index("Reminder not delivered")
    assert f'href="/admin/citizens/{world["amal"].id}"' in html
    assert 'href="/admin/conversations/+4599999999"' in html


def test_resolving_an_item_with_htmx_returns_the_refreshed_list(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item = items.open(db, kind="handover", summary="Wants a call back", now=now, citizen_id=world["amal"].id)
    db.commit()
    anna = login(world["anna"])
    token = csrf_of(anna.get("/admin/").text)
    response = anna.post(
        f"/admin/items/{item.id}/resolve", headers={"HX-Request": "true", "X-CSRF-Token": token}
    )
    assert response.status_code == 200
    assert f'href="/admin/items/{item.id}" class="details"' not in response.text  # off the list
    assert f'action="/admin/items/{item.id}/undo"' in response.text  # and undoable for a minute
    assert "<html" not in response.text  # a fragment, swapped into the page
    db.expire_all()
    resolved = db.get(OpenItem, item.id)
    assert resolved.resolved_at is not None and resolved.resolved_by_id == world["anna"].id
    assert (
        db.exec(select(AuditEntry).where(AuditEntry.subject == f"open_item:{item.id}")).one().action
        == "resolve"
    )


def test_citizen_page_escapes_bodies_shows_direction_and_is_audited(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _inbound(db, "+4520000001", "<script>alert('x')</script> أنا مريض", now)
    db.add(
        Message(
            direction=Direction.outbound,
            phone="+4520000001",
            body="Your meeting is at 10",
            status=MessageStatus.undelivered,
            error_code="30005",
            created_at=now,
        )
    )
    db.commit()
    page = login(world["anna"]).get(f"/admin/citizens/{world['amal'].id}")
    assert page.status_code == 200
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; أنا مريض" in page.text
    assert '<div class="bubble" dir="auto">' in page.text
    assert "ikke leveret" in page.text and "30005" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "view")).one()
    assert entry.subject == f"citizen:{world['amal'].id}" and entry.staff_id == world["anna"].id


def test_opted_out_citizen_shows_not_reachable_and_refuses_a_reply(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal = db.get(Citizen, world["amal"].id)
    amal.opted_out = True
    amal.opted_out_at = now
    db.add(amal)
    db.commit()
    anna = login(world["anna"])
    assert "Kan ikke nås på sms" in anna.get(f"/admin/citizens/{amal.id}").text
    page = anna.get("/admin/conversations/+4520000001")
    response = anna.post(
        "/admin/conversations/+4520000001/reply", data={"csrf_token": csrf_of(page.text), "text": "Hello"}
    )
    assert response.status_code == 422
    assert db.exec(select(Message).where(Message.direction == Direction.outbound)).first() is None


def test_reply_goes_to_the_outbox_in_the_recipients_language(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    inbound = _inbound(db, "+4520000001", "Hvornår er mødet?", now)
    anna = login(world["anna"])
    page = anna.get("/admin/conversations/+4520000001")
    assert "Hvornår er mødet?" in page.text
    response = anna.post(
        "/admin/conversations/+4520000001/reply",
        data={"csrf_token": csrf_of(page.text), "text": "Mødet er kl. 10 i morgen."},
    )
    assert response.status_code == 303
    queued = db.exec(select(Message).where(Message.direction == Direction.outbound)).one()
    assert queued.status == MessageStatus.queued
    assert queued.phone == "+4520000001" and queued.contact_id == world["amal"].id
    assert queued.locale == "ar" and queued.purpose == "staff_reply"
    assert queued.params["text"] == "Mødet er kl. 10 i morgen."
    assert queued.due_at == now and inbound.id is not None
    db.rollback()  # end the read: the in-memory database has one connection
    after = anna.get("/admin/conversations/+4520000001").text
    assert "Mødet er kl. 10 i morgen." in after and "i kø" in after
    assert (
        db.exec(select(AuditEntry).where(AuditEntry.action == "send")).one().details["message_id"]
        == queued.id
    )


def test_reply_that_is_empty_or_longer_than_three_sms_is_refused(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    token = csrf_of(anna.get("/admin/conversations/+4520000001").text)
    empty = anna.post("/admin/conversations/+4520000001/reply", data={"csrf_token": token, "text": "  "})
    assert empty.status_code == 422 and "Skriv en besked" in empty.text
    too_long = "ب" * 202  # UCS-2: three parts hold 201
    long = anna.post("/admin/conversations/+4520000001/reply", data={"csrf_token": token, "text": too_long})
    assert long.status_code == 422 and "for lang" in long.text
    assert too_long in long.text  # the draft is kept
    assert db.exec(select(Message)).first() is None


def test_company_page_shows_contacts_and_pauses_partnership(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    page = anna.get(f"/admin/companies/{world['bakery'].id}")
    assert "Mette Bager" in page.text and "Aktivt" in page.text
    response = anna.post(
        f"/admin/companies/{world['bakery'].id}/partnership", data={"csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 303
    db.expire_all()
    assert db.get(Employer, world["bakery"].id).paused is True
    db.rollback()
    assert "På pause" in anna.get(f"/admin/companies/{world['bakery'].id}").text


def test_language_follows_cookie_then_browser_then_danish(world, login) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    assert "Åbne opgaver" in lead.get("/admin/").text
    assert "Open items" in lead.get("/admin/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert "Åbne opgaver" in lead.get("/admin/", headers={"Accept-Language": "de, da;q=0.5"}).text
    token = csrf_of(lead.get("/admin/").text)
    lead.post("/admin/language", data={"csrf_token": token, "language": "en", "next": "/admin/"})
    assert "Open items" in lead.get("/admin/").text


def test_settings_page_hides_secrets(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world["admin"]).get("/admin/settings").text
    assert "BOT_SECRET_KEY" in page and "test-secret" not in page
    assert "BOT_TIMEZONE" in page and "Europe/Copenhagen" in page
    assert "12345" not in page  # the Twilio auth token


def test_translations_page_counts_per_language(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world["lead"]).get("/admin/translations").text
    assert 'data-language="da"' in page and 'data-language="ar"' in page


def test_audit_log_lists_views_and_filters_by_subject(world, login) -> None:  # type: ignore[no-untyped-def]
    login(world["anna"]).get(f"/admin/citizens/{world['amal'].id}")
    admin = login(world["admin"])
    page = admin.get("/admin/audit", params={"subject": f"citizen:{world['amal'].id}"}).text
    assert "Anna Consultant" in page and f"citizen:{world['amal'].id}" in page
    assert "login" not in admin.get("/admin/audit", params={"action": "view"}).text.split("<tbody>")[1]


def test_exports_are_csv_and_audited(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    items.open(db, kind="handover", summary="=HYPERLINK(evil)", now=now, citizen_id=world["amal"].id)
    db.commit()
    lead = login(world["lead"])
    citizens = lead.get("/admin/citizens.csv")
    assert citizens.headers["content-type"].startswith("text/csv")
    assert "Amal Hassan" in citizens.text and "+4520000001" in citizens.text
    open_items = lead.get("/admin/items.csv").text
    assert "'=HYPERLINK(evil)" in open_items
    exports = db.exec(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert {e.subject for e in exports} == {"citizens", "open_items"}


def test_missing_page_is_a_page_in_the_persons_language(world, login) -> None:  # type: ignore[no-untyped-def]
    response = login(world["lead"]).get("/admin/citizens/999999")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.text


def test_home_shows_the_most_urgent_few_and_links_to_the_rest(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    for n in range(12):
        items.open(
            db,
            kind="unknown_sender",
            summary=f"Stranger {n:02d}",
            now=now,
            phone=f"+45999999{n:02d}",
            due_at=now + timedelta(minutes=n),
        )
    db.commit()
    lead = login(world["lead"])
    home = lead.get("/admin/").text
    assert "Stranger 09" in home and "Stranger 10" not in home
    assert 'href="/admin/items/section/unknown"' in home and "Vis alle 12" in home
    everything = lead.get("/admin/items/section/unknown").text
    assert "Stranger 00" in everything and "Stranger 11" in everything
    assert lead.get("/admin/items/section/nonsense").status_code == 404


def test_a_staff_message_is_sent_exactly_as_typed_in_every_language() -> None:
    from bot.i18n import LANGUAGES, render

    for language in LANGUAGES:
        assert render("staff.message", language, {"text": "Mødet er kl. 10 {ikke en parameter}"}) == (
            "Mødet er kl. 10 {ikke en parameter}"
        )


def test_conversation_page_polls_its_timeline_without_auditing_each_poll(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    page = anna.get("/admin/conversations/+4520000001").text
    assert 'hx-get="/admin/conversations/+4520000001/timeline"' in page and 'hx-trigger="every 15s"' in page
    _inbound(db, "+4520000001", "Kommer i morgen", now)
    fragment = anna.get("/admin/conversations/+4520000001/timeline", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "Kommer i morgen" in fragment.text and "<html" not in fragment.text
    assert len(db.exec(select(AuditEntry).where(AuditEntry.action == "view")).all()) == 1
    db.rollback()
    assert login(world["bo"]).get("/admin/conversations/+4520000001/timeline").status_code == 404
