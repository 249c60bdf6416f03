"""Sign in, sign out, and the interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from sqlmodel import func, select
from starlette.responses import Response

from admin import session as admin_session
from admin.deps import NowDep, client_address
from admin.i18n import LANGUAGE_COOKIE, UI_LANGUAGES, Translator, pick_language
from admin.templating import redirect, render
from bot.audit import service as audit
from bot.auth import throttle
from bot.auth.passwords import verify_password
from bot.contacts.models import Staff
from bot.deps import SessionDep

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path inside the admin: never another site (open redirect)."""
    if target and target.startswith("/admin") and not target.startswith("//") and "\\" not in target:
        return target
    return "/admin/"


@router.get("/login")
def login_form(request: Request, next: str = "/admin/") -> Response:
    return render(request, "login.html", {"next": safe_next(next), "email": ""})


@router.post("/login")
def login_submit(
    request: Request,
    session: SessionDep,
    now: NowDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/admin/",
) -> Response:
    tr = Translator(pick_language(request))
    address = client_address(request)
    keys = [throttle.account_key(email), throttle.address_key(address)]
    context = {"next": safe_next(next), "email": email}
    wait = throttle.seconds_locked(session, keys=keys, now=now)
    if wait:
        response = render(
            request,
            "login.html",
            {
                **context,
                "error": tr("Too many failed sign-ins. Try again in {seconds} seconds.", seconds=wait),
            },
            status_code=429,
        )
        response.headers["Retry-After"] = str(wait)
        return response
    staff = session.exec(select(Staff).where(func.lower(Staff.email) == email.strip().lower())).first()
    valid = verify_password(staff.password_hash if staff else None, password)
    if staff is None or not valid or not staff.active:
        throttle.record_failure(session, keys=keys, now=now)
        audit.record(
            session,
            staff_id=staff.id if staff else None,
            action="login_failed",
            subject=f"staff:{staff.id}" if staff else "staff:unknown",
            details={"email": email.strip().lower()[:200]},
            address=address,
            now=now,
        )
        session.commit()
        return render(
            request, "login.html", {**context, "error": tr("Wrong email or password.")}, status_code=401
        )
    throttle.record_success(session, key=throttle.account_key(email))
    audit.record(
        session, staff_id=staff.id, action="login", subject=f"staff:{staff.id}", address=address, now=now
    )
    session.commit()
    admin_session.sign_in(request, staff)
    return redirect(request, safe_next(next))


@router.post("/logout")
def logout(request: Request, session: SessionDep, now: NowDep) -> Response:
    current = admin_session.load(request)
    if current.staff_id is not None:
        audit.record(
            session,
            staff_id=current.staff_id,
            action="logout",
            subject=f"staff:{current.staff_id}",
            address=client_address(request),
            now=now,
        )
        session.commit()
    admin_session.sign_out(request)
    return redirect(request, "/admin/login")


@router.post("/language")
def choose_language(
    request: Request,
    language: Annotated[str, Form()] = "da",
    next: Annotated[str, Form()] = "/admin/",
) -> Response:
    response = redirect(request, safe_next(next))
    if language in UI_LANGUAGES:
        response.set_cookie(
            LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, path="/admin", samesite="lax", httponly=True
        )
    return response
