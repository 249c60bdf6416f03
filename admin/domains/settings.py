"""The settings page: what staff may change at run time, each form with its errors beside the
field and what was typed kept. Administrators change every setting; team leads read them all and
change those their role may (quiet hours, what counts against attendance)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import urlsplit, urlunsplit

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import sections as panel
from admin.deps import NowDep, StaffDep, ViewerDep
from admin.domains.attendance import OUTCOME_LABELS
from admin.i18n import T_, Translator, pick_language
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.attendance import attendance, bands
from bot.config import Settings
from bot.contacts.models import Staff
from bot.deps import SessionDep
from bot.preferences import operating
from bot.preferences import service as preferences
from bot.preferences.service import PreferenceError, Setting
from bot.reminders.config import ReminderSettings

router = APIRouter()
SECRET_WORDS = ("secret", "token", "password", "auth")
ERRORS = {
    "role": T_("Your role may read this setting but not change it."),
    "clock": T_("Write a time of day, e.g. 21:00."),
    "same_time": T_("Quiet hours must start and end at different times."),
    "hours_list": T_("Write the hours before the meeting as numbers, e.g. 24 2 (at most 168)."),
    "hours": T_("Write a number of hours above 0 and at most 336, or leave it empty for 24."),
    "day": T_("Write each day as 24.12 (every year) or 28.12.2026 (once), one a line."),
    attendance.COUNTS_AGAINST.key: T_("Choose among the outcomes listed."),
}
FAILED = T_("The setting could not be saved.")
KIND_LABELS = {"problem": T_("Problem"), "recruitment": T_("Recruitment"), "question": T_("Question")}
WORKING_HOURS = T_("Counted in working hours: Monday to Friday 08:00–16:00, holidays and closing days off.")


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


def _reader(viewer: Viewer) -> Viewer:
    """Admins and team leads see this page (404 for everyone else)."""
    if viewer.role not in preferences.CHANGED_BY:
        raise HTTPException(status_code=404)
    return viewer


def may_change(viewer: Viewer, setting: Setting[Any]) -> bool:
    return viewer.role in setting.changed_by


def _changed(session: Session, setting: Setting[Any]) -> dict[str, Any]:
    row = preferences.last_change(session, setting)
    by = session.get(Staff, row.updated_by_id) if row and row.updated_by_id else None
    return {"at": row.updated_at if row else None, "by": by.name if by else None}


def _typed(session: Session) -> dict[str, str]:
    """What the forms show before anyone types: the values in effect."""
    cfg = ReminderSettings().model_copy(update=operating.reminder_overrides(session))
    sla = operating.sla_hours(session)
    typed = {
        "quiet_start": cfg.quiet_start.strftime("%H:%M"),
        "quiet_end": cfg.quiet_end.strftime("%H:%M"),
        "meeting_hours": " ".join(operating.hours_text(h) for h in sorted(cfg.meeting_hours, reverse=True)),
        "closing_days": "\n".join(operating.show_closing_day(d)
                                  for d in preferences.get_preference(session, operating.CLOSING_DAYS)),
    }
    typed.update({f"sla_{kind}": operating.hours_text(hours) for kind, hours in sla.items()})
    return typed


def _attendance(session: Session) -> dict[str, Any]:
    chosen = preferences.get_preference(session, attendance.COUNTS_AGAINST)
    changed = _changed(session, attendance.COUNTS_AGAINST)
    return {
        "chosen": {o.value for o in chosen},
        "physical": chosen == bands.DEFAULT_COUNTS_AGAINST,
        "always": [o.value for o in sorted(bands.ALWAYS_AGAINST)],
        "choosable": [o.value for o in bands.CHOOSABLE],
        "default": {o.value for o in bands.DEFAULT_COUNTS_AGAINST},
        "changed_at": changed["at"],
        "changed_by": changed["by"],
        "outcome_labels": OUTCOME_LABELS,
    }


def page(
    request: Request, session: Session, viewer: Viewer, now: datetime, *,
    errors: dict[str, str] | None = None, typed: dict[str, str] | None = None, status_code: int = 200,
) -> Response:
    settings = request.app.state.settings
    shown = {**_typed(session), **(typed or {})}
    parts: dict[str, Setting[Any]] = {
        "quiet": operating.QUIET_HOURS, "meeting": operating.MEETING_HOURS, "sla": operating.SLA_HOURS,
        "closing": operating.CLOSING_DAYS, "attendance": attendance.COUNTS_AGAINST,
    }
    return render(
        request,
        "settings.html",
        {
            "viewer": viewer,
            "errors": errors or {},
            "typed": shown,
            "may": {name: may_change(viewer, setting) for name, setting in parts.items()},
            "changed": {name: _changed(session, setting) for name, setting in parts.items()},
            "kinds": [(kind, KIND_LABELS[kind], kind in settings.sla_business_hours_kinds)
                      for kind in operating.TICKET_KINDS],
            "working_hours": WORKING_HOURS,
            "attendance": _attendance(session),
            "settings": visible_settings(settings) if viewer.is_admin else [],
            "policies": (
                [(p.title, p.rows(settings, session)) for p in panel.of(request).policies()]
                if viewer.is_admin else []
            ),
        },
        status_code=status_code,
        now=now,
    )


@router.get("/settings")
def settings_page(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    return page(request, session, _reader(viewer), now)


def _save(
    request: Request, session: Session, viewer: Viewer, staff: Staff, now: datetime, *, anchor: str,
    setting: Setting[Any], value: Callable[[], Any], typed: dict[str, str],
) -> Response:
    """Read the form, store it (the service audits the change), or show the page again with the
    error beside its field and what was typed still in it."""
    _reader(viewer)
    try:
        preferences.set_preference(session, setting=setting, value=value(), acting_staff=staff, now=now)
    except PreferenceError as error:
        session.rollback()
        tr = Translator(pick_language(request))
        field = next(iter(typed)) if error.field in ("role", setting.key) else error.field
        text = ERRORS.get(error.message) or ERRORS.get(error.field) or FAILED
        return page(request, session, viewer, now, errors={field: tr(text)}, typed=typed, status_code=422)
    return redirect(request, f"/admin/settings#{anchor}")


@router.post("/settings/quiet-hours")
def change_quiet_hours(
    request: Request, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep,
    quiet_start: Annotated[str, Form()] = "", quiet_end: Annotated[str, Form()] = "",
) -> Response:
    def value() -> Any:
        return operating.QUIET_HOURS.dump(operating.read_quiet(quiet_start, quiet_end))

    return _save(request, session, viewer, staff, now, anchor="quiet-h", setting=operating.QUIET_HOURS,
                 value=value, typed={"quiet_start": quiet_start, "quiet_end": quiet_end})


@router.post("/settings/meeting-reminders")
def change_meeting_reminders(
    request: Request, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep,
    meeting_hours: Annotated[str, Form()] = "",
) -> Response:
    def value() -> Any:
        return list(operating.read_meeting_hours(meeting_hours))

    return _save(request, session, viewer, staff, now, anchor="meeting-h", setting=operating.MEETING_HOURS,
                 value=value, typed={"meeting_hours": meeting_hours})


@router.post("/settings/sla")
async def change_sla(request: Request, session: SessionDep, viewer: ViewerDep, staff: StaffDep,
                     now: NowDep) -> Response:
    form = await request.form()
    typed = {f"sla_{kind}": str(form.get(f"sla_{kind}", "")) for kind in operating.TICKET_KINDS}

    def value() -> Any:
        return operating.read_sla({kind: typed[f"sla_{kind}"] for kind in operating.TICKET_KINDS})

    return _save(request, session, viewer, staff, now, anchor="sla-h", setting=operating.SLA_HOURS,
                 value=value, typed=typed)


@router.post("/settings/closing-days")
def change_closing_days(
    request: Request, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep,
    closing_days: Annotated[str, Form()] = "",
) -> Response:
    def value() -> Any:
        return list(operating.read_closing_days(closing_days))

    return _save(request, session, viewer, staff, now, anchor="closing-h", setting=operating.CLOSING_DAYS,
                 value=value, typed={"closing_days": closing_days})


@router.post("/settings/attendance")
def change_attendance_setting(
    request: Request, session: SessionDep, viewer: ViewerDep, staff: StaffDep, now: NowDep,
    counts_against: Annotated[list[str] | None, Form()] = None, reset: Annotated[str, Form()] = "",
) -> Response:
    """Which outcomes count against the attendance rate; "reset" goes back to the default."""
    _reader(viewer)
    value = bands.dump_counts_against(bands.DEFAULT_COUNTS_AGAINST) if reset else list(counts_against or [])
    try:
        preferences.set_preference(
            session, setting=attendance.COUNTS_AGAINST, value=value, acting_staff=staff, now=now
        )
    except PreferenceError as error:
        session.rollback()
        message = Translator(pick_language(request))(ERRORS.get(error.field, FAILED))
        return page(request, session, viewer, now, errors={"attendance": message}, status_code=422)
    return redirect(request, "/admin/settings#attendance-h")
