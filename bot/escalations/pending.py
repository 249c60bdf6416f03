"""What the responder asked an employer last, kept in the Conversation row's state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from bot.conversations.models import Conversation

STATE_KEY = "employer"
PENDING_FOR = timedelta(hours=24)


def take(conversation: Conversation, now: datetime) -> dict[str, Any] | None:
    """What we asked, if still fresh; it is cleared either way (an answer is read only once)."""
    pending = (conversation.state or {}).get(STATE_KEY)
    if not isinstance(pending, dict):
        return None
    put(conversation, None, now)
    try:
        since = datetime.fromisoformat(str(pending.get("since")))
    except ValueError:
        return None
    if since.tzinfo is None or now - since > PENDING_FOR:
        return None
    return pending


def put(conversation: Conversation, pending: dict[str, Any] | None, now: datetime) -> None:
    state = dict(conversation.state or {})
    if pending is None:
        state.pop(STATE_KEY, None)
    else:
        state[STATE_KEY] = {**pending, "since": now.isoformat()}
    conversation.state = state
    conversation.updated_at = now
