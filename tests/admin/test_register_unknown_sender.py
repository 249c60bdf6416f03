"""An unknown number wrote: staff register it as a citizen or an employer contact from its item,
and the item closes because the question it asked ("who is this?") is answered."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.contacts.models import Citizen, EmployerContact
from bot.items import service as items
from bot.items.models import ItemKind, OpenItem
from tests.admin.conftest import csrf_of

UNKNOWN = "+4571234567"


def _unknown_sender_item(db: Session, now: datetime) -> int:
    item = items.open(
        db, kind=ItemKind.unknown_sender, summary="", now=now - timedelta(minutes=5),
        dedupe_key=f"unknown_sender:{UNKNOWN}", phone=UNKNOWN, due_at=now + timedelta(hours=24),
        summary_id="unknown_sender",
    )
    db.commit()
    assert item.id is not None
    return item.id


def test_registering_the_number_as_a_citizen_closes_its_item(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item_id = _unknown_sender_item(db, now)
    db.expunge_all()
    anna = login(world["lead"])  # unknown senders wait on the team lead's list
    page = anna.get(f"/admin/items/{item_id}").text
    assert "/admin/citizens/new?phone=%2B4571234567" in page
    form = anna.get("/admin/citizens/new?phone=%2B4571234567")
    assert 'value="+4571234567"' in form.text  # the number that wrote is filled in
    made = anna.post("/admin/citizens/new", data={
        "csrf_token": csrf_of(form.text), "name": "Hiwet Tesfay", "phone": UNKNOWN, "language": "ti",
        "consultant_id": str(world["anna"].id)})
    assert made.status_code == 303
    assert db.exec(select(Citizen.id).where(Citizen.phone == UNKNOWN)).one() is not None
    assert db.get(OpenItem, item_id).resolved_at is not None  # type: ignore[union-attr]
    db.rollback()


def test_registering_the_number_as_an_employer_contact_goes_through_the_company(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    item_id = _unknown_sender_item(db, now)
    db.expunge_all()
    anna = login(world["lead"])
    assert "/admin/companies?register_phone=%2B4571234567" in anna.get(f"/admin/items/{item_id}").text
    listing = anna.get("/admin/companies?register_phone=%2B4571234567").text
    bakery = world["bakery"].id
    assert f"/admin/companies/{bakery}/contacts/new?phone=%2B4571234567" in listing
    form = anna.get(f"/admin/companies/{bakery}/contacts/new?phone=%2B4571234567")
    assert 'value="+4571234567"' in form.text
    made = anna.post(f"/admin/companies/{bakery}/contacts/new", data={
        "csrf_token": csrf_of(form.text), "name": "Lars Lager", "phone": UNKNOWN, "language": "da"})
    assert made.status_code == 303
    assert db.exec(select(EmployerContact.id).where(EmployerContact.phone == UNKNOWN)).one() is not None
    assert db.get(OpenItem, item_id).resolved_at is not None  # type: ignore[union-attr]
    db.rollback()
