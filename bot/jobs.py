"""What the clock runs: each domain's ``DOMAIN.jobs``, gathered from the composed list.

A job receives the engine, settings, transport and ``now``; it claims its own rows, so any
number of app instances may run the same job at once. Each run is isolated: one failing
job is logged and does not stop the others.

A domain's jobs are made from a ``JobContext``: what the roots know and the jobs may need
(the settings for intervals, the peers the channels tell). A job needing more than the four
arguments takes it as a keyword and its domain binds it (``partial(job, peers=context.peers)``),
so no job module reaches up into the composition for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from bot.config import Settings

if TYPE_CHECKING:
    from bot.channels.peers import DeliveryPeers
    from bot.domain import Domain

JobFn = Callable[[Engine, Settings, Any, datetime], None]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFn
    interval_seconds: float


@dataclass(frozen=True)
class JobContext:
    """What a domain's jobs are made with, handed in by the composition roots."""

    settings: Settings
    # what the channels ask and tell the rest of the app, for jobs that send messages
    peers: DeliveryPeers


def all_jobs(
    settings: Settings, domains: Sequence[Domain] | None = None, *, peers: DeliveryPeers | None = None
) -> list[Job]:
    """Every job of ``domains`` (default: every domain) with its interval, telling ``peers``
    (default: ``bot.composition.delivery_peers()``)."""
    from bot.composition import all_domains, delivery_peers

    chosen = all_domains() if domains is None else domains
    context = JobContext(settings=settings, peers=peers if peers is not None else delivery_peers())
    return [job for domain in chosen for job in domain.jobs(context)]
