"""The settings page: quiet hours, meeting reminders, hours per ticket kind and closing days,
changed in the panel, audited, with errors beside the field and what was typed kept."""

from __future__ import annotations

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.preferences import operating
from bot.preferences.service import get_preference
from tests.admin.conftest import csrf_of


def test_a_team_lead_moves_quiet_hours(world, login, db) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    page = lead.get("/admin/settings").text
    assert 'value="21:00"' in page and 'value="08:00"' in page  # the installation's values until changed
    saved = lead.post("/admin/settings/quiet-hours",
                      data={"csrf_token": csrf_of(page), "quiet_start": "20.30", "quiet_end": "7:00"})
    assert saved.status_code == 303 and saved.headers["location"] == "/admin/settings#quiet-h"
    quiet = get_preference(db, operating.QUIET_HOURS)
    assert quiet is not None and (quiet.start.hour, quiet.start.minute, quiet.end.hour) == (20, 30, 7)
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "preference_changed")).one()
    assert entry.staff_id == world["lead"].id and entry.subject == "preference:reminders.quiet_hours"
    db.rollback()  # one in-memory database: end the test's read before the app's next request
    after = lead.get("/admin/settings").text
    assert 'value="20:30"' in after and "Sidst ændret" in after


def test_a_wrong_time_is_shown_beside_its_field_with_what_was_typed(world, login, db) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    token = csrf_of(lead.get("/admin/settings").text)
    wrong = lead.post("/admin/settings/quiet-hours",
                      data={"csrf_token": token, "quiet_start": "25:00", "quiet_end": "07:00"})
    assert wrong.status_code == 422
    html = wrong.text
    assert 'id="f-quiet_start" name="quiet_start" type="text" value="25:00" aria-invalid="true"' in html
    assert 'id="quiet_start-error" role="alert">Skriv et klokkeslæt, fx 21:00.</p>' in html
    assert 'value="07:00"' in html
    assert get_preference(db, operating.QUIET_HOURS) is None


def test_english_readers_get_the_error_in_english(world, login) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    token = csrf_of(lead.get("/admin/settings").text)
    wrong = lead.post("/admin/settings/quiet-hours", headers={"Accept-Language": "en"},
                      data={"csrf_token": token, "quiet_start": "21:00", "quiet_end": "21:00"})
    assert "Quiet hours must start and end at different times." in wrong.text


def test_only_an_administrator_changes_deadlines_and_closing_days(world, login, db) -> None:  # type: ignore[no-untyped-def]
    lead = login(world["lead"])
    page = lead.get("/admin/settings").text
    assert "Kun en administrator kan ændre dette." in page
    refused = lead.post("/admin/settings/sla", data={"csrf_token": csrf_of(page), "sla_question": "48"})
    assert refused.status_code == 422 and get_preference(db, operating.SLA_HOURS) == {}
    db.rollback()
    admin = login(world["admin"])
    token = csrf_of(admin.get("/admin/settings").text)
    assert admin.post("/admin/settings/sla", data={"csrf_token": token, "sla_question": "48"}).status_code == 303
    days = admin.post("/admin/settings/closing-days", data={"csrf_token": token, "closing_days": "24.12\n31.12"})
    assert days.status_code == 303
    assert get_preference(db, operating.SLA_HOURS) == {"question": 48.0}
    assert get_preference(db, operating.CLOSING_DAYS) == ("12-24", "12-31")
    db.rollback()
    shown = admin.get("/admin/settings").text
    assert "24.12\n31.12</textarea>" in shown
    # The deadlines table in effect shows the hours just set, not the installation's 24.
    assert "48 timer, døgnet rundt" in shown or "48 arbejdstimer" in shown


def test_a_wrong_closing_day_keeps_the_list(world, login, db) -> None:  # type: ignore[no-untyped-def]
    admin = login(world["admin"])
    token = csrf_of(admin.get("/admin/settings").text)
    wrong = admin.post("/admin/settings/closing-days", data={"csrf_token": token, "closing_days": "24.12\n32.12"})
    assert wrong.status_code == 422
    assert "24.12\n32.12</textarea>" in wrong.text and 'id="closing_days-error"' in wrong.text
