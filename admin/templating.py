"""Jinja2 rendering for the admin: autoescaped, translated, with the session's CSRF token."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_datetime, format_timedelta
from fastapi import Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from admin import session as admin_session
from admin.i18n import Translator, pick_language
from bot.i18n import RIGHT_TO_LEFT

TEMPLATES_DIR = Path(__file__).parent / "templates"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES_DIR),
    autoescape=select_autoescape(["html", "xml"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


# How staff write a date and time in each interface language (24-hour clock in both).
NUMERIC_DATETIME = {"da": "%d.%m.%Y %H:%M", "en": "%d/%m/%Y %H:%M"}


@lru_cache(maxsize=8)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def _formatters(language: str, tz: str, now: datetime | None) -> dict[str, Any]:
    zone = ZoneInfo(tz)
    locale = _locale(language)

    numeric = NUMERIC_DATETIME.get(language, NUMERIC_DATETIME["en"])

    def when(value: datetime | None, fmt: str | None = None) -> str:
        """Local date and time; numeric by default (cheap on pages listing hundreds of rows)."""
        if value is None:
            return ""
        if fmt is None:
            return value.astimezone(zone).strftime(numeric)
        return format_datetime(value, fmt, tzinfo=zone, locale=locale)

    def time_left(value: datetime | None) -> str:
        if value is None or now is None:
            return ""
        return format_timedelta(value - now, add_direction=True, locale=locale, threshold=1.5)

    def iso(value: datetime | None) -> str:
        return value.isoformat() if value is not None else ""

    return {"when": when, "time_left": time_left, "iso": iso}


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    now: datetime | None = None,
) -> Response:
    language = pick_language(request)
    settings = request.app.state.settings
    current = admin_session.load(request)
    values: dict[str, Any] = {
        "request": request,
        "lang": language,
        "_": Translator(language),
        "csrf_token": current.csrf,
        "now": now,
        "demo": settings.demo,
        "rtl_languages": RIGHT_TO_LEFT,
        **_formatters(language, settings.timezone, now),
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Only our own scripts run: a message body that slipped past escaping still could not.
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return admin_session.save(request, response)


def redirect(request: Request, location: str) -> Response:
    if request.headers.get("hx-request"):
        response: Response = Response(status_code=204, headers={"HX-Redirect": location})
    else:
        response = RedirectResponse(location, status_code=303)
    return admin_session.save(request, response)
