"""What the clock runs: each domain's ``DOMAIN.jobs``, gathered from the composed list.

A job receives the engine, settings, transport and ``now``; it claims its own rows, so any
number of app instances may run the same job at once. Each run is isolated: one failing
job is logged and does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine

from bot.config import Settings

if TYPE_CHECKING:
    from bot.domain import Domain

JobFn = Callable[[Engine, Settings, Any, datetime], None]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFn
    interval_seconds: float


def all_jobs(settings: Settings, domains: Sequence[Domain] | None = None) -> list[Job]:
    """Every job of ``domains`` (default: every domain) with its interval."""
    from bot.composition import all_domains

    chosen = all_domains() if domains is None else domains
    return [job for domain in chosen for job in domain.jobs(settings)]
