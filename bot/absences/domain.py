"""What absences bring: sick-notice effects, their sweeps, API and public pages, panel sections."""

from __future__ import annotations

from collections.abc import Sequence

from bot.absences import hearing_routes, jobs, routes
from bot.absences.handlers import EFFECTS
from bot.config import Settings
from bot.domain import Domain
from bot.jobs import Job


def _jobs(settings: Settings) -> Sequence[Job]:
    return (
        Job("absences.missing_outcomes", jobs.missing_outcomes_job, jobs.MISSING_INTERVAL_SECONDS),
        Job("absences.sick_notice_sweep", jobs.sick_notice_sweep_job, jobs.SICK_SWEEP_INTERVAL_SECONDS),
        Job("absences.hearing_remarks", jobs.hearing_remarks_job, jobs.REMARKS_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="absences",
    effect_handlers=EFFECTS,
    jobs=_jobs,
    api_routers=(routes.router, hearing_routes.router),
    public_routers=(routes.public_router,),
    admin_sections=(
        "admin.domains.absences",
        "admin.domains.attendance",
        "admin.domains.hearing_actions",
        "admin.domains.notices",
    ),
)
