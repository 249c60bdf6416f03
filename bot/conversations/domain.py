"""What the conversation machinery brings: the citizen responder, its own effects, flow timeouts."""

from __future__ import annotations

from collections.abc import Sequence

from bot.config import Settings
from bot.conversations.jobs import INBOUND_SWEEP_INTERVAL_SECONDS, flow_timeouts_job, inbound_sweep_job
from bot.conversations.responder import EFFECTS, respond_citizen
from bot.domain import Domain
from bot.jobs import Job

FLOW_TIMEOUT_INTERVAL_SECONDS = 60.0


def _jobs(settings: Settings) -> Sequence[Job]:
    return (
        Job("conversations.flow_timeouts", flow_timeouts_job, FLOW_TIMEOUT_INTERVAL_SECONDS),
        Job("conversations.inbound_sweep", inbound_sweep_job, INBOUND_SWEEP_INTERVAL_SECONDS),
    )


DOMAIN = Domain(
    name="conversations",
    responders={"citizen": respond_citizen},
    effect_handlers=EFFECTS,
    jobs=_jobs,
)
