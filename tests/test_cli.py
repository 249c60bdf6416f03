"""The `bot` command, run as a person would, against SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from typer.testing import CliRunner

import bot.tables
from bot.app import create_app
from bot.auth.passwords import verify_password
from bot.channels.simulator import SimulatorTransport
from bot.cli import app as cli
from bot.config import get_settings
from bot.contacts.models import ApiToken, Role, Staff
from bot.db import make_engine
from tests.conftest import PG_SCHEMA, PG_URL

runner = CliRunner()


@pytest.fixture
def cli_engine(engine: Engine, tmp_path, monkeypatch) -> Iterator[Engine]:
    """A database the CLI reaches through BOT_DATABASE_URL, as the test's ``engine`` backend."""
    if engine.dialect.name == "postgresql":
        url, shared = f"{PG_URL}?options={quote(f'-csearch_path={PG_SCHEMA}')}", engine
    else:
        url = f"sqlite:///{tmp_path / 'bot.db'}"
        shared = make_engine(url)
        bot.tables.metadata.create_all(shared)
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    monkeypatch.setenv("BOT_SECRET_KEY", "test-secret")
    get_settings.cache_clear()
    yield shared
    get_settings.cache_clear()
    if shared is not engine:
        shared.dispose()


def test_users_create_then_tokens_create_gives_a_working_token(cli_engine, settings):
    made = runner.invoke(cli, ["users", "create", "--email", "Mette@Kommune.dk", "--password", "hemmelig-kode",
                               "--role", "consultant", "--name", "Mette Jensen", "--phone", "0045 61 22 33 44"])
    assert made.exit_code == 0, made.output
    with Session(cli_engine) as session:
        staff = session.exec(select(Staff)).one()
    assert staff.email == "mette@kommune.dk" and staff.phone == "+4561223344"
    assert verify_password(staff.password_hash, "hemmelig-kode")

    issued = runner.invoke(cli, ["tokens", "create", "--email", "mette@kommune.dk"])
    assert issued.exit_code == 0, issued.output
    token = issued.output.strip().splitlines()[-1]
    assert " " not in token and len(token) >= 32
    with Session(cli_engine) as session:
        stored = session.exec(select(ApiToken)).one()
    assert token not in stored.token_sha256  # only the hash is kept

    with TestClient(create_app(settings, engine=cli_engine, transport=SimulatorTransport())) as client:
        me = client.get("/api/v1/staff/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["email"] == "mette@kommune.dk"


def test_bad_input_is_one_line_naming_the_option(cli_engine):
    result = runner.invoke(cli, ["users", "create", "--email", "a@k.dk", "--password", "short",
                                 "--role", "consultant", "--name", "A"])
    assert result.exit_code == 1
    assert "--password" in result.output
    result = runner.invoke(cli, ["users", "create", "--email", "a@k.dk", "--password", "long enough",
                                 "--role", "chief", "--name", "A"])
    assert result.exit_code == 1 and "--role" in result.output
    result = runner.invoke(cli, ["tokens", "create", "--email", "nobody@k.dk"])
    assert result.exit_code == 1 and "no staff user" in result.output


def test_db_upgrade_creates_an_sqlite_file(tmp_path):
    path = tmp_path / "data" / "bot.db"
    result = runner.invoke(cli, ["db", "upgrade", "--url", f"sqlite:///{path}"])
    assert result.exit_code == 0, result.output
    assert path.exists()


def test_db_upgrade_seeds_the_employer_faq_once(tmp_path):
    from sqlmodel import Session, select

    from bot.escalations.models import FaqEntry

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    first = runner.invoke(cli, ["db", "upgrade", "--url", url])
    again = runner.invoke(cli, ["db", "upgrade", "--url", url])
    assert first.exit_code == 0 and again.exit_code == 0, first.output + again.output
    assert "starting FAQ entries" in first.output
    assert "starting FAQ entries" not in again.output
    engine = make_engine(url)
    with Session(engine) as session:
        assert len(session.exec(select(FaqEntry)).all()) >= 15
    engine.dispose()


def test_demo_data_loads_once(tmp_path, settings):
    """What `make run` loads, every domain's seeders included (test_migrations covers the schema)."""
    from bot import wiring
    from bot.clock import utcnow
    from bot.db import session_scope
    from bot.demo import DEMO_ADMIN_EMAIL, DEMO_LOGINS, DEMO_PASSWORD, load_demo_if_empty

    seeders = wiring.wire().demo_seeders
    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    bot.tables.metadata.create_all(engine)
    try:
        with session_scope(engine) as session:
            demo = load_demo_if_empty(session, settings=settings, now=utcnow(), seeders=seeders)
        assert demo is not None
        assert {"da", "ar", "so", "ti", "fa", "uk"} <= set(demo.citizen_ids)
        with session_scope(engine) as session:
            assert load_demo_if_empty(session, settings=settings, now=utcnow()) is None
            admin = session.exec(select(Staff).where(Staff.email == DEMO_ADMIN_EMAIL)).one()
            assert verify_password(admin.password_hash, DEMO_PASSWORD)
            # Every role can be tried: one login each, with the demo password.
            for role, email in DEMO_LOGINS.items():
                person = session.exec(select(Staff).where(Staff.email == email)).one()
                assert person.role == role and verify_password(person.password_hash, DEMO_PASSWORD)
            assert set(DEMO_LOGINS) == set(Role)
    finally:
        engine.dispose()


def test_serve_refuses_twilio_without_a_token_in_one_line(monkeypatch):
    monkeypatch.setenv("BOT_SMS_TRANSPORT", "twilio")
    monkeypatch.setenv("BOT_TWILIO_ACCOUNT_SID", "AC" + "1" * 32)
    monkeypatch.setenv("BOT_TWILIO_FROM_NUMBER", "+4570000000")
    monkeypatch.setenv("BOT_SECRET_KEY", "s3cret")
    monkeypatch.setenv("BOT_TWILIO_AUTH_TOKEN", "")  # empty also overrides a developer's .env
    get_settings.cache_clear()
    try:
        result = runner.invoke(cli, ["serve", "--port", "1"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert result.output.strip() == "error: BOT_TWILIO_AUTH_TOKEN is required when BOT_SMS_TRANSPORT=twilio"


def test_a_database_without_tables_gets_a_hint(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    get_settings.cache_clear()
    try:
        result = runner.invoke(cli, ["tokens", "create", "--email", "a@k.dk"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert "run `bot db upgrade`" in result.output
