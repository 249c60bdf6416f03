"""Adding and changing citizens in the panel: the API's validation, errors beside the field in the
reader's language with what was typed kept, an audit entry per change, and only for those who
may change the record."""

from __future__ import annotations

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.contacts.models import Citizen
from tests.admin.conftest import csrf_of


def test_a_consultant_adds_a_citizen_to_their_own_caseload(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/citizens/new")
    assert form.status_code == 200
    assert "Ny borger" in form.text and "Tigrinya" in form.text.title()
    made = anna.post("/admin/citizens/new", data={
        "csrf_token": csrf_of(form.text), "name": "  Yonas   Tesfay ", "phone": "20 55 44 33",
        "language": "ti", "consultant_id": str(world["bo"].id)})
    assert made.status_code == 303
    citizen = db.exec(select(Citizen).where(Citizen.name == "Yonas Tesfay")).one()
    # Normalised as the API does, and in Anna's caseload whatever the form said.
    assert (citizen.phone, citizen.language, citizen.consultant_id) == ("+4520554433", "ti", world["anna"].id)
    assert made.headers["location"] == f"/admin/citizens/{citizen.id}"
    entry = db.exec(select(AuditEntry).where(AuditEntry.subject == f"citizen:{citizen.id}")).one()
    assert (entry.action, entry.staff_id) == ("create", world["anna"].id)
    db.rollback()


def test_a_bad_phone_is_explained_beside_the_field_and_the_form_keeps_what_was_typed(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/citizens/new")
    refused = anna.post("/admin/citizens/new", data={
        "csrf_token": csrf_of(form.text), "name": "Sara Noor", "phone": "123", "language": "so"})
    assert refused.status_code == 422
    assert 'id="phone-error"' in refused.text and "Skriv et telefonnummer" in refused.text
    assert 'value="Sara Noor"' in refused.text and 'value="123"' in refused.text
    assert '<option value="so" selected>' in refused.text
    taken = anna.post("/admin/citizens/new", data={
        "csrf_token": csrf_of(form.text), "name": "Sara Noor", "phone": "+4530000001"})
    assert taken.status_code == 422 and "Mette Bager" in taken.text
    assert db.exec(select(Citizen).where(Citizen.name == "Sara Noor")).first() is None
    db.rollback()
    anna.cookies.set("admin_lang", "en")
    english = anna.post("/admin/citizens/new", data={"csrf_token": csrf_of(form.text), "name": " "})
    assert english.status_code == 422 and "Write the name." in english.text


def test_editing_changes_only_what_was_changed_and_records_which_fields(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    form = anna.get(f"/admin/citizens/{amal.id}/edit")
    assert 'value="Amal Hassan"' in form.text and 'name="consultant_id"' not in form.text
    saved = anna.post(f"/admin/citizens/{amal.id}/edit", data={
        "csrf_token": csrf_of(form.text), "name": "Amal Hassan", "phone": "+4520000001", "language": "ar",
        "nickname": "Mimi", "opted_out": "1"})
    assert saved.status_code == 303
    citizen = db.get(Citizen, amal.id)
    assert citizen is not None and (citizen.nickname, citizen.opted_out) == ("Mimi", True)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.details["fields"] == ["nickname", "opted_out"]
    db.rollback()
    refused = anna.post(f"/admin/citizens/{amal.id}/edit", data={
        "csrf_token": csrf_of(form.text), "name": "Amal Hassan", "nickname": "far too many words here"})
    assert refused.status_code == 422 and 'id="nickname-error"' in refused.text
    assert 'value="far too many words here"' in refused.text


def test_only_those_who_may_change_a_citizen_see_the_forms(world, login, db) -> None:  # type: ignore[no-untyped-def]
    amal = world["amal"]
    for who in ("caseworker", "benefits", "bo"):
        client = login(world[who])
        assert client.get(f"/admin/citizens/{amal.id}/edit").status_code == 404, who
        if who != "bo":
            assert client.get("/admin/citizens/new").status_code == 404, who
    lead = login(world["lead"])
    form = lead.get(f"/admin/citizens/{amal.id}/edit")
    assert form.status_code == 200 and 'name="consultant_id"' in form.text
    moved = lead.post(f"/admin/citizens/{amal.id}/edit", data={
        "csrf_token": csrf_of(form.text), "name": "Amal Hassan", "phone": "+4520000001", "language": "ar",
        "consultant_id": str(world["bo"].id)})
    assert moved.status_code == 303
    citizen = db.get(Citizen, amal.id)
    assert citizen is not None and citizen.consultant_id == world["bo"].id
    db.rollback()
    # The citizens list and the citizen page lead to the forms.
    bo = login(world["bo"])
    assert 'href="/admin/citizens/new"' in bo.get("/admin/citizens").text
    assert f'href="/admin/citizens/{amal.id}/edit"' in bo.get(f"/admin/citizens/{amal.id}").text
