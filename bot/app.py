"""The app factory: the one place (with the CLI) that wires concrete parts together."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from functools import partial
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.responses import JSONResponse
from sqlalchemy import text
from sqlalchemy.engine import Engine

import bot.tables  # noqa: F401 - registers every table
from admin import mount as mount_admin
from admin.deps import current_staff
from bot import i18n, wiring
from bot.api.docs import install_docs
from bot.api.errors import install_error_handlers
from bot.api.router import build_api_router
from bot.api.timestamps import LocalZoneMiddleware
from bot.channels import simulator_routes
from bot.channels.factory import make_transport
from bot.channels.inbound_store import store_posts
from bot.channels.inbound_writer import InboundWriter
from bot.channels.peers import DeliveryPeers
from bot.composition import all_domains, delivery_peers
from bot.config import Settings, get_settings
from bot.conversations.inbound_worker import InboundWorker
from bot.conversations.pipeline import process_inbound
from bot.db import make_engine
from bot.deps import EngineDep
from bot.domain import Domain
from bot.jobs import JobContext
from bot.scheduler import make_scheduler

log = logging.getLogger(__name__)

DESCRIPTION = (
    "Messaging assistant for the municipal integration programme. The JSON API under `/api/v1` "
    "takes a staff API token (`bot tokens create --email ...`) as `Authorization: Bearer <token>`. "
    "Timestamps are ISO 8601; one without an offset is read as BOT_TIMEZONE local time."
)


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    transport: Any | None = None,
    domains: Sequence[Domain] | None = None,
    peers: DeliveryPeers | None = None,
) -> FastAPI:
    """The app of ``domains`` (default: every domain in ``bot.composition``).

    ``peers`` (default: ``bot.composition.delivery_peers()``) is what the webhooks, the inbound
    worker, the simulator and the panel's resend hand the channels; the domains' jobs are made
    with the same.
    """
    settings = settings or get_settings()
    settings.check()
    owns_engine = engine is None
    engine = engine or make_engine(settings.database_url)
    transport = transport if transport is not None else make_transport(settings)
    peers = peers if peers is not None else delivery_peers()
    composition = wiring.wire(all_domains() if domains is None else domains)
    inbound_writer = InboundWriter(partial(store_posts, engine, region=settings.default_region))
    inbound_worker = InboundWorker(engine, settings, transport, peers=peers, receiving=inbound_writer.busy)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        jobs = composition.jobs(JobContext(settings=settings, peers=peers))
        scheduler = make_scheduler(engine, settings, transport, jobs) if settings.scheduler_enabled else None
        app.state.scheduler = scheduler
        i18n.preload()
        inbound_worker.start()
        if scheduler is not None:
            scheduler.start()
            log.info("scheduler started", extra={"jobs": len(scheduler.get_jobs())})
        # Everything built so far (routes, flows, catalogs, metadata) lives as long as the app.
        # Frozen, it is left out of the collector's full passes, which otherwise walk it all and
        # stop every request for over 100 ms a few times a minute under load. (No collection
        # first: at start-up there is little garbage, and a full pass costs what freezing saves.)
        gc.freeze()
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=True)
            inbound_worker.stop()
            gc.unfreeze()  # what this app leaves behind may be collected again
            if owns_engine:
                engine.dispose()

    app = FastAPI(title="Integration assistant", version="0.1.0", description=DESCRIPTION, lifespan=lifespan,
                  docs_url=None, redoc_url=None)
    install_docs(app)
    app.state.settings = settings
    app.state.engine = engine
    app.state.transport = transport
    app.state.delivery_peers = peers
    app.state.inbound_writer = inbound_writer
    app.state.inbound_worker = inbound_worker
    app.state.interpret = partial(process_inbound, engine, settings=settings)
    app.state.domains = composition.domains
    app.add_middleware(LocalZoneMiddleware, zone=settings.timezone)
    install_error_handlers(app)

    @app.get("/healthz", tags=["health"], responses={503: {"description": "The database does not answer."}})
    def healthz(db: EngineDep) -> JSONResponse:
        """200 when the database answers, 503 otherwise (for load balancers and monitoring)."""
        try:
            with db.connect() as conn:
                conn.execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("health check failed", extra={"error": type(exc).__name__})
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok"})

    # The domains' public routes first (the channels' webhooks lead the list): requests are
    # matched against routers in the order they were included, and Twilio's posts are most of
    # the traffic (a burst would otherwise walk every API route).
    for router in composition.public_routers:
        app.include_router(router)
    app.include_router(build_api_router(composition.api_routers))
    mount_admin(app, composition.admin_sections)
    if settings.sms_transport == "simulator":
        # Unsigned by design, and it reads and writes any phone's messages: open to anyone only in
        # demo mode; elsewhere (a test instance without a provider) behind a staff login.
        guard = [] if settings.demo else [Depends(current_staff)]
        app.include_router(simulator_routes.router, dependencies=guard)
    return app
