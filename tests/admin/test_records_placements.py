"""A citizen's placements through the panel's forms: the API's checks, errors beside the field
with what was typed kept, an audit entry per change, ended by an end date and never deleted, and
only for those who may change the citizen."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.reminders.models import Placement, PlacementKind
from tests.admin.conftest import csrf_of


def test_a_consultant_places_their_citizen_at_a_company_and_it_is_audited(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    form = anna.get(f"/admin/citizens/{amal.id}/placements/new")
    assert form.status_code == 200 and "Bageriet ApS" in form.text and "Virksomhedspraktik" in form.text
    made = anna.post(f"/admin/citizens/{amal.id}/placements/new", data={
        "csrf_token": csrf_of(form.text), "employer_id": str(world["bakery"].id), "kind": "wage_subsidy",
        "start_date": "2026-01-05", "end_date": "", "purpose": " Bageri og kasse ",
        "hours_start": ["07:00", "", "07:00", "", "", "", ""], "hours_end": ["15:00", "", "", "", "", "", ""]})
    assert made.status_code == 303 and made.headers["location"] == f"/admin/citizens/{amal.id}"
    placement = db.exec(select(Placement).where(Placement.citizen_id == amal.id)).one()
    assert (placement.kind, placement.start_date, placement.end_date, placement.purpose) == (
        PlacementKind.wage_subsidy, date(2026, 1, 5), None, "Bageri og kasse")
    assert placement.weekly_schedule == [{"weekday": 0, "start": "07:00", "end": "15:00"},
                                         {"weekday": 2, "start": "07:00", "end": None}]
    entry = db.exec(select(AuditEntry).where(AuditEntry.subject == f"placement:{placement.id}")).one()
    assert (entry.action, entry.staff_id) == ("create", world["anna"].id)
    db.rollback()
    again = anna.get(f"/admin/citizens/{amal.id}/placements/new")
    assert f"/admin/placements/{placement.id}/edit" in again.text


def test_an_end_date_before_the_start_is_shown_beside_the_field_and_what_was_typed_is_kept(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    form = anna.get(f"/admin/citizens/{amal.id}/placements/new")
    refused = anna.post(f"/admin/citizens/{amal.id}/placements/new", data={
        "csrf_token": csrf_of(form.text), "employer_id": str(world["bakery"].id), "kind": "igu",
        "start_date": "2026-03-01", "end_date": "2026-02-01", "purpose": "Lager"})
    assert refused.status_code == 422
    assert 'id="end_date-error"' in refused.text and "Angiv en slutdato" in refused.text
    assert 'value="2026-02-01"' in refused.text and 'value="Lager"' in refused.text
    assert '<option value="igu" selected>' in refused.text
    assert db.exec(select(Placement)).first() is None
    db.rollback()
    anna.cookies.set("admin_lang", "en")
    english = anna.post(f"/admin/citizens/{amal.id}/placements/new", data={
        "csrf_token": csrf_of(form.text), "kind": "job", "start_date": "2026-03-01"})
    assert english.status_code == 422 and "Choose a company from the list." in english.text


def test_editing_ends_the_placement_and_names_the_changed_fields(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal, bakery = world["amal"], world["bakery"]
    placement = Placement(citizen_id=amal.id, employer_id=bakery.id, start_date=date(2026, 1, 5), created_at=now)
    db.add(placement)
    db.commit()
    placement_id = placement.id
    db.expunge_all()
    anna = login(world["anna"])
    form = anna.get(f"/admin/placements/{placement_id}/edit")
    assert form.status_code == 200 and "Mette Bager" in form.text and 'value="2026-01-05"' in form.text
    saved = anna.post(f"/admin/placements/{placement_id}/edit", data={
        "csrf_token": csrf_of(form.text), "kind": "internship", "start_date": "2026-01-05",
        "end_date": "2026-04-30", "contact_id": str(world["baker"].id)})
    assert saved.status_code == 303
    ended = db.get(Placement, placement_id)
    assert ended is not None and (ended.end_date, ended.contact_id) == (date(2026, 4, 30), world["baker"].id)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.details["fields"] == ["contact_id", "end_date"]
    db.rollback()
    # A contact at another company is refused beside its field.
    refused = anna.post(f"/admin/placements/{placement_id}/edit", data={
        "csrf_token": csrf_of(form.text), "kind": "internship", "start_date": "2026-01-05",
        "contact_id": str(world["docker"].id)})
    assert refused.status_code == 422 and 'id="contact_id-error"' in refused.text
    # Working hours that end before they start are refused beside the hours, as typed.
    hours = anna.post(f"/admin/placements/{placement_id}/edit", data={
        "csrf_token": csrf_of(form.text), "kind": "internship", "start_date": "2026-01-05",
        "hours_start": ["", "14:00", "", "", "", "", ""], "hours_end": ["", "09:00", "", "", "", "", ""]})
    assert hours.status_code == 422 and 'id="weekly_schedule-error"' in hours.text
    assert "Giv hver arbejdsdag" in hours.text and 'value="14:00"' in hours.text and 'value="09:00"' in hours.text


def test_only_those_who_may_change_the_citizen_reach_the_placement_forms(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    amal = world["amal"]
    placement = Placement(citizen_id=amal.id, employer_id=world["bakery"].id, start_date=date(2026, 1, 5),
                          created_at=now)
    db.add(placement)
    db.commit()
    placement_id = placement.id
    db.expunge_all()
    for who in ("caseworker", "benefits", "bo"):
        client = login(world[who])
        assert client.get(f"/admin/citizens/{amal.id}/placements/new").status_code == 404, who
        assert client.get(f"/admin/placements/{placement_id}/edit").status_code == 404, who
    assert login(world["lead"]).get(f"/admin/placements/{placement_id}/edit").status_code == 200
