"""A team lead chooses what counts against the attendance rate; the citizen page shows the rate
with what it was made of, and says which rule made it."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.attendance.models import Attendance, Outcome, OutcomeSource
from bot.audit.models import AuditEntry
from bot.preferences.models import Preference
from bot.reminders.models import Appointment, AppointmentKind
from tests.admin.conftest import csrf_of


def _week(db, world, now) -> None:  # type: ignore[no-untyped-def]
    """Three classes last week: attended, absent with notice, absent without notice."""
    for days_ago, outcome in ((7, Outcome.attended), (6, Outcome.absent_with_notice),
                              (5, Outcome.absent_without_notice)):
        appointment = Appointment(citizen_id=world["amal"].id, kind=AppointmentKind.class_,
                                  starts_at=now - timedelta(days=days_ago), title="Dansk 2")
        db.add(appointment)
        db.commit()
        db.add(Attendance(appointment_id=appointment.id, citizen_id=world["amal"].id, outcome=outcome,
                          source=OutcomeSource.staff, recorded_at=now - timedelta(days=days_ago)))
        db.commit()
    db.expunge_all()


def test_the_citizen_page_shows_the_breakdown_and_that_the_default_counts_physical_attendance(
    world, login, db, now
) -> None:  # type: ignore[no-untyped-def]
    _week(db, world, now)
    page = login(world["lead"]).get(f"/admin/citizens/{world['amal'].id}").text
    assert "<strong>33.3 %</strong> · gruppe 20-39 %" in page
    assert "Fysisk fremmøde (standard): alt fravær tæller imod fremmødet, med eller uden afbud." in page
    assert "Mødt op til 1 af 3 talte aftaler" in page
    assert 'data-label="Udfald">Fravær med afbud</td><td data-label="Aftaler">1</td>' \
        '<td data-label="I procenten">tæller imod fremmødet</td>' in page
    assert 'href="/admin/settings#attendance-h"' in page  # the team lead may change it


def test_a_team_lead_counts_only_absence_without_notice_and_the_rate_follows(world, login, db, now) -> None:  # type: ignore[no-untyped-def]
    _week(db, world, now)
    lead = login(world["lead"])
    page = lead.get("/admin/settings")
    assert page.status_code == 200 and "Hvad der tæller imod fremmødeprocenten" in page.text
    assert "Gælder nu: fysisk fremmøde (standard)." in page.text
    assert "BOT_SECRET_KEY" not in page.text  # the environment is for admins only
    saved = lead.post("/admin/settings/attendance", data={"csrf_token": csrf_of(page.text)})
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/settings#attendance-h"
    assert db.get(Preference, "attendance.counts_against").value == ["absent_without_notice"]
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "preference_changed")).one()
    assert entry.staff_id == world["lead"].id and entry.details["to"] == ["absent_without_notice"]
    db.rollback()
    after = lead.get("/admin/settings").text
    assert "Gælder nu: et valg truffet af medarbejdere, ikke standarden." in after
    assert "Sidst ændret" in after and "Team_Lead Person" in after
    citizen = lead.get(f"/admin/citizens/{world['amal'].id}").text
    assert "<strong>50.0 %</strong> · gruppe 40-59 %" in citizen
    assert "Valgt af medarbejdere: kun de udfald, der er markeret nedenfor, tæller imod fremmødet." in citizen
    assert 'data-label="Udfald">Fravær med afbud</td><td data-label="Aftaler">1</td>' \
        '<td data-label="I procenten">tælles ikke med</td>' in citizen
    back = lead.post("/admin/settings/attendance",
                     data={"csrf_token": csrf_of(after), "reset": "default"})
    assert back.status_code == 303
    db.rollback()
    assert db.get(Preference, "attendance.counts_against").value == [
        "absent_with_notice", "absent_with_late_notice", "absent_without_notice"]


def test_a_forged_choice_is_refused_in_danish_and_others_cannot_change_it(world, login, db) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    token = csrf_of(lead.get("/admin/settings").text)
    forged = lead.post("/admin/settings/attendance",
                       data={"csrf_token": token, "counts_against": ["cancelled_by_municipality"]})
    assert forged.status_code == 422 and "Vælg blandt de viste udfald." in forged.text
    assert lead.post("/admin/settings/attendance", data={"counts_against": []}).status_code == 403  # no CSRF
    for who in ("caseworker", "anna", "benefits"):
        client = login(world[who])
        assert client.get("/admin/settings").status_code == 404
        refused = client.post("/admin/settings/attendance",
                              data={"csrf_token": csrf_of(client.get("/admin/").text)})
        assert refused.status_code == 404
    assert db.get(Preference, "attendance.counts_against") is None
