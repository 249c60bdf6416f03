"""The citizen's calendar feed at its secret address (no login: the address is the key)."""

from __future__ import annotations

from urllib.parse import urlparse

from fastapi import APIRouter, HTTPException, Response, status

from bot.clock import utcnow
from bot.deps import SessionDep, SettingsDep
from bot.reminders import calendar

calendar_router = APIRouter(tags=["calendar"])


@calendar_router.get("/calendar/{token}.ics", response_class=Response,
                     responses={200: {"content": {"text/calendar": {}}}, 404: {"description": "Unknown"}})
def calendar_feed(token: str, session: SessionDep, settings: SettingsDep) -> Response:
    citizen = calendar.citizen_for_token(session, token)
    if citizen is None:
        # The same answer for a revoked and a never-issued address: nothing to learn by guessing.
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail="This calendar address does not exist.")
    host = urlparse(settings.public_url).hostname or "localhost"
    body = calendar.feed(session, citizen, now=utcnow(), zone=settings.timezone, host=host)
    return Response(
        content=body,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300", "Referrer-Policy": "no-referrer"},
    )
