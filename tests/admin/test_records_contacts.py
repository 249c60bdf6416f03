"""One contact form for a company's and a language centre's contacts: it names the record, its
links lead back there, and a contact is found only under the record it belongs to."""

from __future__ import annotations

from sqlmodel import select

from bot.contacts.centre_models import CentreContact, LanguageCentre
from tests.admin.conftest import csrf_of


def _centre_with_contact(db, now) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    centre = LanguageCentre(name="Sprogcenter Nord", created_at=now)
    db.add(centre)
    db.commit()
    contact = CentreContact(centre_id=centre.id, name="Lise Lærer", phone="+4540112233")
    db.add(contact)
    db.commit()
    ids = (centre.id, contact.id)
    db.expunge_all()
    return ids


def test_the_form_names_the_record_and_links_back_to_it(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    centre_id, _ = _centre_with_contact(db, now)
    bakery, baker = world["bakery"].id, world["baker"].id
    anna = login(world["anna"])
    company = anna.get(f"/admin/companies/{bakery}/contacts/{baker}/edit").text
    assert "Bageriet ApS" in company and 'value="Mette Bager"' in company
    assert f'action="/admin/companies/{bakery}/contacts/{baker}/edit"' in company
    assert f'href="/admin/companies/{bakery}"' in company
    centre = anna.get(f"/admin/centres/{centre_id}/contacts/new").text
    assert "Sprogcenter Nord" in centre
    assert f'action="/admin/centres/{centre_id}/contacts/new"' in centre and 'href="/admin/centres"' in centre
    admin = login(world["admin"]).get(f"/admin/companies/{bakery}/contacts/new").text
    assert 'href="/admin/"' in admin  # an admin changes companies but reads no company page


def test_a_contact_is_found_only_under_its_own_record(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    centre_id, contact_id = _centre_with_contact(db, now)
    other = LanguageCentre(name="Sprogcenter Syd", created_at=now)
    db.add(other)
    db.commit()
    other_id = other.id
    db.expunge_all()
    bakery, dock, docker = world["bakery"].id, world["dock"].id, world["docker"].id
    anna = login(world["anna"])
    assert anna.get(f"/admin/centres/{other_id}/contacts/{contact_id}/edit").status_code == 404
    assert anna.get(f"/admin/companies/{bakery}/contacts/{docker}/edit").status_code == 404
    assert anna.get(f"/admin/companies/{dock}/contacts/new").status_code == 404  # Bo's company
    form = anna.get(f"/admin/centres/{centre_id}/contacts/{contact_id}/edit")
    refused = anna.post(f"/admin/centres/{centre_id}/contacts/{contact_id}/edit", data={
        "csrf_token": csrf_of(form.text), "name": "", "phone": "+4540112233", "language": "da"})
    assert refused.status_code == 422 and 'id="name-error"' in refused.text
    assert 'name="opted_out"' in refused.text  # the edit form again, not the new one
    assert db.exec(select(CentreContact)).one().name == "Lise Lærer"
    db.rollback()
