"""`bot import appointments FILE [--dry-run]`: every bad row listed, nothing imported on a bad file."""

from pathlib import Path

import pytest
from sqlmodel import Session, select
from typer.testing import CliRunner

import bot.tables
from bot.cli import app
from bot.config import get_settings
from bot.contacts.models import Citizen
from bot.db import make_engine
from bot.reminders.models import Appointment


@pytest.fixture
def database(tmp_path: Path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    monkeypatch.setenv("BOT_DEMO", "1")
    get_settings.cache_clear()
    engine = make_engine(url)
    bot.tables.metadata.create_all(engine)
    with Session(engine) as s:
        s.add(Citizen(name="Amina", phone="+4520000001", language="ar"))
        s.commit()
    yield engine
    engine.dispose()
    get_settings.cache_clear()


def test_dry_run_then_import(database, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("citizen_phone,kind,starts_at\n20000001,meeting,2030-01-10 10:00\n20000001,meeting,soon\n")
    result = CliRunner().invoke(app, ["import", "appointments", str(bad), "--dry-run"])
    assert result.exit_code == 1
    assert "bad.csv:3: starts_at: 'soon' is not a date and time" in result.output
    good = tmp_path / "good.csv"
    good.write_text("citizen_phone,kind,starts_at\n20000001,meeting,2030-01-10 10:00\n")
    assert CliRunner().invoke(app, ["import", "appointments", str(good), "--dry-run"]).exit_code == 0
    with Session(database) as s:
        assert s.exec(select(Appointment)).all() == []
    result = CliRunner().invoke(app, ["import", "appointments", str(good)])
    assert result.exit_code == 0 and "imported 1 appointment" in result.output
    with Session(database) as s:
        assert len(s.exec(select(Appointment)).all()) == 1
