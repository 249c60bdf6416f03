"""What open items bring: their sections on the panel's open-items page, and a sweep closing
items whose subject was settled out of sight of the flush hook."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Domain
from bot.items import jobs
from bot.jobs import Job, JobContext


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job("items.close_settled", jobs.close_settled_job, jobs.CLOSE_SETTLED_INTERVAL_SECONDS),)


DOMAIN = Domain(name="items", jobs=_jobs, admin_sections=("admin.domains.items",))
