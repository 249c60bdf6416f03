"""A consultant takes a sick notice or a cancellation by phone in the panel.

The record counts from the time of the call, gets the same receipt as an SMS, and a refused form
keeps what was typed with the reason beside the field.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, select

from bot.attendance.models import Attendance, Outcome
from bot.audit.models import AuditEntry
from bot.channels.models import Message
from bot.reminders.models import Appointment, AppointmentKind
from bot.sick_notices.models import Cancellation, SickNotice
from tests.admin.conftest import csrf_of


def _class(db: Session, world, starts_at: datetime) -> int:  # type: ignore[no-untyped-def]
    appointment = Appointment(citizen_id=world["amal"].id, kind=AppointmentKind.class_, starts_at=starts_at,
                              title="Dansk 2")
    db.add(appointment)
    db.commit()
    assert appointment.id is not None
    return appointment.id


def test_a_sick_notice_by_phone_counts_from_the_call(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    klass = _class(db, world, now + timedelta(hours=2))
    consultant = login(world["anna"])
    page = consultant.get(f"/admin/citizens/{world['amal'].id}")
    assert "Registrér en sygemelding givet pr. telefon" in page.text
    # The call came 20 minutes ago (07:40 local); it is typed in now.
    made = consultant.post(f"/admin/citizens/{world['amal'].id}/sick-notices", data={
        "csrf_token": csrf_of(page.text), "received_at": "2026-11-24T07:40", "starts_on": "2026-11-24"})
    assert made.status_code == 303
    notice = db.exec(select(SickNotice)).one()
    assert notice.received_at == now - timedelta(minutes=20)
    assert (notice.source, notice.recorded_by_id) == ("phone", world["anna"].id)
    assert db.get(Attendance, klass).outcome == Outcome.absent_with_notice
    receipt = db.get(Message, notice.receipt_message_id)
    assert receipt.template == "absence.receipt" and receipt.locale == "ar"
    assert db.exec(select(AuditEntry).where(AuditEntry.subject == f"absences:{world['amal'].id}",
                                            AuditEntry.action == "create")).one().staff_id == world["anna"].id


def test_a_cancellation_by_phone_is_listed_and_a_bad_form_keeps_what_was_typed(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    klass = _class(db, world, now + timedelta(days=1))
    consultant = login(world["anna"])
    page = consultant.get(f"/admin/citizens/{world['amal'].id}").text
    assert "Dansk 2" in page and f'value="{klass}"' in page
    refused = consultant.post(f"/admin/citizens/{world['amal'].id}/cancellations", data={
        "csrf_token": csrf_of(page), "appointment_id": str(klass), "received_at": "2026-11-25T09:00",
        "reason": "lægebesøg"})
    assert refused.status_code == 422
    assert "kan ikke ligge i fremtiden" in refused.text and 'value="lægebesøg"' in refused.text
    assert db.exec(select(Cancellation)).all() == []
    db.rollback()  # the in-memory database has one connection: end the test's read first
    made = consultant.post(f"/admin/citizens/{world['amal'].id}/cancellations", data={
        "csrf_token": csrf_of(page), "appointment_id": str(klass), "received_at": "", "reason": "lægebesøg"})
    assert made.status_code == 303
    cancellation = db.exec(select(Cancellation)).one()
    assert (cancellation.appointment_id, cancellation.source, cancellation.reason) == (klass, "phone", "lægebesøg")
    assert db.get(Message, cancellation.receipt_message_id).template == "absence.cancellation_noted"
    reference = cancellation.reference
    db.rollback()
    listed = consultant.get(f"/admin/citizens/{world['amal'].id}").text
    assert reference in listed and "Begrundelse: lægebesøg" in listed


def test_only_the_citizens_own_staff_record_by_phone(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    bo = login(world["bo"])
    page = bo.get("/admin/").text
    refused = bo.post(f"/admin/citizens/{world['amal'].id}/sick-notices", data={
        "csrf_token": csrf_of(page), "starts_on": "2026-11-24"})
    assert refused.status_code == 404
    benefits = login(world["benefits"])
    page = benefits.get("/admin/").text
    assert benefits.post(f"/admin/citizens/{world['amal'].id}/cancellations", data={
        "csrf_token": csrf_of(page), "appointment_id": "1"}).status_code == 404
    assert db.exec(select(SickNotice)).all() == []


def test_staff_place_a_cancellation_the_assistant_could_not(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    from bot.sick_notices import cancellations

    klass = _class(db, world, now + timedelta(days=4))
    pending = cancellations.record(db, citizen_id=world["amal"].id, appointment=None, received_at=now,
                                   now=now, tz="Europe/Copenhagen")
    db.commit()
    pending_id = pending.id
    db.rollback()
    consultant = login(world["anna"])
    page = consultant.get(f"/admin/citizens/{world['amal'].id}").text
    assert "aftalen er endnu ikke afklaret" in page and "Placér afbuddet" in page
    place = f"/admin/citizens/{world['amal'].id}/cancellations/{pending_id}/appointment"
    unchosen = consultant.post(place, data={"csrf_token": csrf_of(page), "appointment_id": ""})
    assert unchosen.status_code == 422
    assert "Vælg den aftale, borgeren ikke kan komme til." in unchosen.text
    placed = consultant.post(place, data={"csrf_token": csrf_of(page), "appointment_id": str(klass)})
    assert placed.status_code == 303, placed.text
    db.expire_all()
    cancellation = db.get(Cancellation, pending_id)
    assert cancellation.appointment_id == klass
    assert db.get(Message, cancellation.receipt_message_id).template == "absence.cancellation_noted"
    assert db.get(Attendance, klass).outcome == Outcome.absent_with_notice


def test_the_open_item_is_worded_in_the_readers_language(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _class(db, world, now + timedelta(hours=2))
    consultant = login(world["anna"])
    page = consultant.get(f"/admin/citizens/{world['amal'].id}")
    consultant.post(f"/admin/citizens/{world['amal'].id}/sick-notices", data={
        "csrf_token": csrf_of(page.text), "starts_on": "2026-11-24"})
    danish = consultant.get("/admin/").text
    assert "Amal Hassan: Sygemelding S-2026-000001" in danish
    english = consultant.get("/admin/", headers={"Accept-Language": "en"}).text
    assert "Amal Hassan: Sick notice S-2026-000001" in english


def test_an_item_worded_by_id_falls_back_to_its_summary_and_dates_read_locally() -> None:
    from admin.domains.items import summary_of
    from admin.i18n import Translator
    from bot.items.models import OpenItem

    worded = OpenItem(kind="attendance_missing", summary="No attendance recorded", details={
        "summary_id": "attendance_missing", "summary_params": {"day_on": "2026-11-24"}})
    assert summary_of(worded, Translator("da")) == "Intet fremmøde registreret for aftalen 24. november 2026"
    assert summary_of(worded, Translator("en")) == "No attendance recorded for the appointment on 24 November 2026"
    plain = OpenItem(kind="handover", summary="Amal bad om at tale med en medarbejder", details={})
    assert summary_of(plain, Translator("en")) == "Amal bad om at tale med en medarbejder"


def test_every_item_kind_the_code_words_by_id_has_its_sentence() -> None:
    import re
    from pathlib import Path

    from admin.domains.items import ITEM_SUMMARIES

    used: set[str] = set()
    for path in (Path(__file__).resolve().parents[2] / "bot").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if "summary_id=" in line:  # summary_id="a", or summary_id="a" if ... else "b"
                used |= set(re.findall(r'(?:summary_id=|else )"([a-z_]+)"', line))
    assert used and used <= set(ITEM_SUMMARIES), sorted(used - set(ITEM_SUMMARIES))


def test_the_reason_the_assistant_writes_for_a_sick_family_member_reads_in_danish(  # type: ignore[no-untyped-def]
    world, login, db, now
) -> None:
    from bot.conversations import other_sick

    klass = _class(db, world, now + timedelta(days=1))
    consultant = login(world["anna"])
    page = consultant.get(f"/admin/citizens/{world['amal'].id}").text
    made = consultant.post(f"/admin/citizens/{world['amal'].id}/cancellations", data={
        "csrf_token": csrf_of(page), "appointment_id": str(klass), "received_at": "",
        "reason": other_sick.REASON})
    assert made.status_code == 303
    db.rollback()
    listed = consultant.get(f"/admin/citizens/{world['amal'].id}").text
    assert "Begrundelse: et familiemedlem er sygt" in listed and other_sick.REASON not in listed
