"""Where a conversation stands in a flow, and the one way other domains move it.

A conversation row keeps the flow engine's state as JSON (``Conversation.state["engine"]``)
beside a few keys of its own (the language offer, whether the language was checked). That dict
is this package's business: a domain that reads it by hand breaks the day the engine stores its
step elsewhere. Domains therefore ask ``position()`` and act with ``start_flow()``,
``end_flow()`` and ``is_waiting()``; ``tests/test_layers.py`` holds them to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.config import Settings
from bot.conversations.models import Conversation
from bot.flows.definition import FlowError, load_flow
from bot.flows.engine import Inbound, start, wait_until

CITIZEN_FLOW = "citizen"
EMPLOYER_FLOW = "employer"


@dataclass(frozen=True)
class FlowPosition:
    """The flow a conversation is in, the question it waits on and until when."""

    flow: str | None
    step: str | None
    waits_until: datetime | None

    def waiting_at(self, now: datetime) -> bool:
        """A question is open and its answer still expected: a new question would take its place."""
        return bool(self.flow) and self.waits_until is not None and self.waits_until > now


def position(conversation: Conversation) -> FlowPosition:
    engine = (conversation.state or {}).get("engine") or {}
    step = engine.get("step") if isinstance(engine, dict) else None
    return FlowPosition(flow=conversation.flow, step=str(step) if step else None,
                        waits_until=conversation.wait_until)


def waiting_step(conversation: Conversation) -> str | None:
    """The question the conversation waits on an answer to (the flow's step), if any."""
    return position(conversation).step


def is_waiting(conversation: Conversation, now: datetime) -> bool:
    """A question of a flow is waiting for its answer (a new one would take its place)."""
    return position(conversation).waiting_at(now)


def waits_for_words(conversation: Conversation, now: datetime) -> bool:
    """The open question takes any words as its answer (why they cannot come): what they write
    next is that answer, even when on its own it would begin something else ("my son is sick")."""
    where = position(conversation)
    if not where.waiting_at(now) or where.flow is None or where.step is None:
        return False
    try:
        return load_flow(where.flow).step(where.step).expect == "text"
    except FlowError:
        return False


def save_state(conversation: Conversation, updates: dict[str, Any], now: datetime) -> None:
    """Merge ``updates`` into the conversation's own keys; a key set to ``None`` is removed."""
    state = dict(conversation.state or {})
    state.update(updates)
    conversation.state = {k: v for k, v in state.items() if v is not None}
    conversation.updated_at = now


def end_flow(conversation: Conversation, now: datetime) -> None:
    """Stop waiting: the flow's question is answered elsewhere, or there is nothing to follow up
    (a lone "2" with nothing to cancel)."""
    save_state(conversation, {"engine": None}, now)
    conversation.flow = None
    conversation.wait_until = None


def start_flow(
    session: Session, conversation: Conversation, *, entry: str, data: dict[str, Any],
    settings: Settings, now: datetime, flow: str = CITIZEN_FLOW,
) -> None:
    """Something a domain sent asks a question (a reminder, a morning check-in, a no-show
    follow-up): the next answer is read at ``flow``'s ``entry`` step with ``data``."""
    result = start(load_flow(flow), entry, data, now, Inbound(timezone=settings.timezone))
    conversation.flow = result.state.get("flow")
    conversation.wait_until = wait_until(result.state)
    save_state(conversation, {"engine": result.state}, now)
    session.add(conversation)
