"""Shared-phone and media tests: the real pipeline, the real handlers, the real Twilio client."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.inbound_store import store_inbound
from bot.channels.models import Direction, Message, SignatureVerdict
from bot.config import Settings
from bot.conversations import registry
from bot.conversations.pipeline import process_inbound
from bot.conversations.responder import register_effects, respond_citizen
from bot.reminders import replies as reminder_replies
from bot.sick_notices import handlers as absence_handlers
from tests.fakes.twilio_api import FROM_NUMBER, fake_twilio, twilio_settings

__all__ = ["FROM_NUMBER", "fake_twilio", "twilio_settings"]

_sids = itertools.count(1)
PHONE = "+4520123456"


@pytest.fixture
def wired() -> Iterator[None]:
    """The citizen responder and every real effect handler, as the app wires them."""
    saved = (dict(registry._responders), dict(registry._effects))
    registry.clear()
    registry.register_responder("citizen", respond_citizen)
    register_effects()
    absence_handlers.register()
    reminder_replies.register()
    yield
    registry.clear()
    registry._responders.update(saved[0])
    registry._effects.update(saved[1])


Post = Callable[..., list[Message]]


def post_with(engine: Engine, settings: Settings) -> Post:
    def _post(text: str, now: datetime, phone: str = PHONE, payload: dict[str, Any] | None = None) -> list[Message]:
        with Session(engine) as session:
            stored = store_inbound(
                session, provider_sid=f"SMfam{next(_sids):027d}", from_address=phone, body=text,
                raw_payload={"Body": text, **(payload or {})}, signature=SignatureVerdict.valid, now=now,
            )
        ids = process_inbound(engine, stored.message_id, settings=settings, now=now)
        with Session(engine, expire_on_commit=False) as session:
            rows = session.exec(select(Message).where(Message.id.in_(ids))).all()  # type: ignore[union-attr]
            return sorted(rows, key=lambda m: m.id or 0)

    return _post


@pytest.fixture
def post(engine: Engine, settings: Settings, wired: None) -> Post:
    """Text the assistant as ``phone``; the replies queued for it, in order."""
    return post_with(engine, settings)


def inbound(engine: Engine) -> list[Message]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.exec(select(Message).where(Message.direction == Direction.inbound)).all())
