"""Language centres and their contacts through the panel's forms: the API's checks, errors beside
the field with what was typed kept, an audit entry per change, and only for those who may."""

from __future__ import annotations

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.contacts.centre_models import CentreContact, LanguageCentre
from tests.admin.conftest import csrf_of


def test_a_consultant_adds_and_renames_a_centre_and_each_change_is_audited(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/centres/new")
    assert form.status_code == 200
    made = anna.post("/admin/centres/new", data={
        "csrf_token": csrf_of(form.text), "name": "  Sprogcenter   Nord ", "address": "Havnegade 1"})
    assert made.status_code == 303 and made.headers["location"] == "/admin/centres"
    centre = db.exec(select(LanguageCentre)).one()
    assert (centre.name, centre.address) == ("Sprogcenter Nord", "Havnegade 1")
    centre_id = centre.id
    db.rollback()
    assert "Sprogcenter Nord" in anna.get("/admin/centres").text
    edit = anna.get(f"/admin/centres/{centre_id}/edit")
    assert 'value="Havnegade 1"' in edit.text
    saved = anna.post(f"/admin/centres/{centre_id}/edit", data={
        "csrf_token": csrf_of(edit.text), "name": "Sprogcenter Nord", "address": "Strandvej 2"})
    assert saved.status_code == 303
    entries = db.exec(select(AuditEntry).where(AuditEntry.subject == f"centre:{centre_id}")
                      .order_by(AuditEntry.id)).all()  # type: ignore[arg-type]
    assert [(e.action, e.staff_id) for e in entries] == [("create", world["anna"].id), ("update", world["anna"].id)]
    assert entries[1].details["fields"] == ["address"]
    db.rollback()


def test_a_taken_name_is_shown_beside_the_field_and_what_was_typed_is_kept(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    db.add(LanguageCentre(name="Sprogcenter Nord", created_at=now))
    db.commit()
    lead = login(world["lead"])
    form = lead.get("/admin/centres/new")
    refused = lead.post("/admin/centres/new", data={
        "csrf_token": csrf_of(form.text), "name": "Sprogcenter Nord", "address": "Et andet sted 3"})
    assert refused.status_code == 422
    assert 'id="name-error"' in refused.text and "findes allerede" in refused.text
    assert 'value="Et andet sted 3"' in refused.text
    assert len(db.exec(select(LanguageCentre)).all()) == 1
    db.rollback()


def test_contacts_at_a_centre_are_added_changed_and_kept_when_they_stop_sms(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    centre = LanguageCentre(name="Sprogcenter Nord", created_at=now)
    db.add(centre)
    db.commit()
    centre_id = centre.id
    db.expunge_all()
    anna = login(world["anna"])
    form = anna.get(f"/admin/centres/{centre_id}/contacts/new")
    refused = anna.post(f"/admin/centres/{centre_id}/contacts/new", data={
        "csrf_token": csrf_of(form.text), "name": "Lise Lærer", "phone": "+4530000001", "language": "da"})
    assert refused.status_code == 422 and "Mette Bager" in refused.text and 'value="Lise Lærer"' in refused.text
    made = anna.post(f"/admin/centres/{centre_id}/contacts/new", data={
        "csrf_token": csrf_of(form.text), "name": "Lise Lærer", "phone": "40 11 22 33", "language": "da"})
    assert made.status_code == 303
    contact = db.exec(select(CentreContact)).one()
    contact_id = contact.id
    assert (contact.phone, contact.centre_id) == ("+4540112233", centre_id)
    db.rollback()
    edit = anna.get(f"/admin/centres/{centre_id}/contacts/{contact_id}/edit")
    saved = anna.post(f"/admin/centres/{centre_id}/contacts/{contact_id}/edit", data={
        "csrf_token": csrf_of(edit.text), "name": "Lise Lærer", "phone": "+4540112233", "language": "da",
        "opted_out": "1"})
    assert saved.status_code == 303
    kept = db.get(CentreContact, contact_id)
    assert kept is not None and kept.opted_out and kept.opted_out_at is not None
    entry = db.exec(select(AuditEntry).where(AuditEntry.subject == f"centre_contact:{contact_id}",
                                             AuditEntry.action == "update")).one()
    assert entry.details["fields"] == ["opted_out"]
    db.rollback()


def test_roles_that_may_not_change_centres_get_not_found(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    centre = LanguageCentre(name="Sprogcenter Nord", created_at=now)
    db.add(centre)
    db.commit()
    centre_id = centre.id
    db.expunge_all()
    for who in ("caseworker", "benefits"):
        client = login(world[who])
        for path in ("/admin/centres", "/admin/centres/new", f"/admin/centres/{centre_id}/edit",
                     f"/admin/centres/{centre_id}/contacts/new"):
            assert client.get(path).status_code == 404, (who, path)
