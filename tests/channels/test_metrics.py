"""/metrics shows the inbound backlog (read from the database) and the webhook counters."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import time_machine
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings
from tests.channels.helpers import add_citizen
from tests.channels.webhook_helpers import inbound_params, post_signed


def _figure(text: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} missing from /metrics"
    return float(match.group(1))


def test_the_backlog_and_its_age_show_until_the_worker_has_caught_up(
    engine: Engine, settings: Settings, now: datetime
) -> None:
    add_citizen(engine)
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as client, time_machine.travel(now, tick=False) as traveller:
        app.state.inbound_worker.stop()  # acknowledged, not yet interpreted: a burst, or a crash
        for sid in ("SM" + "1" * 32, "SM" + "2" * 32, "SM" + "2" * 32):  # the last is Twilio's retry
            assert post_signed(client, "/sms/inbound", inbound_params(sid, "+4520123456")).status_code == 200
        refused = post_signed(client, "/sms/inbound", inbound_params("SM" + "3" * 32, "+4520123456"), token="wrong")
        assert refused.status_code == 403
        traveller.shift(timedelta(seconds=90))

        page = client.get("/metrics").text
        assert _figure(page, "bot_inbound_waiting") == 2
        assert _figure(page, "bot_inbound_oldest_waiting_seconds") == 90
        assert _figure(page, 'bot_webhook_rejected_signatures_total{endpoint="inbound"}') >= 1
        assert _figure(page, "bot_inbound_duplicates_total") >= 1

        app.state.inbound_worker.start()
        assert app.state.inbound_worker.wait_idle(timeout=30)
        page = client.get("/metrics").text
        assert _figure(page, "bot_inbound_waiting") == 0
        assert _figure(page, "bot_inbound_oldest_waiting_seconds") == 0
