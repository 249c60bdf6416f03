"""Conversation state per phone number, so a restart mid-flow continues where it was."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(unique=True, index=True)
    contact_kind: str = "unknown"
    contact_id: int | None = None
    flow: str | None = None
    state: dict[str, Any] = json_field(dict)
    wait_until: datetime | None = utc_field(index=True)
    last_inbound_at: datetime | None = utc_field()
    updated_at: datetime | None = utc_field()
