"""Who saw or changed what, and when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime | None = utc_field(index=True)
    staff_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    action: str  # view, create, update, delete, export, login ...
    subject: str  # e.g. "citizen:12", "absences:12"
    details: dict[str, Any] = json_field(dict)
    address: str | None = None
