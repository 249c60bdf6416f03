"""One click resends a message that did not arrive: recorded on the item and in the audit log."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.channels import service as delivery
from bot.channels.dispatcher import MAYBE_NOT_SENT
from bot.channels.models import ContactKind, Direction, Message, MessageStatus
from bot.channels.outbox import enqueue
from bot.composition import delivery_peers
from bot.contacts.models import Citizen, Staff
from bot.hearings.models import HearingCase
from bot.items import delivery as follow_up
from bot.items.models import OpenItem
from tests.admin.conftest import csrf_of

PEERS = delivery_peers()


def _failed(db: Session, citizen: Citizen, now: datetime, *, purpose: str = "reminder",
            maybe_not_sent: bool = False) -> tuple[int, int]:
    """A message to ``citizen`` that failed (or may not have been sent), and its open item."""
    assert citizen.phone is not None
    message = enqueue(
        db, phone=citizen.phone, template="reply.help", params={}, language=citizen.language, purpose=purpose,
        contact_kind=ContactKind.citizen.value, contact_id=citizen.id, now=now - timedelta(hours=1),
    )
    if maybe_not_sent:
        message.status, message.error_code = MessageStatus.failed, MAYBE_NOT_SENT
        item = follow_up.open_maybe_not_sent(db, message, now=now)
    else:
        message.status = MessageStatus.sending
        delivery.apply_status(db, message, MessageStatus.undelivered, now=now, error_code="30003", peers=PEERS)
        item = db.exec(select(OpenItem).where(OpenItem.message_id == message.id)).one()
    db.commit()
    db.expunge_all()
    assert message.id is not None and item.id is not None
    return message.id, item.id


def _read(engine: Engine, statement: Any) -> list[Any]:
    """Rows read in a session of their own and detached: the app's requests share the database."""
    with Session(engine, expire_on_commit=False) as session:
        rows = list(session.exec(statement).all())
        session.expunge_all()
    return rows


def _copies_of(engine: Engine, message_id: int) -> list[Message]:
    return _read(engine, select(Message).where(Message.resend_of_id == message_id))


def _item(engine: Engine, item_id: int) -> OpenItem:
    [item] = _read(engine, select(OpenItem).where(OpenItem.id == item_id))
    return item


def _resend_entries(engine: Engine) -> list[AuditEntry]:
    return _read(engine, select(AuditEntry).where(AuditEntry.action == "resend"))


def _press(client: TestClient, page_url: str, action: str) -> tuple[str, int, str | None]:
    page = client.get(page_url)
    assert page.status_code == 200
    assert f'action="{action}"' in page.text, "no resend button on the page"
    form = re.search(rf'<form method="post" action="{re.escape(action)}">(.*?)</form>', page.text, re.S)
    assert form is not None
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(1)))
    response = client.post(action, data=fields)
    return page.text, response.status_code, response.headers.get("location")


def test_a_consultant_resends_an_undelivered_message_from_its_item(
    db: Session, engine: Engine, world: dict[str, object], login: Callable[[Staff], TestClient],
    now: datetime,
) -> None:
    amal, anna = world["amal"], world["anna"]
    assert isinstance(amal, Citizen) and isinstance(anna, Staff)
    message_id, item_id = _failed(db, amal, now)
    client = login(anna)

    page, status, location = _press(client, f"/admin/items/{item_id}", f"/admin/items/{item_id}/resend")

    assert "Send beskeden igen" in page  # the panel speaks Danish by default
    assert (status, location) == (303, f"/admin/items/{item_id}")
    [copy] = _copies_of(engine, message_id)
    assert (copy.status, copy.direction, copy.phone, copy.template) == (
        MessageStatus.queued, Direction.outbound, amal.phone, "reply.help")
    assert copy.due_at == now
    item = _item(engine, item_id)
    assert item.resolved_at == now and item.resolved_by_id == anna.id
    assert item.details["resent"] == {"message_id": copy.id, "at": now.isoformat(), "by_staff_id": anna.id}
    [entry] = _resend_entries(engine)
    assert (entry.staff_id, entry.subject) == (anna.id, f"message:{message_id}")
    assert entry.details["resent_as"] == copy.id and entry.details["items"] == [item_id]
    after = client.get(f"/admin/items/{item_id}").text
    assert "Sendt igen" in after and f'action="/admin/items/{item_id}/resend"' not in after


def test_a_second_click_sends_no_second_copy(
    db: Session, engine: Engine, world: dict[str, object], login: Callable[[Staff], TestClient],
    now: datetime,
) -> None:
    amal, anna = world["amal"], world["anna"]
    assert isinstance(amal, Citizen) and isinstance(anna, Staff)
    message_id, item_id = _failed(db, amal, now)
    client = login(anna)
    token = csrf_of(client.get(f"/admin/items/{item_id}").text)

    for _ in range(2):
        assert client.post(f"/admin/items/{item_id}/resend", data={"csrf_token": token}).status_code == 303
    assert client.post(f"/admin/messages/{message_id}/resend", data={"csrf_token": token}).status_code == 303

    assert len(_copies_of(engine, message_id)) == 1
    assert len(_resend_entries(engine)) == 1


def test_a_message_that_may_not_have_been_sent_is_resent_in_english(
    db: Session, engine: Engine, world: dict[str, object], login: Callable[[Staff], TestClient],
    now: datetime,
) -> None:
    amal, anna = world["amal"], world["anna"]
    assert isinstance(amal, Citizen) and isinstance(anna, Staff)
    message_id, item_id = _failed(db, amal, now, maybe_not_sent=True)
    client = login(anna)
    client.cookies.set("admin_lang", "en")

    page, status, _ = _press(client, f"/admin/items/{item_id}", f"/admin/items/{item_id}/resend")

    assert "Resend the message" in page and status == 303
    assert len(_copies_of(engine, message_id)) == 1
    assert "Resent " in client.get(f"/admin/items/{item_id}").text


def test_resend_needs_the_csrf_token_and_access(
    db: Session, engine: Engine, world: dict[str, object], login: Callable[[Staff], TestClient],
    now: datetime,
) -> None:
    amal, anna, bo = world["amal"], world["anna"], world["bo"]
    assert isinstance(amal, Citizen) and isinstance(anna, Staff) and isinstance(bo, Staff)
    message_id, item_id = _failed(db, amal, now)

    assert login(anna).post(f"/admin/items/{item_id}/resend", data={}).status_code == 403
    other = login(bo)  # another consultant's citizen: not found, as if it did not exist
    token = csrf_of(other.get("/admin/").text)
    assert other.post(f"/admin/items/{item_id}/resend", data={"csrf_token": token}).status_code == 404
    assert other.post(f"/admin/messages/{message_id}/resend", data={"csrf_token": token}).status_code == 404
    assert _copies_of(engine, message_id) == []


def test_the_hearing_sms_is_resent_from_the_hearing_page(
    db: Session, engine: Engine, world: dict[str, object], login: Callable[[Staff], TestClient],
    now: datetime,
) -> None:
    amal, caseworker = world["amal"], world["caseworker"]
    assert isinstance(amal, Citizen) and isinstance(caseworker, Staff)
    message_id, item_id = _failed(db, amal, now, purpose="hearing")
    assert caseworker.id is not None and amal.id is not None
    case = HearingCase(
        reference="H-2026-000001", citizen_id=amal.id, opened_by_id=caseworker.id, opened_at=now,
        period_from=date(2026, 11, 1), period_to=date(2026, 11, 20), reply_deadline=now + timedelta(days=14),
        notice_message_id=message_id,
    )
    db.add(case)
    db.commit()
    db.expunge_all()
    client = login(caseworker)

    _, status, location = _press(client, f"/admin/hearings/{case.id}", f"/admin/messages/{message_id}/resend")

    assert (status, location) == (303, f"/admin/hearings/{case.id}")
    [copy] = _copies_of(engine, message_id)
    assert copy.purpose == "hearing"
    item = _item(engine, item_id)
    assert item.resolved_at == now and item.details["resent"]["message_id"] == copy.id
    after = client.get(f"/admin/hearings/{case.id}").text
    assert f'action="/admin/messages/{message_id}/resend"' not in after  # the page shows the copy now
    assert f'action="/admin/messages/{copy.id}/resend"' not in after  # queued: nothing to resend
