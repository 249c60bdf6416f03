"""Column helpers shared by every table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field

from bot.db import UTCDateTime


def utc_field(*, nullable: bool = True, index: bool = False, default: Any = None) -> Any:
    """A timezone-aware UTC timestamp column."""
    return Field(
        default=default,
        sa_column=Column(UTCDateTime(), nullable=nullable, index=index),
    )


def json_field(default_factory: Any = dict) -> Any:
    return Field(default_factory=default_factory, sa_column=Column(JSON, nullable=False))


__all__ = ["datetime", "json_field", "utc_field"]
