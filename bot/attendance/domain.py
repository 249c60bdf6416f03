"""What attendance brings: items for missing outcomes, the API, the panel's marking."""

from __future__ import annotations

from collections.abc import Sequence

from bot.attendance import jobs, routes
from bot.domain import Domain
from bot.jobs import Job, JobContext


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job("attendance.missing_outcomes", jobs.missing_outcomes_job, jobs.MISSING_INTERVAL_SECONDS),)


DOMAIN = Domain(
    name="attendance",
    jobs=_jobs,
    api_routers=(routes.router,),
    admin_sections=("admin.domains.attendance",),
)
