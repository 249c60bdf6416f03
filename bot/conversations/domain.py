"""What the conversation machinery brings: the citizen responder, its own effects, flow timeouts."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from bot.conversations.jobs import INBOUND_SWEEP_INTERVAL_SECONDS, flow_timeouts_job, inbound_sweep_job
from bot.conversations.responder import EFFECTS, respond_citizen
from bot.domain import Domain
from bot.jobs import Job, JobContext

FLOW_TIMEOUT_INTERVAL_SECONDS = 60.0


def _jobs(context: JobContext) -> Sequence[Job]:
    return (
        Job("conversations.flow_timeouts", flow_timeouts_job, FLOW_TIMEOUT_INTERVAL_SECONDS),
        Job("conversations.inbound_sweep", partial(inbound_sweep_job, peers=context.peers),
            INBOUND_SWEEP_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="conversations",
    responders={"citizen": respond_citizen},
    effect_handlers=EFFECTS,
    jobs=_jobs,
)
