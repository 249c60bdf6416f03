"""Staff admin panel: open items, cases, conversations."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse

STATIC_DIR = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the admin pages and their static files to ``app`` (called by the app factory)."""
    from admin import domains, errors
    from admin.routes import build_router

    extra: list[APIRouter] = []
    for part in domains.load():
        module = __import__(part, fromlist=["router"])
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            extra.append(router)
    app.include_router(build_router(*extra))
    errors.install(app)
    app.mount("/admin/static", StaticFiles(directory=STATIC_DIR), name="admin-static")

    @app.get("/admin", include_in_schema=False)
    def _admin_root() -> RedirectResponse:
        return RedirectResponse("/admin/", status_code=307)
