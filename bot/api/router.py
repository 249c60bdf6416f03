"""The JSON API for case systems and scripts: everything under ``/api/v1``.

Domain packages keep their API routes beside their domain (``bot/<domain>/routes.py`` or
``api.py``, each with its own ``router = APIRouter(prefix="/<things>", tags=[...])``) and are
included here, once, before the app includes ``api_router``.
"""

from __future__ import annotations

from fastapi import APIRouter

from bot.api import citizens, employers, media, messages, staff
from bot.api.errors import PROBLEM_RESPONSES
from bot.escalations import routes as escalation_routes
from bot.reminders import routes as reminder_routes

api_router = APIRouter(prefix="/api/v1", responses={**PROBLEM_RESPONSES})
api_router.include_router(citizens.router)
api_router.include_router(staff.router)
api_router.include_router(employers.router)
api_router.include_router(messages.router)
api_router.include_router(media.router)

# Domain routers: add one `api_router.include_router(...)` line per router below.
api_router.include_router(escalation_routes.router)
api_router.include_router(escalation_routes.partnership_router)
api_router.include_router(reminder_routes.router)
from bot.absences import hearing_routes as hearing_routes  # noqa: E402
from bot.absences import routes as absence_routes  # noqa: E402

api_router.include_router(absence_routes.router)
api_router.include_router(hearing_routes.router)
