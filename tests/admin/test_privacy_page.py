"""Access requests and erasure from the admin panel: admin only, audited, legal holds kept."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from bot.audit.models import AuditEntry
from bot.contacts.models import Citizen, Staff
from tests.admin.conftest import csrf_of


def _post(client: TestClient, path: str, data: dict[str, str]) -> object:
    token = csrf_of(client.get("/admin/privacy").text)
    return client.post(path, data={**data, "csrf_token": token})


def test_admin_downloads_a_citizens_data_as_json(
    world: dict[str, object], login: Callable[[Staff], TestClient], db: Session
) -> None:
    admin = login(world["admin"])  # type: ignore[arg-type]
    amal = world["amal"]
    assert isinstance(amal, Citizen)

    response = _post(admin, "/admin/privacy/export", {"citizen_id": str(amal.id)})

    assert response.status_code == 200  # type: ignore[attr-defined]
    data = json.loads(response.text)  # type: ignore[attr-defined]
    assert "Amal Hassan" in json.dumps(data, ensure_ascii=False)
    entries = db.exec(select(AuditEntry)).all()
    assert any(str(amal.id) in e.subject for e in entries)


def test_erasure_needs_the_confirmation_box_then_erases_the_identity(
    world: dict[str, object], login: Callable[[Staff], TestClient], db: Session
) -> None:
    admin = login(world["admin"])  # type: ignore[arg-type]
    amal = world["amal"]
    assert isinstance(amal, Citizen)

    refused = _post(admin, "/admin/privacy/erase", {"citizen_id": str(amal.id)})
    assert refused.status_code == 422  # type: ignore[attr-defined]
    assert db.get(Citizen, amal.id).phone == "+4520000001"  # type: ignore[union-attr]
    db.rollback()  # the in-memory database has one connection: end the read before the next request

    done = _post(admin, "/admin/privacy/erase", {"citizen_id": str(amal.id), "confirm": "yes"})
    assert done.status_code == 200  # type: ignore[attr-defined]
    db.expire_all()
    assert db.get(Citizen, amal.id).phone is None  # type: ignore[union-attr]


def test_unknown_citizen_is_a_clear_404(
    world: dict[str, object], login: Callable[[Staff], TestClient]
) -> None:
    admin = login(world["admin"])  # type: ignore[arg-type]
    response = _post(admin, "/admin/privacy/export", {"citizen_id": "999999"})
    assert response.status_code == 404  # type: ignore[attr-defined]


def test_only_an_admin_reaches_the_privacy_page(
    world: dict[str, object], login: Callable[[Staff], TestClient]
) -> None:
    for role in ("anna", "caseworker", "benefits", "lead"):
        client = login(world[role])  # type: ignore[arg-type]
        assert client.get("/admin/privacy").status_code in (403, 404)
