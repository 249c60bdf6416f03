"""Admin pages for overseeing the service: the SLA report, the audit log and the settings (each in
its own domain module, included here), translation status and the translators' review of each text."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin.catalog_status import catalog_status
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import audit_log, sla_report, translations
from admin.domains import settings as settings_page
from admin.domains.translations import language_names
from admin.i18n import Translator, pick_language
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.deps import SessionDep
from bot.i18n import LANGUAGES, RIGHT_TO_LEFT

router = APIRouter()
for part in (sla_report.router, audit_log.router, settings_page.router):
    router.include_router(part)


@router.get("/translations")
def translations_page(request: Request, viewer: ViewerDep, now: NowDep) -> Response:
    names = language_names(pick_language(request))
    return render(request, "translations.html",
                  {"viewer": viewer, "languages": catalog_status(), "language_names": names}, now=now)


def _reviewer(viewer: Viewer, language: str) -> Viewer:
    if not viewer.reviews_translations or language not in LANGUAGES:
        raise HTTPException(status_code=404)
    return viewer


def _review_response(
    request: Request, viewer: Viewer, language: str, now: datetime, *, error: str | None = None,
    msgid: str = "", status_code: int = 200,
) -> Response:
    show = request.query_params.get("show", "drafts")
    rows = translations.entries(language)
    if show != "all":
        rows = [r for r in rows if r.state != "approved" or r.msgid == msgid]
    return render(
        request,
        "translation_review.html",
        {"viewer": viewer, "language": language, "entries": rows, "show": show, "error": error,
         "error_msgid": msgid, "language_name": language_names(pick_language(request))[language],
         "rtl": language in RIGHT_TO_LEFT, "max_segments": translations.MAX_SEGMENTS},
        status_code=status_code,
        now=now,
    )


@router.get("/translations/{language}")
def translation_review_page(request: Request, viewer: ViewerDep, now: NowDep, language: str) -> Response:
    """Each text with its Danish and English source, where it is used and its SMS length."""
    return _review_response(request, _reviewer(viewer, language), language, now)


@router.post("/translations/{language}/approve")
def approve_translation(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    language: str,
    msgid: Annotated[str, Form()],
    text: Annotated[str, Form()] = "",
) -> Response:
    """Save the corrected text as approved: the draft (fuzzy) mark goes, the audit log says who."""
    _reviewer(viewer, language)
    try:
        translations.approve(session, staff_id=viewer.staff_id, language=language, msgid=msgid, text=text,
                             now=now, address=client_address(request))
    except translations.ReviewError as error:
        session.rollback()
        message = Translator(pick_language(request))(translations.refusal_text(error))
        return _review_response(request, viewer, language, now, error=message, msgid=msgid, status_code=422)
    anchor = "t-" + msgid.replace(".", "-")
    show = quote(request.query_params.get("show", "drafts"))
    return redirect(request, f"/admin/translations/{language}?show={show}#{anchor}")
