"""Fixtures for conversations held through the real inbound pipeline."""

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
from bot.contacts.models import Citizen
from bot.conversations import registry
from bot.conversations.pipeline import process_inbound
from bot.conversations.responder import respond_citizen

_sids = itertools.count(1)


@pytest.fixture
def seams() -> Iterator[None]:
    """Only the citizen responder is registered; a test adds the effect handlers it needs."""
    saved = (dict(registry._responders), dict(registry._effects))
    registry.clear()
    registry.register_responder("citizen", respond_citizen)
    yield
    registry.clear()
    registry._responders.update(saved[0])
    registry._effects.update(saved[1])


@pytest.fixture
def citizen(engine: Engine) -> Citizen:
    with Session(engine, expire_on_commit=False) as session:
        person = Citizen(name="Amal Hassan", phone="+4520123456", language="da")
        session.add(person)
        session.commit()
        return person


Send = Callable[..., list[Message]]


@pytest.fixture
def send(engine: Engine, settings: Settings, seams: None) -> Send:
    """Text the assistant as ``phone``; returns the replies queued for it, in order."""

    def _send(text: str, now: datetime, phone: str = "+4520123456") -> list[Message]:
        with Session(engine) as session:
            stored = store_inbound(
                session, provider_sid=f"SMtest{next(_sids):026d}", from_address=phone, body=text,
                raw_payload={"Body": text}, signature=SignatureVerdict.valid, now=now,
            )
        ids = process_inbound(engine, stored.message_id, settings=settings, now=now)
        with Session(engine, expire_on_commit=False) as session:
            rows = session.exec(select(Message).where(Message.id.in_(ids))).all()  # type: ignore[union-attr]
            return sorted(rows, key=lambda m: m.id or 0)

    return _send


def outbound(engine: Engine) -> list[Message]:
    with Session(engine, expire_on_commit=False) as session:
        return list(session.exec(select(Message).where(Message.direction == Direction.outbound)).all())


class Recorder:
    """An effect handler that keeps what it was given and answers with a fixed reply."""

    def __init__(self, template: str | None = None) -> None:
        self.effects: list[dict[str, Any]] = []
        self.template = template

    def __call__(self, **kwargs: Any) -> list[registry.Reply]:
        self.effects.append(kwargs["effect"])
        return [registry.Reply(self.template)] if self.template else []
