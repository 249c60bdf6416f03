"""What hearings bring: remarks from SMS, the hearing API, the guidance pages, the panel's casework."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Domain
from bot.hearings import guidance_routes, jobs, routes
from bot.jobs import Job, JobContext


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job("hearings.remarks", jobs.hearing_remarks_job, jobs.REMARKS_INTERVAL_SECONDS),)


DOMAIN = Domain(
    name="hearings",
    jobs=_jobs,
    api_routers=(guidance_routes.router, routes.router),
    public_routers=(guidance_routes.public_router,),
    admin_sections=("admin.domains.hearing_actions",),
)
