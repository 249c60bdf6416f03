"""The real app on the test database, signed webhook posts, and a walk over every route."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from bench.harness import inbound_fields, new_sid, signed_post
from bot.app import create_app
from bot.channels.simulator import SimulatorTransport
from bot.config import Settings


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    return create_app(settings, engine=engine, transport=SimulatorTransport())


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def signed(settings: Settings, fields: Any, path: str = "/sms/inbound") -> tuple[bytes, dict[str, str]]:
    return signed_post(fields, path=path, token=settings.twilio_auth_token, public_url=settings.public_url)


def sms(phone: str = "+4520123456", body: str = "hej", sid: str | None = None) -> dict[str, str]:
    return inbound_fields(sid=sid or new_sid(), phone=phone, body=body)


def every_route(app: FastAPI) -> list[Any]:
    """Every endpoint, including those in included routers (FastAPI resolves those lazily)."""

    def flatten(routes: list[Any]) -> Iterator[Any]:
        for route in routes:
            if hasattr(route, "effective_candidates"):
                yield from flatten(route.effective_candidates())
            else:
                yield route

    return [r for r in flatten(list(app.routes)) if getattr(r, "methods", None)]


def dependency_calls(route: Any) -> list[Any]:
    found, stack = [], [route.dependant]
    while stack:
        dependant = stack.pop()
        if dependant.call is not None:
            found.append(dependant.call)
        stack.extend(dependant.dependencies)
    return found


def concrete_path(path: str) -> str:
    import re

    return re.sub(r"\{[^}]+\}", "1", path)
