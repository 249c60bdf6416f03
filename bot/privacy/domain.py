"""What privacy brings: the retention job."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Domain
from bot.jobs import Job, JobContext
from bot.privacy.jobs import RETENTION_INTERVAL_SECONDS, retention_job


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job("privacy.retention", retention_job, RETENTION_INTERVAL_SECONDS),)


DOMAIN = Domain(name="privacy", jobs=_jobs)
