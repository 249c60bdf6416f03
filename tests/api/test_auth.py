from datetime import timedelta

from fastapi import Depends
from fastapi.testclient import TestClient

from bot.api.auth import CurrentStaff, require_roles, revoke_token
from bot.contacts.models import Role
from bot.db import session_scope


def test_no_token_is_401_with_a_bearer_challenge(client):
    response = client.get("/api/v1/citizens")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in response.json()["detail"]


def test_unknown_token_is_401(client):
    response = client.get("/api/v1/citizens", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert "invalid_token" in response.headers["www-authenticate"]


def test_a_valid_token_authenticates(client, consultant):
    response = client.get("/api/v1/staff/me", headers=consultant.headers)
    assert response.status_code == 200
    assert response.json()["id"] == consultant.id
    assert response.json()["role"] == "consultant"


def test_revoked_token_is_401(client, engine, consultant, now):
    with session_scope(engine) as session:
        assert revoke_token(session, token=consultant.token, now=now + timedelta(minutes=1))
    assert client.get("/api/v1/staff/me", headers=consultant.headers).status_code == 401


def test_inactive_staff_token_is_401(client, admin, consultant):
    assert (
        client.patch(
            f"/api/v1/staff/{consultant.id}", json={"active": False}, headers=admin.headers
        ).status_code
        == 200
    )
    assert client.get("/api/v1/staff/me", headers=consultant.headers).status_code == 401


def test_require_roles_refuses_a_wrong_role_with_403(app, engine, consultant, admin):
    @app.get("/only-admins")
    def only_admins(staff=Depends(require_roles(Role.admin))) -> dict:
        return {"name": staff.name}

    @app.get("/anyone")
    def anyone(staff: CurrentStaff) -> dict:
        return {"id": staff.id}

    with TestClient(app) as client:
        refused = client.get("/only-admins", headers=consultant.headers)
        assert refused.status_code == 403
        assert "admin" in refused.json()["detail"]
        assert client.get("/only-admins", headers=admin.headers).status_code == 200
        assert client.get("/anyone", headers=consultant.headers).json() == {"id": consultant.id}


def test_wrong_role_on_an_api_route_is_403(client, consultant):
    response = client.post(
        "/api/v1/staff",
        json={"name": "New", "email": "new@kommune.dk", "role": "consultant"},
        headers=consultant.headers,
    )
    assert response.status_code == 403
