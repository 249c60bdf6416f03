"""A message body holding <script> shows as text on every admin page, never as markup."""

from __future__ import annotations

from urllib.parse import quote

from sqlmodel import Session

from bot.contacts.models import Citizen, Role, Staff
from tests.security.conftest import every_route, signed, sms

PAYLOAD = "<script>alert('x')</script><img src=x onerror=alert(1)>"


def test_script_in_a_message_is_escaped_on_every_admin_page(app, client, engine, settings):
    from tests.admin.conftest import anonymous, password_hash, sign_in

    with Session(engine, expire_on_commit=False) as s:
        for role in (Role.admin, Role.team_lead):
            s.add(
                Staff(
                    name=role.value,
                    email=f"{role.value}@kommune.dk",
                    role=role,
                    password_hash=password_hash(),
                )
            )
        citizen = Citizen(name="Amal <b>Hassan</b>", phone="+4520000001", language="ar")
        s.add(citizen)
        s.commit()
        citizen_id = citizen.id
    for phone in ("+4520000001", "+4529999999"):  # a citizen, and an unknown sender (an open item)
        body, headers = signed(settings, sms(phone=phone, body=PAYLOAD))
        assert client.post("/sms/inbound", content=body, headers=headers).status_code == 200
    viewers = [sign_in(anonymous(app), f"{role.value}@kommune.dk") for role in (Role.admin, Role.team_lead)]
    values = {"citizen_id": str(citizen_id), "phone": quote("+4520000001"), "item_id": "1"}
    pages = []
    for route in every_route(app):
        if "GET" not in route.methods or not route.path.startswith("/admin/") or route.path.endswith(".csv"):
            continue
        path = route.path
        for name, value in values.items():
            path = path.replace("{" + name + "}", value)
        if "{" in path:
            continue
        pages.append(path)
    pages.append(f"/admin/conversations/{quote('+4529999999')}")
    shown = []
    for path in pages:
        for viewer in viewers:
            response = viewer.get(path)
            if response.status_code != 200:
                continue
            assert "<script>alert" not in response.text, path
            assert "onerror=alert" not in response.text.replace("onerror=alert(1)&gt;", ""), path
            assert "<b>Hassan</b>" not in response.text, path
            if "&lt;script&gt;" in response.text:
                shown.append(path)
    assert any("/conversations/" in path for path in shown), f"the message was not shown anywhere: {pages}"
