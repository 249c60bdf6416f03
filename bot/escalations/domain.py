"""What the employer side brings: its responder and effects, sweeps, API, panel and demo tickets."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain import Domain
from bot.escalations import jobs, routes
from bot.escalations.conversation import respond
from bot.escalations.demo import seed_demo_tickets
from bot.escalations.handlers import EFFECTS
from bot.jobs import Job, JobContext


def _jobs(context: JobContext) -> Sequence[Job]:
    return (
        Job("escalations.sweep", jobs.sweep_tickets, jobs.SWEEP_INTERVAL_SECONDS),
        Job("escalations.follow_ups", jobs.follow_up_job, jobs.FOLLOW_UP_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="escalations",
    responders={"employer_contact": respond},
    effect_handlers=EFFECTS,
    jobs=_jobs,
    api_routers=(routes.router, routes.partnership_router),
    public_routers=(routes.metrics_router,),
    admin_sections=("admin.domains.tickets", "admin.domains.ticket_actions", "admin.domains.faq"),
    demo_seeders=(seed_demo_tickets,),
)
