"""Appointments, weekly classes, companies and the CSV import through the panel's forms."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.channels.models import Message
from bot.contacts.models import Employer, EmployerContact
from bot.reminders.models import Appointment, AppointmentStatus
from tests.admin.conftest import csrf_of


def test_a_weekly_class_is_created_in_local_time_and_audited(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    form = anna.get(f"/admin/appointments/new?citizen_id={amal.id}&repeat=weekly")
    assert form.status_code == 200 and "Mandag" in form.text
    made = anna.post("/admin/appointments/new", data={
        "csrf_token": csrf_of(form.text), "citizen_id": str(amal.id), "kind": "class", "title": "Dansk 2",
        "repeat": "weekly", "weekdays": ["0", "2"], "start_time": "09:00", "end_time": "12:00",
        "first_date": "2026-11-30", "until_date": "2026-12-13", "skip_holidays": "1"})
    assert made.status_code == 303, made.text
    rows = db.exec(select(Appointment).where(Appointment.citizen_id == amal.id)).all()
    # Mon 30 Nov, Wed 2 Dec, Mon 7, Wed 9 Dec at 09:00 Copenhagen = 08:00 UTC.
    assert len(rows) == 4 and {r.starts_at.hour for r in rows} == {8}
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "create")).one()
    assert entry.subject.startswith("series:") and entry.details["appointments"] == 4
    db.rollback()
    refused = anna.post("/admin/appointments/new", data={
        "csrf_token": csrf_of(form.text), "citizen_id": str(amal.id), "kind": "class", "repeat": "weekly",
        "start_time": "09:00", "first_date": "2026-11-30", "until_date": "2026-12-13", "title": "Dansk 3"})
    assert refused.status_code == 422 and 'id="weekdays-error"' in refused.text
    assert 'value="Dansk 3"' in refused.text
    # Bo's citizen is not Anna's to book.
    other = anna.post("/admin/appointments/new", data={
        "csrf_token": csrf_of(form.text), "citizen_id": str(world["bashir"].id), "kind": "meeting",
        "starts_at": "2026-11-26T10:00"})
    assert other.status_code == 422 and 'id="citizen_id-error"' in other.text


def test_moving_and_cancelling_tell_the_citizen_as_the_api_does(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    amal = world["amal"]
    form = anna.get("/admin/appointments/new")
    made = anna.post("/admin/appointments/new", data={
        "csrf_token": csrf_of(form.text), "citizen_id": str(amal.id), "kind": "meeting",
        "repeat": "once", "starts_at": "2026-11-26T10:00", "ends_at": "2026-11-26T11:00"})
    assert made.status_code == 303, made.text
    appointment = db.exec(select(Appointment)).one()
    assert appointment.starts_at.hour == 9  # 10:00 local
    appointment_id, first_start = appointment.id, appointment.starts_at
    db.rollback()
    edit = anna.get(f"/admin/appointments/{appointment_id}/edit")
    assert 'value="2026-11-26T10:00"' in edit.text
    moved = anna.post(f"/admin/appointments/{appointment_id}/edit", data={
        "csrf_token": csrf_of(edit.text), "action": "move", "starts_at": "2026-11-27T13:00", "notify": "1"})
    assert moved.status_code == 303
    db.expire_all()
    row = db.get(Appointment, appointment_id)
    assert row is not None and row.starts_at == first_start + timedelta(days=1, hours=3)
    told = db.exec(select(Message).where(Message.phone == amal.phone)).all()
    assert len(told) == 1
    db.rollback()
    cancelled = anna.post(f"/admin/appointments/{appointment_id}/edit", data={
        "csrf_token": csrf_of(edit.text), "action": "cancel", "reason": "sygdom hos underviser", "notify": "1"})
    assert cancelled.status_code == 303
    db.expire_all()
    row = db.get(Appointment, appointment_id)
    assert row is not None and row.status == AppointmentStatus.cancelled
    assert len(db.exec(select(Message).where(Message.phone == amal.phone)).all()) == 2
    actions = [e.action for e in db.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]
    assert actions[-2:] == ["move", "cancel"]
    db.rollback()
    assert login(world["bo"]).get(f"/admin/appointments/{appointment_id}/edit").status_code == 404
    assert login(world["caseworker"]).get("/admin/appointments/new").status_code == 404


def test_companies_and_contacts_are_added_and_changed_by_their_consultant(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/companies/new")
    bad = anna.post("/admin/companies/new", data={"csrf_token": csrf_of(form.text), "name": "Kro", "cvr": "12"})
    assert bad.status_code == 422 and "CVR-nummer har 8 cifre" in bad.text and 'value="Kro"' in bad.text
    made = anna.post("/admin/companies/new", data={
        "csrf_token": csrf_of(form.text), "name": "Kroen I/S", "cvr": "DK 1234 5678"})
    assert made.status_code == 303
    company = db.exec(select(Employer).where(Employer.name == "Kroen I/S")).one()
    assert (company.cvr, company.consultant_id) == ("12345678", world["anna"].id)
    company_id = company.id
    db.rollback()
    page = anna.get(f"/admin/companies/{company_id}")
    assert f'href="/admin/companies/{company_id}/contacts/new"' in page.text
    added = anna.post(f"/admin/companies/{company_id}/contacts/new", data={
        "csrf_token": csrf_of(page.text), "name": "Kim Kok", "phone": "31 22 33 44", "language": "en"})
    assert added.status_code == 303
    contact = db.exec(select(EmployerContact).where(EmployerContact.name == "Kim Kok")).one()
    assert contact.phone == "+4531223344"
    contact_id = contact.id
    db.rollback()
    changed = anna.post(f"/admin/companies/{company_id}/contacts/{contact_id}/edit", data={
        "csrf_token": csrf_of(page.text), "name": "Kim Kok", "phone": "+4520000001", "language": "en"})
    assert changed.status_code == 422 and "Amal Hassan" in changed.text  # a citizen's number
    subjects = {e.subject for e in db.exec(select(AuditEntry)).all()}
    assert {f"employer:{company_id}", f"employer_contact:{contact_id}"} <= subjects
    db.rollback()
    assert login(world["bo"]).get(f"/admin/companies/{company_id}/edit").status_code == 404


def test_an_import_previews_every_row_and_a_bad_row_imports_nothing(world, login, db) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    form = anna.get("/admin/import")
    amal, bashir = world["amal"], world["bashir"]
    text = ("citizen_id,kind,starts_at,title\n"
            f"{amal.id},class,2026-11-30 09:00,Dansk\n"
            f"{bashir.id},meeting,2026-11-30 10:00,Samtale\n"
            f"{amal.id},party,2026-12-01 09:00,Fest\n")
    preview = anna.post("/admin/import", data={"csrf_token": csrf_of(form.text)},
                        files={"file": ("a.csv", text.encode(), "text/csv")})
    assert preview.status_code == 422
    assert "Ingen borger i din sagsstamme har dette id." in preview.text  # Bo's citizen
    assert "Ukendt slags aftale" in preview.text and "Dansk" in preview.text
    assert "/admin/import/confirm" not in preview.text
    assert db.exec(select(Appointment)).first() is None
    db.rollback()
    good = "citizen_id,kind,starts_at,title\n" + f"{amal.id},class,2026-11-30 09:00,Dansk\n"
    ok = anna.post("/admin/import", data={"csrf_token": csrf_of(form.text)},
                   files={"file": ("a.csv", good.encode(), "text/csv")})
    assert ok.status_code == 200 and "/admin/import/confirm" in ok.text
    assert db.exec(select(Appointment)).first() is None
    db.rollback()
    done = anna.post("/admin/import/confirm", data={"csrf_token": csrf_of(form.text), "content": good})
    assert done.status_code == 200 and "1 aftaler blev importeret" in done.text
    assert len(db.exec(select(Appointment)).all()) == 1
    assert db.exec(select(AuditEntry).where(AuditEntry.action == "import")).one().details["rows"] == 1
    db.rollback()
