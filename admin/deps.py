"""Dependencies for the admin routes: who is asking, in which language, at what time."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, HTTPException, Request

from admin import session as admin_session
from admin.visibility import Viewer
from bot import clock
from bot.contacts.models import Role, Staff
from bot.deps import SessionDep


def get_now() -> datetime:
    return clock.utcnow()


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def _login_required(request: Request) -> HTTPException:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    location = "/admin/login?next=" + quote(target, safe="")
    if request.headers.get("hx-request"):
        # HTMX follows this header with a full page load instead of swapping in the login form.
        return HTTPException(status_code=401, headers={"HX-Redirect": location})
    return HTTPException(status_code=303, headers={"Location": location})


def current_staff(request: Request, session: SessionDep) -> Staff:
    current = admin_session.load(request)
    if current.staff_id is None:
        raise _login_required(request)
    staff = session.get(Staff, current.staff_id)
    if staff is None or not staff.active or admin_session.fingerprint(staff) != current.fingerprint:
        admin_session.sign_out(request)
        raise _login_required(request)
    _translators_stay_on_translations(request, staff)
    return staff


# A translator's whole panel (signing out and the language choice need no staff dependency).
TRANSLATOR_PATHS = ("/admin/translations",)


def _translators_stay_on_translations(request: Request, staff: Staff) -> None:
    """A translator reads the catalogs and nothing else: no citizens, messages or health data.
    Every other page is a 404, as for any record outside a person's remit; the start page
    sends them to their work."""
    if Role(staff.role) is not Role.translator:
        return
    path = request.url.path
    if any(path == prefix or path.startswith(prefix + "/") for prefix in TRANSLATOR_PATHS):
        return
    if path.rstrip("/") == "/admin":
        raise HTTPException(status_code=303, headers={"Location": TRANSLATOR_PATHS[0]})
    raise HTTPException(status_code=404)


def current_viewer(staff: Annotated[Staff, Depends(current_staff)]) -> Viewer:
    assert staff.id is not None
    return Viewer(staff_id=staff.id, role=Role(staff.role), name=staff.name)


def require_admin(viewer: Annotated[Viewer, Depends(current_viewer)]) -> Viewer:
    if viewer.role is not Role.admin:
        raise HTTPException(status_code=404)
    return viewer


NowDep = Annotated[datetime, Depends(get_now)]
StaffDep = Annotated[Staff, Depends(current_staff)]
ViewerDep = Annotated[Viewer, Depends(current_viewer)]
AdminDep = Annotated[Viewer, Depends(require_admin)]
