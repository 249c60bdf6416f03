"""The staff session: a signed cookie holding the staff id and the CSRF token.

The cookie also carries a fingerprint of the password hash, so a password change or a
deactivated account ends every session at once without a server-side session store.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from starlette.responses import Response

from admin.signing import sign, unsign
from bot import clock
from bot.config import Settings
from bot.contacts.models import Staff

COOKIE = "admin_session"
MAX_AGE_SECONDS = 12 * 3600  # one working day
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class AdminSession:
    csrf: str
    staff_id: int | None = None
    fingerprint: str | None = None
    dirty: bool = False


def fingerprint(staff: Staff) -> str:
    return hashlib.sha256((staff.password_hash or "").encode()).hexdigest()[:16]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def load(request: Request) -> AdminSession:
    """The request's session (read once, cached on the request); a fresh one when absent."""
    cached = getattr(request.state, "admin_session", None)
    if isinstance(cached, AdminSession):
        return cached
    settings = _settings(request)
    raw = request.cookies.get(COOKIE)
    data = (
        unsign(raw, secret=settings.secret_key, now=clock.utcnow().timestamp(), max_age=MAX_AGE_SECONDS)
        if raw
        else None
    )
    if data and isinstance(data.get("csrf"), str):
        staff_id = data.get("staff")
        current = AdminSession(
            csrf=data["csrf"],
            staff_id=staff_id if isinstance(staff_id, int) else None,
            fingerprint=data.get("fp") if isinstance(data.get("fp"), str) else None,
        )
    else:
        current = AdminSession(csrf=secrets.token_urlsafe(32), dirty=True)
    request.state.admin_session = current
    return current


def sign_in(request: Request, staff: Staff) -> None:
    """Start a signed-in session; a new CSRF token so one fixed before sign-in is worthless."""
    current = load(request)
    current.staff_id = staff.id
    current.fingerprint = fingerprint(staff)
    current.csrf = secrets.token_urlsafe(32)
    current.dirty = True


def sign_out(request: Request) -> None:
    current = load(request)
    current.staff_id = None
    current.fingerprint = None
    current.csrf = secrets.token_urlsafe(32)
    current.dirty = True


def save(request: Request, response: Response) -> Response:
    """Write the cookie when the session changed (or was just created)."""
    current = load(request)
    if current.dirty:
        settings = _settings(request)
        payload: dict[str, object] = {"csrf": current.csrf}
        if current.staff_id is not None:
            payload["staff"] = current.staff_id
            payload["fp"] = current.fingerprint
        response.set_cookie(
            COOKIE,
            sign(payload, secret=settings.secret_key, issued_at=clock.utcnow().timestamp()),
            max_age=MAX_AGE_SECONDS,
            path="/admin",
            httponly=True,
            samesite="lax",
            secure=settings.public_url.startswith("https://"),
        )
    return response


async def require_csrf(request: Request) -> None:
    """Refuse (403) any state-changing request that does not carry this session's token."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            sent = value if isinstance(value, str) else None
    # Only a token from an existing cookie counts; a fresh session has nothing to match.
    current = load(request)
    if not sent or current.dirty or not hmac.compare_digest(sent, current.csrf):
        raise HTTPException(status_code=403, detail="Missing or wrong CSRF token; reload the page.")
