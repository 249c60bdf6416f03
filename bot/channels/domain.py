"""What the channels bring: the provider's webhooks, the outbox and delivery jobs, the delivery page."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.channels import jobs, routes
from bot.domain import Domain
from bot.jobs import Job, JobContext


def _jobs(context: JobContext) -> Sequence[Job]:
    # The peers are other domains, which the channels never import: the roots hand them in.
    peers = context.peers
    return (
        Job("channels.dispatch", partial(jobs.dispatch_job, peers=peers),
            context.settings.dispatch_interval_seconds),
        Job("channels.reconcile_sending", partial(jobs.reconcile_job, peers=peers),
            jobs.RECONCILE_INTERVAL_SECONDS),
        Job("channels.delivery_checks", partial(jobs.delivery_checks_job, peers=peers),
            jobs.DELIVERY_CHECK_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="channels",
    jobs=_jobs,
    # Composed first: the webhooks are most of the traffic, and routes match in inclusion order.
    public_routers=(routes.router,),
    admin_sections=("admin.domains.delivery",),
)
