"""Open items: what staff must look at, each with who it concerns and when it is due."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

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


class OpenItem(SQLModel, table=True):
    __tablename__ = "open_item"
    __table_args__ = (Index("ix_open_item_open", "resolved_at", "due_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True)
    phone: str | None = None
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    employer_id: int | None = Field(default=None, foreign_key="employer.id", index=True)
    assignee_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    summary: str = ""  # for staff, in the admin's language; never health details
    details: dict[str, Any] = json_field(dict)
    dedupe_key: str | None = Field(default=None, unique=True)
    due_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()
    resolved_at: datetime | None = utc_field()
    resolved_by_id: int | None = Field(default=None, foreign_key="staff.id")
