"""Open items: what staff must look at, each with who it concerns and when it is due."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict
from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.models_base import json_field, utc_field


class ItemKind(StrEnum):
    unknown_sender = "unknown_sender"
    delivery_failed = "delivery_failed"
    processing_failed = "processing_failed"
    handover = "handover"  # the contact asked for a person
    flow_expired = "flow_expired"
    maybe_not_sent = "maybe_not_sent"
    cancellation = "cancellation"
    sick_notice = "sick_notice"
    ask_documentation = "ask_documentation"
    attendance_missing = "attendance_missing"
    unconfirmed = "unconfirmed"
    attendance_check = "attendance_check"
    hearing_awaiting_remarks = "hearing_awaiting_remarks"
    hearing_awaiting_decision = "hearing_awaiting_decision"
    hearing_remark = "hearing_remark"


class _Input(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class OpenItemBase(SQLModel):
    kind: str = Field(index=True)
    phone: str | None = None
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    summary: str = ""  # for staff, in the admin's language; never health details
    due_at: ApiDatetime | None = utc_field()


class OpenItem(OpenItemBase, table=True):
    __tablename__ = "open_item"
    __table_args__ = (Index("ix_open_item_open", "resolved_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    details: dict[str, Any] = json_field(dict)
    dedupe_key: str | None = Field(default=None, unique=True)
    created_at: datetime | None = utc_field()
    resolved_at: datetime | None = utc_field()
    resolved_by_id: int | None = Field(default=None, foreign_key="staff.id")


class OpenItemCreate(OpenItemBase, _Input):
    kind: ItemKind
    details: dict[str, Any] = Field(default_factory=dict)
    dedupe_key: str | None = None


class OpenItemUpdate(_Input):
    """Staff hand an item on or move its deadline; closing it is ``bot.items.service.resolve``."""

    assignee_id: int | None = None
    due_at: ApiDatetime | None = None


# Without ``details`` (what a person wrote may be in it) and the internal ``dedupe_key``.
class OpenItemPublic(OpenItemBase):
    model_config = ConfigDict(from_attributes=True)  # type: ignore[assignment]

    id: int
    created_at: ApiDatetime | None = None
    resolved_at: ApiDatetime | None = None
    resolved_by_id: int | None = None
