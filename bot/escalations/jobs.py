"""What the clock runs for employer tickets: the SLA sweep."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import session_scope
from bot.escalations.sweep import sweep

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 60.0


def sweep_tickets(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    """Warn and escalate every ticket due at ``now``; the outbox sends the SMS."""
    with session_scope(engine) as session:
        result = sweep(session, now=now, settings=settings)
    if result.warned or result.escalated:
        log.info("ticket sweep: warned %s, escalated %s", result.warned, result.escalated)
