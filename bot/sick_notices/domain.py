"""What sick notices bring: the flow's effects, the sweep of open notices, API and panel sections."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Domain
from bot.jobs import Job, JobContext
from bot.sick_notices import cancellation_routes, jobs, routes
from bot.sick_notices.handlers import EFFECTS


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job("sick_notices.sweep", jobs.sick_notice_sweep_job, jobs.SICK_SWEEP_INTERVAL_SECONDS),)


DOMAIN = Domain(
    name="sick_notices",
    effect_handlers=EFFECTS,
    jobs=_jobs,
    api_routers=(cancellation_routes.router, routes.router),
    admin_sections=("admin.domains.absences", "admin.domains.notices"),
)
