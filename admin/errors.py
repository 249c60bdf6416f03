"""Refusals inside the admin as pages in the person's language; elsewhere FastAPI's JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from admin.i18n import T_, Translator, pick_language
from admin.templating import render

PAGES = {
    404: (T_("Page not found"), T_("The page does not exist, or you do not have access to it.")),
    403: (T_("Not allowed"), T_("The form had expired. Go back, reload the page and try again.")),
}


async def _admin_http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    page = PAGES.get(exc.status_code)
    if page is None or not request.url.path.startswith("/admin") or request.headers.get("hx-request"):
        return await http_exception_handler(request, exc)
    tr = Translator(pick_language(request))
    title, message = page
    return render(
        request, "error.html", {"title": tr(title), "message": tr(message)}, status_code=exc.status_code
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(StarletteHTTPException, _admin_http_error)
