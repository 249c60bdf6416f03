"""Admin-only pages: the audit log, the effective settings, translation status."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, Request
from sqlmodel import col, select
from starlette.responses import Response

from admin.catalog_status import catalog_status
from admin.deps import AdminDep, NowDep, ViewerDep
from admin.sections import policy_sections
from admin.templating import render
from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import Staff
from bot.deps import SessionDep

router = APIRouter()
SECRET_WORDS = ("secret", "token", "password", "auth")
PAGE_SIZE = 100


def visible_settings(settings: Settings) -> list[tuple[str, Any]]:
    """Every setting as in effect, with secrets replaced and passwords cut out of URLs."""
    shown = []
    for name, value in sorted(settings.model_dump().items()):
        if any(word in name for word in SECRET_WORDS):
            value = "••••••" if value else ""
        elif name.endswith("_url") and isinstance(value, str):
            value = _without_password(value)
        shown.append((name, value))
    return shown


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:••••••@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


@router.get("/audit")
def audit_log(
    request: Request,
    session: SessionDep,
    viewer: AdminDep,
    now: NowDep,
    subject: str = "",
    action: str = "",
    page: int = 1,
) -> Response:
    page = max(page, 1)
    entries, total = audit.entries(
        session,
        subject=subject.strip() or None,
        action=action.strip() or None,
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    staff_ids = {e.staff_id for e in entries if e.staff_id is not None}
    names = (
        {s.id: s.name for s in session.exec(select(Staff).where(col(Staff.id).in_(staff_ids))).all()}
        if staff_ids
        else {}
    )
    return render(
        request,
        "audit.html",
        {
            "viewer": viewer,
            "entries": entries,
            "names": names,
            "subject": subject,
            "action": action,
            "page": page,
            "has_next": page * PAGE_SIZE < total,
            "total": total,
        },
        now=now,
    )


@router.get("/settings")
def settings_page(request: Request, viewer: AdminDep, now: NowDep) -> Response:
    return render(
        request,
        "settings.html",
        {
            "viewer": viewer,
            "settings": visible_settings(request.app.state.settings),
            "policies": [(p.title, p.rows(request.app.state.settings)) for p in policy_sections()],
        },
        now=now,
    )


@router.get("/translations")
def translations_page(request: Request, viewer: ViewerDep, now: NowDep) -> Response:
    return render(request, "translations.html", {"viewer": viewer, "languages": catalog_status()}, now=now)
