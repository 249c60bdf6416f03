"""`bot chat`: a conversation from the terminal through the real pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

import bot.tables
from bot.cli import app
from bot.config import get_settings
from bot.contacts.models import Citizen
from bot.db import make_engine
from bot.i18n import render


def test_chat_prints_the_replies_in_the_citizens_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seams: None
) -> None:
    url = f"sqlite:///{tmp_path / 'chat.db'}"
    engine = make_engine(url)
    bot.tables.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Citizen(name="Amal", phone="+4520123456", language="ar"))
        session.commit()
    engine.dispose()
    monkeypatch.setenv("BOT_DATABASE_URL", url)
    monkeypatch.setenv("BOT_DEMO", "1")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["chat", "--phone", "+4520123456", "--say", "ana mareed"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "citizen 1 (Amal, ar)" in result.output
    # Answered at once, in Arabic, asking how long (with the receipt when absences are wired).
    question = render("flow.sick.ask_length", "ar").split(". ", 1)[1]
    assert "< " in result.output and question in result.output
