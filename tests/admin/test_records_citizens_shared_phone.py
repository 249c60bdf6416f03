"""A number another citizen already holds: the panel refuses it naming the holder, with what was
typed kept, until staff tick "shares phone with …"; keeping a number already shared asks nothing."""

from __future__ import annotations

from sqlmodel import select

from bot.contacts.models import Citizen
from tests.admin.conftest import csrf_of


def test_a_new_citizen_on_another_citizens_number_is_asked_about_first(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/citizens/new")
    assert 'name="shares_phone"' not in form.text
    typed = {"csrf_token": csrf_of(form.text), "name": "Omar Hassan", "phone": "+45 20 00 00 01", "language": "ar"}
    refused = anna.post("/admin/citizens/new", data=typed)
    assert refused.status_code == 422
    assert "Dette nummer tilhører allerede Amal Hassan." in refused.text
    assert "Deler telefon med Amal Hassan" in refused.text
    assert 'value="Omar Hassan"' in refused.text and 'value="+45 20 00 00 01"' in refused.text
    assert 'name="shares_phone" type="checkbox" value="+4520000001">' in refused.text
    assert db.exec(select(Citizen).where(Citizen.name == "Omar Hassan")).first() is None
    db.rollback()
    # Ticked for another number than the one typed now: asked again, about the number now typed.
    elsewhere = anna.post("/admin/citizens/new", data={**typed, "phone": "20000002", "shares_phone": "+4520000001"})
    assert elsewhere.status_code == 422 and "Bashir Ahmadi" in elsewhere.text
    saved = anna.post("/admin/citizens/new", data={**typed, "shares_phone": "+4520000001"})
    assert saved.status_code == 303
    omar = db.exec(select(Citizen).where(Citizen.name == "Omar Hassan")).one()
    assert omar.phone == "+4520000001"
    assert [s["first_name"] for s in omar.shared_with] == ["Amal"]
    omar_id = omar.id
    db.rollback()
    # Editing someone of that household, number unchanged: saved without asking.
    edit = anna.get(f"/admin/citizens/{omar_id}/edit")
    kept = anna.post(f"/admin/citizens/{omar_id}/edit", data={
        "csrf_token": csrf_of(edit.text), "name": "Omar Hassan", "phone": "20 00 00 01", "language": "so"})
    assert kept.status_code == 303
    db.rollback()
    assert db.get(Citizen, omar_id).language == "so"  # type: ignore[union-attr]


def test_a_ticked_box_stays_ticked_when_another_field_is_wrong(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    anna.cookies.set("admin_lang", "en")
    form = anna.get(f"/admin/citizens/{amal.id}/edit")
    moved = {"csrf_token": csrf_of(form.text), "name": "Amal Hassan", "phone": "20000002", "language": "ar"}
    refused = anna.post(f"/admin/citizens/{amal.id}/edit", data=moved)
    assert refused.status_code == 422
    assert "This number already belongs to Bashir Ahmadi." in refused.text
    assert "Shares phone with Bashir Ahmadi" in refused.text
    wrong = anna.post(f"/admin/citizens/{amal.id}/edit", data={
        **moved, "nickname": "far too many words here", "shares_phone": "+4520000002"})
    assert wrong.status_code == 422 and 'id="nickname-error"' in wrong.text
    assert 'value="+4520000002" checked>' in wrong.text
    assert db.get(Citizen, amal.id).phone == "+4520000001"  # type: ignore[union-attr]
