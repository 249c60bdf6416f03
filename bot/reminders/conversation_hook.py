"""After a reminder asks "are you coming?", the citizen's next answer belongs to that appointment."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings
from bot.conversations import service as conversations
from bot.conversations.flow_state import position, start_flow
from bot.conversations.models import Conversation


def ask_attendance(
    session: Session, conversation: Conversation, *, appointment_id: int, settings: Settings, now: datetime
) -> None:
    """A reminder asked "are you coming?": the next answer goes to ``appointment_id``."""
    start_flow(session, conversation, entry="attendance", data={"appointment_id": appointment_id},
               settings=settings, now=now)


def expect_answers(engine: Engine, settings: Settings, asked: list[tuple[str, int]], now: datetime) -> None:
    """Point each asked citizen's conversation at the appointment, unless they are mid-conversation.

    A citizen who is in the middle of something else (a sick notice) is not interrupted; a later
    "1" or "2" still finds the appointment as the nearest open one that asked.
    """
    with Session(engine, expire_on_commit=False) as session:
        for phone, appointment_id in asked:
            conversation = conversations.get_or_create(session, phone=phone, now=now)
            where = position(conversation)
            if where.waiting_at(now) and where.step != "attendance":
                continue
            ask_attendance(session, conversation, appointment_id=appointment_id, settings=settings, now=now)
        session.commit()
