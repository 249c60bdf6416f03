"""Admin pages: the audit log, the settings (team leads change the ones staff may), translation status
and the translators' review of each text."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote, urlsplit, urlunsplit

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session, col, select
from starlette.responses import Response

from admin.catalog_status import catalog_status
from admin.deps import AdminDep, NowDep, StaffDep, ViewerDep, client_address
from admin.domains import translations
from admin.domains.attendance import OUTCOME_LABELS
from admin.domains.translations import language_names
from admin.i18n import T_, Translator, pick_language
from admin.sections import policy_sections
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.absences import attendance, bands
from bot.audit import service as audit
from bot.config import Settings
from bot.contacts.models import Staff
from bot.deps import SessionDep
from bot.i18n import LANGUAGES, RIGHT_TO_LEFT
from bot.preferences import service as preferences
from bot.preferences.service import PreferenceError

router = APIRouter()
SECRET_WORDS = ("secret", "token", "password", "auth")
PAGE_SIZE = 100
SETTING_ERRORS = {
    "role": T_("Only an administrator or a team lead may change this setting."),
    attendance.COUNTS_AGAINST.key: T_("Choose among the outcomes listed."),
}
SETTING_FAILED = T_("The setting could not be saved.")


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


def _settings_viewer(viewer: Viewer) -> Viewer:
    """Admins see every setting; team leads only the ones staff change here (404 for the rest)."""
    if viewer.role not in preferences.CHANGED_BY:
        raise HTTPException(status_code=404)
    return viewer


def _attendance_setting(session: Session) -> dict[str, Any]:
    """What the form shows: the outcomes that count against the rate now, and who chose them."""
    chosen = preferences.get_preference(session, attendance.COUNTS_AGAINST)
    row = preferences.last_change(session, attendance.COUNTS_AGAINST)
    changed_by = session.get(Staff, row.updated_by_id) if row and row.updated_by_id else None
    return {
        "chosen": {o.value for o in chosen},
        "physical": chosen == bands.DEFAULT_COUNTS_AGAINST,
        "always": [o.value for o in sorted(bands.ALWAYS_AGAINST)],
        "choosable": [o.value for o in bands.CHOOSABLE],
        "default": {o.value for o in bands.DEFAULT_COUNTS_AGAINST},
        "changed_at": row.updated_at if row else None,
        "changed_by": changed_by.name if changed_by else None,
        "outcome_labels": OUTCOME_LABELS,
    }


def _settings_response(
    request: Request, session: Session, viewer: Viewer, now: datetime, *, error: str | None = None,
    status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "settings.html",
        {
            "viewer": viewer,
            "settings": visible_settings(settings) if viewer.is_admin else [],
            "policies": [(p.title, p.rows(settings)) for p in policy_sections()] if viewer.is_admin else [],
            "attendance": _attendance_setting(session),
            "error": error,
        },
        status_code=status_code,
        now=now,
    )


@router.get("/settings")
def settings_page(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    return _settings_response(request, session, _settings_viewer(viewer), now)


@router.post("/settings/attendance")
def change_attendance_setting(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    staff: StaffDep,
    now: NowDep,
    counts_against: Annotated[list[str] | None, Form()] = None,
    reset: Annotated[str, Form()] = "",
) -> Response:
    """Which outcomes count against the attendance rate; "reset" goes back to the default."""
    _settings_viewer(viewer)
    value = bands.dump_counts_against(bands.DEFAULT_COUNTS_AGAINST) if reset else list(counts_against or [])
    try:
        preferences.set_preference(
            session, setting=attendance.COUNTS_AGAINST, value=value, acting_staff=staff, now=now
        )
    except PreferenceError as error:
        session.rollback()
        tr = Translator(pick_language(request))
        message = tr(SETTING_ERRORS.get(error.field, SETTING_FAILED))
        return _settings_response(request, session, viewer, now, error=message, status_code=422)
    session.commit()
    return redirect(request, "/admin/settings#attendance-h")


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
        message = Translator(pick_language(request))(str(error))
        return _review_response(request, viewer, language, now, error=message, msgid=msgid, status_code=422)
    session.commit()
    anchor = "t-" + msgid.replace(".", "-")
    show = quote(request.query_params.get("show", "drafts"))
    return redirect(request, f"/admin/translations/{language}?show={show}#{anchor}")
