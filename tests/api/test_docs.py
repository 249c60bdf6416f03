"""The API documentation works on a closed network: every file it loads comes from this app."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport


def test_docs_load_nothing_from_outside(engine, settings):
    app = create_app(settings, engine=engine, transport=SimulatorTransport())
    with TestClient(app) as client:
        page = client.get("/docs")
        assert page.status_code == 200
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text) + re.findall(r"url: '([^']+)'", page.text)
        assert sources and all(s.startswith("/") for s in sources), sources
        for source in sources:
            assert client.get(source).status_code == 200, source
        assert client.get("/docs/assets/swagger-ui-bundle.js").headers["content-type"].startswith(
            ("application/javascript", "text/javascript"))
