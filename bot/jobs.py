"""What the clock runs: every scheduled job, registered in one place.

A job receives the engine, settings, transport and ``now``; it claims its own rows, so any
number of app instances may run the same job at once. Each run is isolated: one failing
job is logged and does not stop the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from bot.config import Settings

JobFn = Callable[[Engine, Settings, Any, datetime], None]


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFn
    interval_seconds: float


def all_jobs(settings: Settings) -> list[Job]:
    """Every job with its interval; domains add theirs here."""
    from bot.privacy.jobs import RETENTION_INTERVAL_SECONDS, retention_job

    jobs: list[Job] = []
    jobs.append(Job("privacy.retention", retention_job, RETENTION_INTERVAL_SECONDS))
    from bot.reminders.jobs import JOB_NAME as REMINDERS_JOB
    from bot.reminders.jobs import dispatch_reminders_job

    jobs.append(Job(REMINDERS_JOB, dispatch_reminders_job, settings.dispatch_interval_seconds))
    from bot.conversations.jobs import flow_timeouts_job

    jobs.append(Job("conversations.flow_timeouts", flow_timeouts_job, 60.0))
    from bot.channels.jobs import (
        DELIVERY_CHECK_INTERVAL_SECONDS,
        INBOUND_SWEEP_INTERVAL_SECONDS,
        RECONCILE_INTERVAL_SECONDS,
        delivery_checks_job,
        dispatch_job,
        inbound_sweep_job,
        reconcile_job,
    )

    jobs.append(Job("channels.dispatch", dispatch_job, settings.dispatch_interval_seconds))
    jobs.append(Job("channels.reconcile_sending", reconcile_job, RECONCILE_INTERVAL_SECONDS))
    jobs.append(Job("channels.inbound_sweep", inbound_sweep_job, INBOUND_SWEEP_INTERVAL_SECONDS))
    jobs.append(Job("channels.delivery_checks", delivery_checks_job, DELIVERY_CHECK_INTERVAL_SECONDS))
    from bot.escalations.jobs import SWEEP_INTERVAL_SECONDS as TICKET_SWEEP_INTERVAL
    from bot.escalations.jobs import sweep_tickets

    jobs.append(Job("escalations.sweep", sweep_tickets, TICKET_SWEEP_INTERVAL))
    from bot.escalations.jobs import FOLLOW_UP_INTERVAL_SECONDS, follow_up_job

    jobs.append(Job("escalations.follow_ups", follow_up_job, FOLLOW_UP_INTERVAL_SECONDS))
    from bot.absences import jobs as absence_jobs

    jobs.append(Job("absences.missing_outcomes", absence_jobs.missing_outcomes_job,
                    absence_jobs.MISSING_INTERVAL_SECONDS))
    jobs.append(Job("absences.sick_notice_sweep", absence_jobs.sick_notice_sweep_job,
                    absence_jobs.SICK_SWEEP_INTERVAL_SECONDS))
    jobs.append(Job("absences.hearing_remarks", absence_jobs.hearing_remarks_job,
                    absence_jobs.REMARKS_INTERVAL_SECONDS))
    return jobs
