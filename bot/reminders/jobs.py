"""What the clock runs for reminders: queue due reminders, send them at once, settle their state."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.channels import dispatcher
from bot.channels.peers import DeliveryPeers
from bot.config import Settings
from bot.reminders.conversation_hook import expect_answers
from bot.reminders.dispatch import enqueue_due, revive_reachable, settle_sent
from bot.reminders.unconfirmed import flag_unconfirmed

log = logging.getLogger("bot.reminders")

JOB_NAME = "reminders.dispatch"


def dispatch_reminders_job(
    engine: Engine, settings: Settings, transport: Any, now: datetime, *, peers: DeliveryPeers
) -> None:
    """One tick: due reminders become messages, which are sent in the same tick, telling ``peers``.

    Sending here (only the messages just queued) rather than waiting for the outbox's own tick
    keeps an idle system within one interval of a reminder's due time.
    """
    revive_reachable(engine, now)
    report = enqueue_due(engine, now, settings.timezone)
    if report.message_ids and transport is not None:
        dispatcher.dispatch(
            engine, settings, transport, now, only_ids=report.message_ids, limit=len(report.message_ids),
            peers=peers,
        )
    if report.asked:
        expect_answers(engine, settings, report.asked, now)
    settled = settle_sent(engine, now)
    flag_unconfirmed(engine, now, settings.timezone)
    if report.enqueued or report.skipped or report.cancelled:
        log.info(
            "reminders dispatched",
            extra={"enqueued": report.enqueued, "skipped": report.skipped,
                   "cancelled": report.cancelled, "settled": settled},
        )
