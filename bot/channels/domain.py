"""What the channels bring: the provider's webhooks, the outbox and delivery jobs, the delivery page."""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels import jobs, routes
from bot.config import Settings
from bot.domain import Domain
from bot.jobs import Job


def _jobs(settings: Settings) -> Sequence[Job]:
    return (
        Job("channels.dispatch", jobs.dispatch_job, settings.dispatch_interval_seconds),
        Job("channels.reconcile_sending", jobs.reconcile_job, jobs.RECONCILE_INTERVAL_SECONDS),
        Job("channels.delivery_checks", jobs.delivery_checks_job, jobs.DELIVERY_CHECK_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="channels",
    jobs=_jobs,
    # Composed first: the webhooks are most of the traffic, and routes match in inclusion order.
    public_routers=(routes.router,),
    admin_sections=("admin.domains.delivery",),
)
