"""Any text in any script, and broken form posts: stored or refused with a 4xx, never a 500."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.models import Direction, Message
from tests.channels.webhook_helpers import PUBLIC_URL, sign

texts = st.text(st.characters(codec="utf-8"), min_size=0, max_size=10_000) | st.sampled_from(
    ["\u202eevil\u202c", "\u200d" * 50, "<script>alert(1)</script>", "'; DROP TABLE message; --", "٣٤ ۵۶"]
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=texts)
def test_any_body_is_stored_as_sent(client: TestClient, engine: Engine, body: str) -> None:
    sid = "SM" + uuid.uuid4().hex
    params = {"MessageSid": sid, "From": "+4520998877", "To": "+4570102030", "Body": body}
    response = client.post(
        "/sms/inbound", data=params, headers={"X-Twilio-Signature": sign("12345", PUBLIC_URL + "/sms/inbound", params)}
    )
    assert response.status_code == 200
    with Session(engine) as session:
        stored = session.exec(select(Message).where(Message.provider_sid == sid)).one()
    assert stored.direction == Direction.inbound
    expected = body.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
    assert stored.body == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    fields=st.lists(
        st.tuples(
            st.sampled_from(["MessageSid", "From", "Body", "To", "X", ""]),
            st.text(max_size=30) | st.just("%ZZ") | st.just("%FF%FE"),
        ),
        max_size=8,
    ),
    signed=st.booleans(),
)
def test_broken_posts_never_cause_a_server_error(
    client: TestClient, fields: list[tuple[str, str]], signed: bool
) -> None:
    raw = "&".join(f"{quote(name)}={value if value.startswith('%') else quote(value)}" for name, value in fields)
    params: dict[str, str] = {}
    for name, value in fields:
        params.setdefault(name, value)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signed:
        headers["X-Twilio-Signature"] = sign("12345", PUBLIC_URL + "/sms/inbound", params)
    response = client.post("/sms/inbound", content=raw, headers=headers)
    assert response.status_code < 500
