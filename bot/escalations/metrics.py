"""Ticket figures for Prometheus, read from the database at scrape time (and, on the same page,
the inbound backlog and the webhook counters from ``bot.channels.metrics``).

The database is the truth, so nothing is counted in process memory: every scrape asks it, and
any number of app instances report the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.channels import metrics as channel_metrics
from bot.escalations import report
from bot.escalations.models import ACTIVE_STATUSES, Ticket, TicketKind


class TicketCollector(Collector):
    def __init__(self, engine: Engine, *, timezone: str, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.timezone = timezone
        self.clock = clock

    def collect(self) -> Iterator[GaugeMetricFamily]:
        now = self.clock()
        open_tickets = GaugeMetricFamily(
            "bot_tickets_open", "Employer tickets not yet resolved", labels=["kind"]
        )
        red = GaugeMetricFamily(
            "bot_tickets_escalated_open", "Unresolved employer tickets that passed a deadline (red)"
        )
        share = GaugeMetricFamily(
            "bot_tickets_answered_in_time_ratio",
            "Share of this month's tickets answered within their deadline",
            labels=["consultant_id", "month"],
        )
        median = GaugeMetricFamily(
            "bot_tickets_first_response_median_seconds",
            "Median time from opening to the first staff answer, this month",
            labels=["consultant_id", "month"],
        )
        with Session(self.engine) as session:
            active = col(Ticket.status).in_(list(ACTIVE_STATUSES))
            counts = session.exec(select(Ticket.kind, func.count()).where(active).group_by(Ticket.kind)).all()
            for kind, count in counts:
                open_tickets.add_metric([TicketKind(kind).value], float(count))
            escalated = session.exec(
                select(func.count()).select_from(Ticket).where(active, col(Ticket.escalated_at).is_not(None))
            ).one()
            red.add_metric([], float(escalated))
            month = now.astimezone(ZoneInfo(self.timezone)).strftime("%Y-%m")
            monthly = report.monthly(session, month=month, timezone=self.timezone, now=now)
        for row in [*monthly.rows, monthly.total]:
            label = (
                str(row.assignee_id)
                if row.assignee_id is not None
                else ("all" if row is monthly.total else "none")
            )
            if row.share_in_time is not None:
                share.add_metric([label, month], row.share_in_time)
            if row.median_first_response_seconds is not None:
                median.add_metric([label, month], row.median_first_response_seconds)
        yield from (open_tickets, red, share, median)


def registry_for(engine: Engine, *, timezone: str, clock: Callable[[], datetime]) -> CollectorRegistry:
    """A registry of its own, so several apps (tests) never register a collector twice: the
    ticket figures, the inbound backlog and the webhook counters."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TicketCollector(engine, timezone=timezone, clock=clock))
    registry.register(channel_metrics.InboundBacklogCollector(engine, clock=clock))
    for counter in channel_metrics.COUNTERS:
        registry.register(counter)
    return registry
