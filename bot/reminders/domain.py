"""What reminders bring: answers to reminders, their dispatch, API, calendar feed, panel, demo."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.domain import Domain
from bot.jobs import Job, JobContext
from bot.reminders import routes
from bot.reminders.calendar_routes import calendar_router
from bot.reminders.demo import seed_demo_appointments
from bot.reminders.jobs import JOB_NAME, dispatch_reminders_job
from bot.reminders.replies import EFFECTS


def _jobs(context: JobContext) -> Sequence[Job]:
    return (Job(JOB_NAME, partial(dispatch_reminders_job, peers=context.peers),
                context.settings.dispatch_interval_seconds),)


DOMAIN = Domain(
    name="reminders",
    effect_handlers=EFFECTS,
    jobs=_jobs,
    api_routers=(routes.router,),
    public_routers=(calendar_router,),
    admin_sections=(
        "admin.domains.reminders",
        "admin.domains.records_appointments",
        "admin.domains.records_placements",
        "admin.domains.records_import",
    ),
    demo_seeders=(seed_demo_appointments,),
)
