"""One row per setting staff may change at run time; the value is JSON, validated by its owner."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from bot.models_base import utc_field


class Preference(SQLModel, table=True):
    __tablename__ = "preference"

    key: str = Field(primary_key=True)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    updated_at: datetime | None = utc_field()
    updated_by_id: int | None = Field(default=None, foreign_key="staff.id")
