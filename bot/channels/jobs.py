"""What the clock runs for the channels: the outbox, stale sends, delivery checks.

Each job takes the ``DeliveryPeers`` as a keyword: the channels' domain binds them when the
composition makes the jobs.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine

from bot.channels.delivery_checks import check_stale_sent, sweep_early_statuses
from bot.channels.dispatcher import dispatch, reconcile_sending
from bot.channels.peers import DeliveryPeers
from bot.config import Settings

log = logging.getLogger("bot.channels.jobs")

RECONCILE_INTERVAL_SECONDS = 60.0
DELIVERY_CHECK_INTERVAL_SECONDS = 60.0


def dispatch_job(
    engine: Engine, settings: Settings, transport: Any, now: datetime, *, peers: DeliveryPeers
) -> None:
    report = dispatch(engine, settings, transport, now, peers=peers)
    if report.handled:
        log.info(
            "outbox dispatched",
            extra={"sent": report.sent, "retried": report.retried, "failed": report.failed,
                   "cancelled": report.cancelled},
        )


def reconcile_job(
    engine: Engine, settings: Settings, transport: Any, now: datetime, *, peers: DeliveryPeers
) -> None:
    settled = reconcile_sending(engine, settings, transport, now, peers=peers)
    if settled:
        log.info("stale sends settled", extra={"count": settled})


def delivery_checks_job(
    engine: Engine, settings: Settings, transport: Any, now: datetime, *, peers: DeliveryPeers
) -> None:
    """Apply delivery reports kept for later, and ask the provider about messages left at sent."""
    applied = sweep_early_statuses(engine, now, peers=peers)
    if applied:
        log.info("kept delivery reports applied", extra={"count": applied})
    check_stale_sent(
        engine, transport, now, stale_after=timedelta(minutes=settings.stale_sent_minutes), peers=peers
    )
