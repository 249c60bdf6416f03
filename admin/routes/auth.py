"""Sign in, sign out, and the interface language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from admin import session as admin_session
from admin.deps import NowDep, client_address
from admin.i18n import LANGUAGE_COOKIE, UI_LANGUAGES, Translator, pick_language
from admin.templating import redirect, render
from bot.auth.sign_in import sign_in, sign_out
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
    context = {"next": safe_next(next), "email": email}
    attempt = sign_in(session, email=email, password=password, address=client_address(request), now=now)
    if attempt.locked_seconds:
        wait = attempt.locked_seconds
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
    if attempt.staff is None:
        return render(
            request, "login.html", {**context, "error": tr("Wrong email or password.")}, status_code=401
        )
    admin_session.sign_in(request, attempt.staff)
    return redirect(request, safe_next(next))


@router.post("/logout")
def logout(request: Request, session: SessionDep, now: NowDep) -> Response:
    current = admin_session.load(request)
    if current.staff_id is not None:
        sign_out(session, acting_staff=current.staff_id, address=client_address(request), now=now)
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
