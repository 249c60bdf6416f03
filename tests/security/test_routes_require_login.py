"""Every API route needs a valid token and the right role; every admin page needs a login and a
CSRF token for anything that changes state. Routes are enumerated from the app, so a route added
later is covered without touching this file."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from bot.api.auth import current_staff, issue_token
from bot.contacts.models import Citizen, Role, Staff
from tests.security.conftest import concrete_path, dependency_calls, every_route

PUBLIC_ADMIN = {("GET", "/admin/login"), ("POST", "/admin/login"), ("GET", "/admin")}


def _api_routes(app):
    return [(m, r) for r in every_route(app) if r.path.startswith("/api/") for m in sorted(r.methods)]


def _admin_routes(app):
    return [
        (m, r) for r in every_route(app) if r.path.startswith("/admin") for m in sorted(r.methods)
        if m != "HEAD" and (m, r.path) not in PUBLIC_ADMIN
    ]


def _allowed_roles(route) -> frozenset[Role] | None:
    for call in dependency_calls(route):
        if getattr(call, "__name__", "") == "check_role" and call.__closure__:
            cells = dict(zip(call.__code__.co_freevars, call.__closure__, strict=True))
            return frozenset(cells["allowed"].cell_contents)
    return None


def _token(engine, role: Role, now) -> str:
    with Session(engine, expire_on_commit=False) as s:
        staff = Staff(name=role.value, email=f"{role.value}@kommune.dk", role=role)
        s.add(staff)
        s.flush()
        token = issue_token(s, staff_id=staff.id, now=now)
        s.commit()
    return token


def test_the_app_has_api_and_admin_routes_to_check(app):
    assert len(_api_routes(app)) >= 10
    assert len(_admin_routes(app)) >= 10


def test_every_api_route_depends_on_a_staff_token(app):
    unguarded = [f"{m} {r.path}" for m, r in _api_routes(app) if current_staff not in dependency_calls(r)]
    assert unguarded == []


@pytest.mark.parametrize("credentials", [None, "Bearer not-a-token", "Basic YWRtaW46YWRtaW4=", "Bearer "])
def test_every_api_route_refuses_a_missing_or_wrong_token(app, client, credentials):
    headers = {"Authorization": credentials} if credentials else {}
    let_in = []
    for method, route in _api_routes(app):
        response = client.request(method, concrete_path(route.path), headers=headers, json={})
        if response.status_code != 401:
            let_in.append(f"{method} {route.path}: {response.status_code}")
    assert let_in == []


def test_a_revoked_token_is_refused(client, engine, now):
    from bot.api.auth import revoke_token

    token = _token(engine, Role.admin, now)
    with Session(engine) as s:
        revoke_token(s, token=token, now=now)
        s.commit()
    assert client.get("/api/v1/citizens", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_every_role_restricted_api_route_refuses_the_other_roles(app, client, engine, now):
    tokens = {role: _token(engine, role, now) for role in Role}
    checked, wrongly_allowed = 0, []
    for method, route in _api_routes(app):
        allowed = _allowed_roles(route)
        if allowed is None:
            continue
        for role in set(Role) - allowed:
            checked += 1
            response = client.request(
                method, concrete_path(route.path), json={},
                headers={"Authorization": f"Bearer {tokens[role]}"},
            )
            if response.status_code != 403:
                wrongly_allowed.append(f"{role.value} {method} {route.path}: {response.status_code}")
    assert checked > 0
    assert wrongly_allowed == []


def test_every_admin_page_needs_a_login(app, client):
    let_in = []
    for method, route in _admin_routes(app):
        if route.path.startswith("/admin/static"):
            continue
        response = client.request(method, concrete_path(route.path))
        login_redirect = response.status_code in (302, 303, 307) and "/admin/login" in response.headers.get(
            "location", ""
        )
        if not (login_redirect or response.status_code in (401, 403)):
            let_in.append(f"{method} {route.path}: {response.status_code}")
    assert let_in == []


def test_a_state_changing_admin_post_without_csrf_token_is_refused(app, engine, now):
    from tests.admin.conftest import anonymous, password_hash, sign_in

    with Session(engine, expire_on_commit=False) as s:
        s.add(Staff(name="Admin", email="admin@kommune.dk", role=Role.admin, password_hash=password_hash()))
        s.add(Citizen(name="Amal", phone="+4520000001"))
        s.commit()
    client = sign_in(anonymous(app), "admin@kommune.dk")
    accepted = []
    for method, route in _admin_routes(app):
        if method != "POST":
            continue
        response = client.post(concrete_path(route.path), data={"text": "hej", "reason": "x"})
        if response.status_code != 403:
            accepted.append(f"POST {route.path}: {response.status_code}")
        # A token from another session does not count either.
        response = client.post(concrete_path(route.path), data={"csrf_token": "forged"})
        if response.status_code != 403:
            accepted.append(f"POST {route.path} (forged token): {response.status_code}")
    assert accepted == []
    assert client.get("/admin/").status_code == 200, "the refused posts must not have logged the user out"
