"""The admin router: every page under /admin, every unsafe request CSRF-checked."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from admin.routes import auth, citizens, companies, conversations, home, privacy, system, users
from admin.session import require_csrf


def build_router(*extra: APIRouter) -> APIRouter:
    router = APIRouter(prefix="/admin", dependencies=[Depends(require_csrf)], include_in_schema=False)
    for part in (
        auth.router,
        home.router,
        citizens.router,
        companies.router,
        conversations.router,
        system.router,
        users.router,
        privacy.router,
    ):
        router.include_router(part)
    for part in extra:
        router.include_router(part)
    return router
