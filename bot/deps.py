"""FastAPI dependencies shared by the routers: settings, sessions, the transport.

The app factory puts the concrete parts on ``app.state``; routes only receive them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.config import Settings


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_engine(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_transport(request: Request) -> Any:
    return request.app.state.transport


SettingsDep = Annotated[Settings, Depends(get_app_settings)]
EngineDep = Annotated[Engine, Depends(get_engine)]
# scope="function": the commit happens before the response is sent, so a failed commit is an
# error response, never a 200 for something that was not saved.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
TransportDep = Annotated[Any, Depends(get_transport)]
