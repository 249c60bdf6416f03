"""The retention sweep the scheduler runs: erase expired content in short transactions."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.audit import service as audit
from bot.config import Settings
from bot.db import session_scope
from bot.privacy.service import erase_expired

log = logging.getLogger("bot.privacy")

BATCH_SIZE = 500
# One run erases at most this many batches; the next tick continues, so a first run over a
# large backlog never holds the scheduler for long.
MAX_BATCHES = 200
RETENTION_INTERVAL_SECONDS = 3600.0


def retention_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    messages = records = held = 0
    for _ in range(MAX_BATCHES):
        with session_scope(engine) as session:
            result = erase_expired(
                session, now=now, retention_days=settings.retention_days, batch_size=BATCH_SIZE
            )
        messages += result.messages_erased
        records += result.records_erased
        held = result.held_messages
        if result.messages_erased < BATCH_SIZE and result.records_erased < BATCH_SIZE:
            break
    if messages or records:
        with session_scope(engine) as session:
            audit.record(
                session,
                staff_id=None,
                action="privacy.retention",
                subject="messages",
                now=now,
                details={
                    "messages_erased": messages,
                    "records_erased": records,
                    "held_messages": held,
                    "retention_days": settings.retention_days,
                },
            )
    log.info("retention: erased %d messages and %d records, %d held", messages, records, held)
