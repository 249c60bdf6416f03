"""The database away: inbound posts get a non-2xx (so Twilio retries), nothing is half-written,
and the service recovers by itself when the database returns, without a restart."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from bench.harness import inbound_fields, new_sid, signed_post
from bot.app import create_app
from bot.channels.models import Direction, Message, MessageStatus
from bot.channels.simulator import SimulatorTransport
from bot.contacts.models import Citizen
from bot.db import make_engine
from tests.conftest import PG_URL
from tests.faults.tcp_proxy import TcpProxy

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (set BOT_TEST_DATABASE_URL)")


def _post(client, settings, sid: str):
    fields = inbound_fields(sid=sid, phone="+4520123456", body="Jeg kommer i morgen")
    body, headers = signed_post(fields, token=settings.twilio_auth_token, public_url=settings.public_url)
    return client.post("/sms/inbound", content=body, headers=headers)


def test_inbound_is_refused_while_the_database_is_away_and_accepted_when_it_returns(pg_url, settings):
    direct = make_engine(pg_url)
    with Session(direct) as s:
        s.add(Citizen(name="Amal Hassan", phone="+4520123456", language="ar"))
        s.commit()
    url = make_url(pg_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432)).start()
    through_proxy = make_engine(url.set(port=proxy.port).render_as_string(hide_password=False))
    app = create_app(settings, engine=through_proxy, transport=SimulatorTransport())
    before, during = new_sid(), [new_sid() for _ in range(5)]
    try:
        with TestClient(app, base_url="https://testserver", raise_server_exceptions=False) as client:
            assert _post(client, settings, before).status_code == 200

            proxy.cut()
            refused = [_post(client, settings, sid).status_code for sid in during]
            assert all(not 200 <= code < 300 for code in refused), refused
            assert all(code < 500 or code == 503 for code in refused), refused
            assert client.get("/healthz").status_code == 503
            with Session(direct) as s:
                kept = s.exec(select(Message.provider_sid).where(Message.provider_sid.in_(during))).all()
            assert kept == [], "a refused message was written anyway"

            proxy.restore()
            assert client.get("/healthz").status_code == 200
            assert [_post(client, settings, sid).status_code for sid in during] == [200] * len(during)
    finally:
        proxy.stop()
        through_proxy.dispose()

    with Session(direct) as s:
        inbound = s.exec(select(Message).where(Message.direction == Direction.inbound)).all()
        assert sorted(m.provider_sid for m in inbound) == sorted([before, *during])
        assert {m.status for m in inbound} == {MessageStatus.processed}
        for message in inbound:
            replies = s.exec(select(Message).where(Message.in_reply_to_id == message.id)).all()
            assert replies, f"message {message.provider_sid} was not answered"
    direct.dispose()
