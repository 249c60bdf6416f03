"""Signing in and out: cookie flags, CSRF on every post, and the growing lock on guessing."""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.auth.passwords import hash_password
from bot.contacts.models import Role, Staff
from tests.admin.conftest import PASSWORD, anonymous, csrf_of, sign_in


def _try(client, email: str, password: str):  # type: ignore[no-untyped-def]
    page = client.get("/admin/login")
    token = csrf_of(page.text)
    return client.post("/admin/login", data={"email": email, "password": password, "csrf_token": token})


def test_pages_need_sign_in(app: FastAPI) -> None:
    response = anonymous(app).get("/admin/citizens")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/login?next=%2Fadmin%2Fcitizens"


def test_htmx_poll_without_session_asks_for_a_full_redirect(app: FastAPI) -> None:
    response = anonymous(app).get("/admin/items/list", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["hx-redirect"].startswith("/admin/login")


def test_sign_in_sets_a_secure_session_cookie_and_lands_on_open_items(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={"email": lead.email.upper(), "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/"
    cookie = response.headers["set-cookie"].lower()
    assert "admin_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie
    home = client.get("/admin/")
    assert home.status_code == 200
    assert "Team_Lead Person" in home.text


def test_cookie_is_not_secure_over_plain_http(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    app.state.settings = app.state.settings.model_copy(update={"public_url": "http://127.0.0.1:8000"})
    response = anonymous(app).get("/admin/login")
    assert "secure" not in response.headers["set-cookie"].lower()


def test_wrong_password_is_refused_and_audited(app, make_staff, db: Session) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    response = _try(anonymous(app), lead.email, "not the password")
    assert response.status_code == 401
    assert "Forkert e-mail eller adgangskode." in response.text
    entry = db.exec(select(AuditEntry).where(AuditEntry.action == "login_failed")).one()
    assert entry.staff_id == lead.id


def test_post_without_csrf_token_is_refused(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    client.get("/admin/login")
    response = client.post("/admin/login", data={"email": lead.email, "password": PASSWORD})
    assert response.status_code == 403
    signed_in = sign_in(anonymous(app), lead.email)
    assert signed_in.post("/admin/logout").status_code == 403
    assert signed_in.post("/admin/logout", data={"csrf_token": "forged"}).status_code == 403
    # Still signed in: the refused posts changed nothing.
    assert signed_in.get("/admin/").status_code == 200


def test_csrf_header_is_accepted_for_htmx(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = sign_in(anonymous(app), lead.email)
    token = csrf_of(client.get("/admin/").text)
    response = client.post("/admin/logout", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["hx-redirect"] == "/admin/login"


def test_a_token_from_before_sign_in_is_worthless_after(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    before = csrf_of(client.get("/admin/login").text)
    sign_in(client, lead.email)
    assert client.post("/admin/logout", data={"csrf_token": before}).status_code == 403


def test_logout_ends_the_session(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = sign_in(anonymous(app), lead.email)
    token = csrf_of(client.get("/admin/").text)
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/admin/").status_code == 303


def test_forged_cookie_is_ignored(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    make_staff(Role.team_lead)
    client = anonymous(app)
    client.cookies.set("admin_session", "eyJwIjp7InN0YWZmIjoxfX0.forged", domain="testserver", path="/admin")
    assert client.get("/admin/").status_code == 303


def test_password_change_or_deactivation_ends_sessions(app, make_staff, db: Session) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    first = sign_in(anonymous(app), lead.email)
    lead.password_hash = hash_password("a brand new password")
    db.add(lead)
    db.commit()
    assert first.get("/admin/").status_code == 303
    second = sign_in(anonymous(app), lead.email, "a brand new password")
    lead.active = False
    db.add(lead)
    db.commit()
    assert second.get("/admin/").status_code == 303
    assert _try(anonymous(app), lead.email, "a brand new password").status_code == 401


def test_session_expires_after_a_working_day(app, make_staff, clock) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = sign_in(anonymous(app), lead.email)
    clock.shift(timedelta(hours=11))
    assert client.get("/admin/").status_code == 200
    clock.shift(timedelta(hours=2))
    assert client.get("/admin/").status_code == 303


def test_repeated_failures_lock_the_account_longer_each_time(app, make_staff, clock) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    for _ in range(3):
        assert _try(client, lead.email, "guess").status_code == 401
    locked = _try(client, lead.email, PASSWORD)
    assert locked.status_code == 429
    assert "30 sekunder" in locked.text
    assert locked.headers["retry-after"] == "30"
    clock.shift(timedelta(seconds=31))
    assert _try(client, lead.email, "guess").status_code == 401
    again = _try(client, lead.email, PASSWORD)
    assert again.status_code == 429
    assert again.headers["retry-after"] == "60"
    clock.shift(timedelta(seconds=61))
    assert _try(client, lead.email, PASSWORD).status_code == 303
    # A success clears the account's count: one more typo does not lock it.
    client2 = anonymous(app)
    assert _try(client2, lead.email, "typo").status_code == 401
    assert _try(client2, lead.email, PASSWORD).status_code == 303


def test_one_address_guessing_many_accounts_is_locked(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    for number in range(20):
        assert _try(client, f"someone{number}@kommune.dk", "guess").status_code == 401
    # The address is locked now, even for a real account with its right password.
    assert _try(client, lead.email, PASSWORD).status_code == 429


def test_open_redirects_are_refused(app, make_staff) -> None:  # type: ignore[no-untyped-def]
    lead = make_staff(Role.team_lead)
    client = anonymous(app)
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        data={
            "email": lead.email,
            "password": PASSWORD,
            "csrf_token": csrf_of(page.text),
            "next": "https://evil.example/admin",
        },
    )
    assert response.headers["location"] == "/admin/"


def test_inactive_staff_query_is_case_insensitive(db: Session, make_staff) -> None:  # type: ignore[no-untyped-def]
    staff = make_staff(Role.admin, "Mixed.Case@Kommune.dk")
    assert db.exec(select(Staff).where(Staff.id == staff.id)).one().email == "Mixed.Case@Kommune.dk"
