"""What privacy brings: the retention job."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import Settings
from bot.domain import Domain
from bot.jobs import Job
from bot.privacy.jobs import RETENTION_INTERVAL_SECONDS, retention_job


def _jobs(settings: Settings) -> Sequence[Job]:
    return (Job("privacy.retention", retention_job, RETENTION_INTERVAL_SECONDS),)


DOMAIN = Domain(name="privacy", jobs=_jobs)
