"""The clock: APScheduler ticks every registered job; the database holds all business state.

Each job claims its own due rows, so a restart loses nothing and several app instances may
tick side by side. One job failing is logged and does not disturb the others.
"""

from __future__ import annotations

import logging
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.engine import Engine

from bot.clock import utcnow
from bot.config import Settings
from bot.jobs import Job, all_jobs

log = logging.getLogger(__name__)


def run_job(job: Job, engine: Engine, settings: Settings, transport: Any) -> bool:
    """Run ``job`` once at the current time; True when it finished without raising."""
    try:
        job.run(engine, settings, transport, utcnow())
    except Exception:
        log.exception("job failed", extra={"job": job.name})
        return False
    return True


def make_scheduler(
    engine: Engine, settings: Settings, transport: Any, jobs: list[Job] | None = None
) -> BackgroundScheduler:
    """A scheduler (not started) that ticks ``jobs`` (default: every registered job)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    for job in all_jobs(settings) if jobs is None else jobs:
        scheduler.add_job(
            run_job,
            "interval",
            seconds=job.interval_seconds,
            args=(job, engine, settings, transport),
            id=job.name,
            name=job.name,
            max_instances=1,  # a slow run is never overlapped by the next tick
            coalesce=True,  # after a pause, run once rather than catching up every missed tick
            misfire_grace_time=None,
            replace_existing=True,
        )
    return scheduler


__all__ = ["make_scheduler", "run_job"]
