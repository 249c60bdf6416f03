"""The JSON API for case systems and scripts: everything under ``/api/v1``.

The API's own routes (citizens, staff, employers, messages, media) are joined by the routers
each domain lists in its ``DOMAIN.api_routers`` (kept beside the domain, ``bot/<domain>/routes.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter

from bot.api import citizens, employers, media, messages, staff
from bot.api.errors import PROBLEM_RESPONSES


def build_api_router(domain_routers: Sequence[APIRouter] = ()) -> APIRouter:
    """A fresh ``/api/v1`` router: the API's own routes, then ``domain_routers`` in order."""
    api_router = APIRouter(prefix="/api/v1", responses={**PROBLEM_RESPONSES})
    for router in (citizens.router, staff.router, employers.router, messages.router, media.router,
                   *domain_routers):
        api_router.include_router(router)
    return api_router
