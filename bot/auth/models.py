"""Failed sign-in counters, kept in the database so every app instance sees the same lock."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from bot.models_base import utc_field


class LoginThrottle(SQLModel, table=True):
    """Failures for one key: ``account:<email>`` or ``address:<ip>``."""

    __tablename__ = "login_throttle"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    failures: int = 0
    last_failure_at: datetime | None = utc_field()
    locked_until: datetime | None = utc_field()
