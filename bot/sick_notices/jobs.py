"""What the clock runs for sick notices: open notices run on a day, check-ins fall due."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings
from bot.db import session_scope
from bot.sick_notices import check_ins, service
from bot.sick_notices.handlers import options_from

SICK_SWEEP_INTERVAL_SECONDS = 900.0


def sick_notice_sweep_job(engine: Engine, settings: Settings, transport: Any, now: datetime) -> None:
    with session_scope(engine) as session:
        service.extend_open_notices(session, now=now, options=options_from(settings, session))
        check_ins.send_due(session, now=now, settings=settings)
