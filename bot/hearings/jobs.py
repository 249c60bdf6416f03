"""What the clock runs for hearings: SMS from citizens with an open case become remarks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import session_scope
from bot.hearings import hearings

REMARKS_INTERVAL_SECONDS = 120.0


def hearing_remarks_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    """SMS from citizens with an open hearing become remarks, with an item for the caseworker."""
    with session_scope(engine) as session:
        hearings.sync_open_cases(session)
