"""What the clock runs for employers: the SLA sweep and the proactive follow-up sweep."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import session_scope
from bot.escalations import follow_ups
from bot.escalations.sweep import sweep

log = logging.getLogger(__name__)

SWEEP_INTERVAL_SECONDS = 60.0


def sweep_tickets(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    """Warn and escalate every ticket due at ``now``; the outbox sends the SMS."""
    with session_scope(engine) as session:
        result = sweep(session, now=now, settings=settings)
    if result.warned or result.escalated:
        log.info("ticket sweep: warned %s, escalated %s", result.warned, result.escalated)


FOLLOW_UP_INTERVAL_SECONDS = 300.0


def follow_up_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    """Follow-ups due at ``now``: an item for the consultant, a reminder to the company."""
    from functools import partial

    from bot.reminders.config import build_policy
    from bot.reminders.policy import next_allowed

    with session_scope(engine) as session:
        quiet_hours = partial(next_allowed, policy=build_policy(settings, session=session))
        sent = follow_ups.sweep(session, now=now, settings=settings, quiet_hours=quiet_hours)
    if sent:
        log.info("follow-up sweep: %s reminders", sent)
