"""`bot privacy export|erase|retention` on a database file."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

import bot.tables
from bot.audit.models import AuditEntry
from bot.cli import app
from bot.config import get_settings
from bot.contacts.models import Citizen, Role, Staff
from bot.db import make_engine


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    engine = make_engine(url)
    bot.tables.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Staff(name="Admin", email="admin@kommune.dk", role=Role.admin))
        s.add(Citizen(name="Amal Hassan", phone="+4520123456"))
        s.commit()
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    monkeypatch.setenv("BOT_DEMO", "1")
    get_settings.cache_clear()
    yield engine
    get_settings.cache_clear()
    engine.dispose()


def test_export_prints_json_and_is_audited(database):
    result = CliRunner().invoke(app, ["privacy", "export", "--citizen", "1", "--by", "admin@kommune.dk"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["citizen"]["name"] == "Amal Hassan"
    with Session(database) as s:
        assert s.exec(select(AuditEntry.action)).all() == ["privacy.export"]


def test_erase_needs_confirmation_and_a_known_staff_member(database):
    runner = CliRunner()
    assert runner.invoke(app, ["privacy", "erase", "--citizen", "1", "--by", "admin@kommune.dk"]).exit_code == 2
    unknown = runner.invoke(app, ["privacy", "erase", "--citizen", "1", "--by", "nobody@x.dk", "--yes"])
    assert unknown.exit_code == 1 and "--by" in unknown.output
    done = runner.invoke(app, ["privacy", "erase", "--citizen", "1", "--by", "admin@kommune.dk", "--yes"])
    assert done.exit_code == 0, done.output
    with Session(database) as s:
        assert s.get(Citizen, 1).phone is None


def test_retention_runs_the_sweep(database):
    result = CliRunner().invoke(app, ["privacy", "retention"])
    assert result.exit_code == 0 and "BOT_RETENTION_DAYS=730" in result.output
