"""Shared fixtures: a fresh database per test on SQLite, and on PostgreSQL when configured.

``BOT_TEST_DATABASE_URL`` names a PostgreSQL database; with it every test that uses the
``engine`` fixture runs twice, once per backend.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

import bot.tables
from bot.config import Settings
from bot.db import make_engine

# CI replays the same generated examples every run, so a red build always means a change in the
# code; developers' runs explore new examples and find new bugs.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

PG_URL = os.environ.get("BOT_TEST_DATABASE_URL", "")
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]

# Each test run gets its own schema, so concurrent runs on one database never collide.
PG_SCHEMA = f"test_{os.getpid()}"
_pg_engine: Engine | None = None


def pytest_report_header(config: pytest.Config) -> str:
    if PG_URL:
        return f"database tests: SQLite and PostgreSQL ({PG_URL})"
    return "database tests: SQLite only (set BOT_TEST_DATABASE_URL to run them on PostgreSQL too)"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not PG_URL:
        terminalreporter.write_line(
            "PostgreSQL not configured: database tests ran on SQLite only "
            "(set BOT_TEST_DATABASE_URL)."
        )


def _postgres_engine() -> Engine:
    global _pg_engine
    if _pg_engine is None:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
        admin.dispose()
        _pg_engine = make_engine(PG_URL, schema=PG_SCHEMA)
        bot.tables.metadata.create_all(_pg_engine)
    return _pg_engine


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _pg_engine is not None:
        _pg_engine.dispose()
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        admin.dispose()


def _truncate(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in bot.tables.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh, empty database with every table."""
    if request.param == "postgresql":
        pg = _postgres_engine()
        _truncate(pg)
        yield pg
        return
    eng = make_engine("sqlite://")
    bot.tables.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def file_engine(tmp_path: object, request: pytest.FixtureRequest) -> Iterator[Engine]:
    """SQLite on disk (WAL), for tests with several connections or threads."""
    from pathlib import Path

    eng = make_engine(f"sqlite:///{Path(str(tmp_path)) / 'bot.db'}")
    bot.tables.metadata.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as s:
        yield s


@pytest.fixture
def now() -> datetime:
    """A fixed Tuesday morning in Copenhagen (08:00 local)."""
    return datetime(2026, 11, 24, 7, 0, tzinfo=UTC)


@pytest.fixture
def settings() -> Settings:
    return Settings(
        database_url="sqlite://",
        sms_transport="simulator",
        public_url="https://bot.example.dk",
        secret_key="test-secret",
        twilio_auth_token="12345",
        twilio_account_sid="AC" + "0" * 32,
        demo=True,
        scheduler_enabled=False,
        _env_file=None,  # type: ignore[call-arg]
    )


@pytest.fixture(autouse=True)
def inbound_settles(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test client reads what an inbound message led to only after the app's worker handled it.

    The webhook answers once a message is stored; the app's inbound worker interprets it a moment
    later in a thread of its own. A test asserts on the outcome, so its client waits for the
    worker after start-up and after every inbound post. This also keeps the worker off the one
    connection an in-memory SQLite database has while the test itself uses it.
    """
    enter, request = TestClient.__enter__, TestClient.request

    def settle(client: TestClient) -> None:
        worker = getattr(getattr(client.app, "state", None), "inbound_worker", None)
        if worker is not None and worker.running:
            assert worker.wait_idle(timeout=60), "the inbound worker did not catch up within 60 s"

    def entered(self: TestClient) -> TestClient:
        client = enter(self)
        settle(client)
        return client

    def settled_request(self: TestClient, method: str, url: object, *args: object, **kwargs: object) -> object:
        response = request(self, method, url, *args, **kwargs)  # type: ignore[arg-type]
        if "/sms/inbound" in str(url):
            settle(self)
        return response

    monkeypatch.setattr(TestClient, "__enter__", entered)
    monkeypatch.setattr(TestClient, "request", settled_request)
