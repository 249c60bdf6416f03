"""Staff admin panel: open items, cases, conversations."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse

STATIC_DIR = Path(__file__).parent / "static"


def mount(app: FastAPI, parts: Sequence[str] = ()) -> None:
    """Add the admin pages, the domains' ``parts`` and the static files to ``app`` (called by the
    app factory with the admin sections of the composed domains)."""
    from admin import domains, errors, sections
    from admin.routes import build_router

    extra: list[APIRouter] = []
    offered: list[sections.Section] = []
    for module in domains.load(parts):
        router = getattr(module, "router", None)
        if isinstance(router, APIRouter):
            extra.append(router)
        offered.extend(getattr(module, "SECTIONS", ()))
    app.state.admin_sections = sections.collect(offered)
    app.include_router(build_router(*extra))
    errors.install(app)
    app.mount("/admin/static", StaticFiles(directory=STATIC_DIR), name="admin-static")

    @app.get("/admin", include_in_schema=False)
    def _admin_root() -> RedirectResponse:
        return RedirectResponse("/admin/", status_code=307)
