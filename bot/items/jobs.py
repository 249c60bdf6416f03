"""The items' scheduled work: close what was settled out of sight of the flush hook."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import session_scope
from bot.items.closing import close_settled

log = logging.getLogger(__name__)
CLOSE_SETTLED_INTERVAL_SECONDS = 600.0


def close_settled_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    with session_scope(engine) as session:
        closed = close_settled(session, now=now)
    if closed:
        log.info("closed %s open items whose subject was already settled", closed)
