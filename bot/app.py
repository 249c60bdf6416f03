"""The app factory: the one place (with the CLI) that wires concrete parts together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import Engine

import bot.tables  # noqa: F401 - registers every table
from bot.config import Settings, get_settings
from bot.db import make_engine


def create_app(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    transport: Any | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    settings.check()
    engine = engine or make_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(title="Integration assistant", version="0.1.0", lifespan=lifespan)
    app.state.settings = settings
    app.state.engine = engine
    app.state.transport = transport
    return app
