"""What the webhooks and the inbound worker report to Prometheus.

The counters live in this process (each instance is scraped on its own). The backlog is read
from the database at scrape time, so every instance reports the same figure.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.models import Direction, Message, MessageStatus

REJECTED_SIGNATURES = Counter(
    "bot_webhook_rejected_signatures",
    "Webhook posts refused because X-Twilio-Signature was missing or wrong.",
    ["endpoint"],
)
INBOUND_DUPLICATES = Counter("bot_inbound_duplicates", "Provider retries of a stored message.")
COUNTERS = (REJECTED_SIGNATURES, INBOUND_DUPLICATES)


def rejected_signatures(endpoint: str) -> float:
    return REJECTED_SIGNATURES.labels(endpoint=endpoint)._value.get()


class InboundBacklogCollector(Collector):
    """Messages stored and acknowledged but not yet interpreted: a burst shows here first."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        waiting = GaugeMetricFamily("bot_inbound_waiting", "Inbound messages stored, not yet interpreted")
        oldest = GaugeMetricFamily(
            "bot_inbound_oldest_waiting_seconds", "How long the oldest of those has waited (0 when none)"
        )
        with Session(self.engine) as session:
            count, first = session.exec(
                select(func.count(), func.min(Message.created_at)).where(
                    Message.direction == Direction.inbound, Message.status == MessageStatus.received
                )
            ).one()
        waiting.add_metric([], float(count))
        oldest.add_metric([], max(0.0, (self.clock() - first).total_seconds()) if first else 0.0)
        yield from (waiting, oldest)


__all__ = [
    "COUNTERS", "INBOUND_DUPLICATES", "REJECTED_SIGNATURES", "InboundBacklogCollector", "rejected_signatures",
]
