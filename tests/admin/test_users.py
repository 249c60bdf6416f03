"""The admin manages staff accounts; everyone else cannot reach the page."""

from __future__ import annotations

from sqlmodel import select

from bot.audit.models import AuditEntry
from bot.contacts.models import Role, Staff
from tests.admin.conftest import anonymous, csrf_of, sign_in


def test_admin_adds_a_person_who_can_then_sign_in(world, login, db, app) -> None:  # type: ignore[no-untyped-def]
    admin = login(world["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "Nina Ny",
            "email": "nina@kommune.dk",
            "role": "caseworker",
            "password": "a long enough password",
        },
    )
    assert response.status_code == 303
    nina = db.exec(select(Staff).where(Staff.email == "nina@kommune.dk")).one()
    assert nina.role == Role.caseworker
    db.rollback()
    sign_in(anonymous(app), "nina@kommune.dk", "a long enough password")
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "create")).one()
    assert entry.subject == f"staff:{nina.id}"
    db.rollback()


def test_bad_input_is_refused_with_the_reason_and_keeps_the_form(world, login, db) -> None:  # type: ignore[no-untyped-def]
    admin = login(world["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    response = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "Kort",
            "email": "kort@kommune.dk",
            "role": "consultant",
            "password": "short",
        },
    )
    assert response.status_code == 422
    assert "mindst 8 tegn" in response.text and 'value="kort@kommune.dk"' in response.text
    duplicate = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "name": "Anna Igen",
            "email": "anna@kommune.dk",
            "role": "consultant",
            "password": "a long enough password",
        },
    )
    assert duplicate.status_code == 422


def test_deactivating_ends_access_and_an_admin_cannot_lock_themselves_out(world, login, db, app) -> None:  # type: ignore[no-untyped-def]
    anna = login(world["anna"])
    admin = login(world["admin"])
    token = csrf_of(admin.get("/admin/users").text)
    response = admin.post(f"/admin/users/{world['anna'].id}", data={"csrf_token": token, "active": "no"})
    assert response.status_code == 303
    assert anna.get("/admin/").status_code == 303
    own = admin.post(f"/admin/users/{world['admin'].id}", data={"csrf_token": token, "role": "consultant"})
    assert own.status_code == 403


def test_only_admin_reaches_staff_accounts(world, login) -> None:  # type: ignore[no-untyped-def]
    for role in ("anna", "caseworker", "benefits", "lead"):
        assert login(world[role]).get("/admin/users").status_code == 404


def test_settings_show_reminder_and_sla_policies(world, login) -> None:  # type: ignore[no-untyped-def]
    page = login(world["admin"]).get("/admin/settings").text
    assert "BOT_REMINDER_QUIET_START" in page
    assert "Spørgsmål" in page and "24 timer, døgnet rundt" in page
