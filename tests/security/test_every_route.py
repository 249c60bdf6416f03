"""Every route the app serves refuses an anonymous request, unless this file names it public.

The routes are enumerated from the app itself (API, admin, webhooks, simulator, calendar,
metrics, docs, guidance), so a route added anywhere later is held to the rule without touching
this file: it is either refused to a stranger or listed below with the reason it is public.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from tests.security.conftest import concrete_path, every_route

# (method, path pattern) -> why a stranger may call it.
PUBLIC = {
    ("GET", "/healthz"): "the proxy's health check; says only ok or unavailable",
    ("GET", "/metrics"): "Prometheus text; the proxy serves it to the monitoring network only",
    ("GET", "/admin"): "redirects to the panel",
    ("GET", "/admin/login"): "the sign-in page",
    ("POST", "/admin/login"): "signing in",
    ("GET", "/docs"): "API documentation",
    ("GET", "/docs/oauth2-redirect"): "API documentation",
    ("GET", "/openapi.json"): "API documentation",
    ("GET", "/guidance/{language}"): "the sanction-rules guidance the citizen is sent a link to",
}
# Routes a stranger reaches but that check a secret of their own: refused without it.
SIGNED = {"/sms/inbound", "/sms/status"}
REFUSED = {401, 403, 404, 405}


def _is_public(method: str, path: str) -> bool:
    return (method, path) in PUBLIC or path.startswith("/admin/static") or (
        method == "GET" and path.startswith("/guidance")
    )


def _walk(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted({(m, r.path) for r in every_route(app) for m in r.methods if m != "HEAD"})


def _refused(response) -> bool:  # type: ignore[no-untyped-def]
    if response.status_code in REFUSED:
        return True
    # The panel answers a stranger with the way to its sign-in page.
    return response.status_code in (302, 303, 307) and "/admin/login" in response.headers.get("location", "")


@pytest.mark.parametrize("demo", [False, True], ids=["production", "demo"])
def test_a_stranger_is_refused_everywhere_but_the_public_routes(engine, settings, demo):
    app = create_app(settings.model_copy(update={"demo": demo}), engine=engine, transport=SimulatorTransport())
    let_in = []
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        for method, path in _walk(app):
            if _is_public(method, path) or (demo and path.startswith("/simulator")):
                continue
            body = {"Body": "hej", "From": "+4520123456"} if method != "GET" else None
            response = client.request(method, concrete_path(path), data=body)
            if not _refused(response):
                let_in.append(f"{method} {path} -> {response.status_code}")
    assert let_in == []


def test_the_walk_sees_every_kind_of_route(engine, settings):
    app = create_app(settings.model_copy(update={"demo": False}), engine=engine, transport=SimulatorTransport())
    paths = {p for _, p in _walk(app)}
    for prefix in ("/api/v1/", "/admin/", "/sms/", "/simulator", "/metrics", "/docs"):
        assert any(p.startswith(prefix) for p in paths), prefix
    assert paths >= SIGNED


def test_the_simulator_is_open_only_in_demo_mode(engine, settings):
    for demo, expected in ((True, 200), (False, 303)):
        app = create_app(settings.model_copy(update={"demo": demo}), engine=engine, transport=SimulatorTransport())
        with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
            read = client.get("/simulator/messages", params={"phone": "+4520123456"})
            post = client.post("/simulator/messages", json={"phone": "+4520123456", "body": "hej"})
            assert (read.status_code, post.status_code) == (expected, expected), demo
