"""Attendance in the admin: a caseworker marks a whole class or a whole day at once.

The page lists the day's appointments of every citizen, grouped by class (same start, kind and
title), so one form records "everyone attended" with the few exceptions set per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated
from urllib.parse import quote
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from fastapi import APIRouter, Form, HTTPException, Query, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.i18n import T_, Translator, pick_language
from admin.templating import NUMERIC_DATETIME, redirect, render
from admin.visibility import Viewer
from bot.attendance import attendance, unexcused
from bot.attendance.attendance_day import day_lines, mark_day
from bot.attendance.models import Attendance, Outcome
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep
from bot.reminders.models import Appointment

router = APIRouter()

OUTCOME_LABELS = {
    Outcome.attended.value: T_("Attended"),
    Outcome.absent_with_notice.value: T_("Absent with notice"),
    Outcome.absent_with_late_notice.value: T_("Absent with late notice"),
    Outcome.absent_without_notice.value: T_("Absent without notice"),
    Outcome.cancelled_by_municipality.value: T_("Cancelled by the municipality"),
    Outcome.excused_by_staff.value: T_("Excused by staff"),
}
# What an absence was, when it has no title of its own (hearing pages: no raw codes on screen).
APPOINTMENT_KINDS = {
    "meeting": T_("Meeting with the municipality"),
    "info_meeting": T_("Info meeting"),
    "class": T_("Danish class"),
    "internship_day": T_("Internship day"),
    "igu_school": T_("IGU school day"),
    "job_interview": T_("Job interview"),
    "follow_up": T_("Follow-up meeting at the company"),
    "mentor": T_("Mentor meeting"),
    "health": T_("Health visit"),
    "group": T_("Group session"),
}
MARK_ERRORS = {
    "outcome": T_("Choose an outcome."),
    "appointment_ids": T_("Select at least one appointment."),
}
DAY_ERROR = T_("Give a date between 2000 and 2100.")
NOTHING_RECORDED = T_(
    "Nothing was recorded: an outcome can be recorded only for appointments that have started. "
    "Untick the rows marked below or wait until they start."
)
NOT_STARTED = T_("Has not started yet (starts {when}): no outcome can be recorded before then.")
MARK_FAILED = T_("The attendance could not be recorded.")


@dataclass(frozen=True)
class Row:
    appointment: Appointment
    citizen_name: str
    attendance: Attendance | None
    group: str


def group_key(appointment: Appointment, zone: ZoneInfo, tr: Translator) -> str:
    """One class: the same start time, kind and title on the day (the kind in words, no code)."""
    start = appointment.starts_at.astimezone(zone).strftime("%H:%M")
    kind = appointment.kind.value
    return f"{start} {appointment.title or tr(APPOINTMENT_KINDS.get(kind, kind))}"


def day_rows(session: Session, *, day: date, tz: str, tr: Translator) -> list[Row]:
    zone = ZoneInfo(tz)
    return [
        Row(line.appointment, line.citizen_name, line.attendance, group_key(line.appointment, zone, tr))
        for line in day_lines(session, day=day, tz=tz)
    ]


@dataclass(frozen=True)
class Typed:
    outcome: str
    chosen: frozenset[int]
    exceptions: dict[int, str]
    row_errors: dict[int, str]


def _day(value: str | None, now: datetime, tz: str) -> date:
    if not value:
        return now.astimezone(ZoneInfo(tz)).date()
    try:
        return attendance.check_day(date.fromisoformat(value), "day")
    except ValueError as exc:
        raise ContactInputError("day", f"'{value}' is not a date") from exc


def _numeric(tr: Translator) -> str:
    return NUMERIC_DATETIME.get(tr.language, NUMERIC_DATETIME["en"])


def _require(viewer: Viewer) -> None:
    if not viewer.sees_absences:
        raise HTTPException(status_code=404)


def _page(
    request: Request,
    session: Session,
    viewer: Viewer,
    now: datetime,
    *,
    day: date,
    group: str,
    error: str | None = None,
    marked: int | None = None,
    typed: Typed | None = None,
    status_code: int = 200,
) -> Response:
    tz = request.app.state.settings.timezone
    rows = day_rows(session, day=day, tz=tz, tr=Translator(pick_language(request)))
    groups: dict[str, int] = {}
    for row in rows:
        groups[row.group] = groups.get(row.group, 0) + 1
    shown = [row for row in rows if not group or row.group == group]
    return render(
        request,
        "absences/attendance.html",
        {
            "viewer": viewer,
            "day": day,
            "group": group,
            "groups": groups,
            "rows": shown,
            "outcomes": OUTCOME_LABELS,
            "kinds": APPOINTMENT_KINDS,
            "error": error,
            "marked": marked,
            # A refused form comes back as it was sent, the reason beside each row it concerns.
            "typed": typed,
            "started": {row.appointment.id for row in shown if row.appointment.starts_at <= now},
        },
        status_code=status_code,
        now=now,
    )


@router.get("/attendance")
def attendance_day(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    day: Annotated[str | None, Query()] = None,
    group: Annotated[str, Query()] = "",
    marked: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    _require(viewer)
    tz = request.app.state.settings.timezone
    try:
        chosen = _day(day, now, tz)
    except ContactInputError:
        tr = Translator(pick_language(request))
        today = now.astimezone(ZoneInfo(tz)).date()
        return _page(request, session, viewer, now, day=today, group="", error=tr(DAY_ERROR), status_code=422)
    return _page(request, session, viewer, now, day=chosen, group=group, marked=marked)


def _exceptions(values: list[str]) -> dict[int, str]:
    """Each row's select sends "<appointment id>:<outcome>", or "" for the outcome of all."""
    found: dict[int, str] = {}
    for value in values:
        key, _, outcome = value.partition(":")
        if key.isdigit() and outcome:
            found[int(key)] = outcome
    return found


@router.post("/attendance")
def mark_attendance(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    day: Annotated[str, Form()] = "",
    group: Annotated[str, Form()] = "",
    outcome: Annotated[str, Form()] = "",
    appointment_ids: Annotated[list[int] | None, Form()] = None,
    outcome_for: Annotated[list[str] | None, Form()] = None,
) -> Response:
    _require(viewer)
    tz = request.app.state.settings.timezone
    chosen_ids = list(appointment_ids or [])
    # An exception applies only to a row that was selected.
    exceptions = {k: v for k, v in _exceptions(outcome_for or []).items() if k in chosen_ids}
    try:
        chosen_day = _day(day, now, tz)
        if not chosen_ids:
            raise ContactInputError("appointment_ids", "select at least one appointment")
        marked = mark_day(
            session,
            acting_staff=viewer,
            day=chosen_day,
            appointment_ids=chosen_ids,
            outcome=outcome,
            exceptions=exceptions,
            now=now,
            address=client_address(request),
        )
    except ContactInputError as error:
        session.rollback()
        tr = Translator(pick_language(request))
        fallback = DAY_ERROR if error.field == "day" else MARK_FAILED
        message = tr(MARK_ERRORS.get(error.field, fallback))
        row_errors: dict[int, str] = {}
        if isinstance(error, attendance.NotStarted):
            message = tr(NOTHING_RECORDED)
            row_errors = {
                a.id: tr(NOT_STARTED, when=a.starts_at.astimezone(ZoneInfo(tz)).strftime(_numeric(tr)))
                for a in error.appointments if a.id is not None
            }
        today = now.astimezone(ZoneInfo(tz)).date()
        shown_day = today if error.field == "day" else _day(day, now, tz)
        typed = Typed(outcome, frozenset(chosen_ids), exceptions, row_errors)
        return _page(
            request, session, viewer, now, day=shown_day, group=group, error=message, typed=typed,
            status_code=422,
        )
    query = f"day={chosen_day.isoformat()}"
    if group:
        query += "&group=" + quote(group, safe="")
    return redirect(request, f"/admin/attendance?{query}&marked={len(marked)}")


# A count in words takes the form its number needs in the reader's language ("1 borger", "2 borgere"):
# one text per plural category (CLDR's), each a message id of its own in the admin catalog.
ABSENCE_COUNT = {"one": T_("{n} absence without notice"), "other": T_("{n} absences without notice")}
CITIZEN_COUNT = {"one": T_("{n} citizen"), "other": T_("{n} citizens")}
PERIOD_SUMMARY = T_("{absences} from {first} to {last}, {citizens}.")


def counted(tr: Translator, forms: dict[str, str], n: int) -> str:
    """``n`` with its noun, in the plural form the reader's language uses for that number."""
    category = Locale.parse(tr.language).plural_form(n)
    return tr(forms.get(category, forms["other"]), n=n)


def period_summary(tr: Translator, count: int, citizens: int, first: str, last: str) -> str:
    return tr(PERIOD_SUMMARY, absences=counted(tr, ABSENCE_COUNT, count), first=first, last=last,
              citizens=counted(tr, CITIZEN_COUNT, citizens))


PERIOD_ERRORS = {
    "from": T_("Give a first day between 2000 and 2100."),
    "to": T_("Give a last day on or after the first day, at most a year later."),
}


def _period_day(value: str | None, fallback: date, field: str) -> date:
    if not value:
        return fallback
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ContactInputError(field, f"'{value}' is not a date") from exc


@router.get("/absences")
def absences_without_notice(
    request: Request,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: Annotated[str | None, Query()] = None,
) -> Response:
    """Absences without notice over a period (the last month unless chosen), by citizen."""
    _require(viewer)
    tz = request.app.state.settings.timezone
    first, last = unexcused.default_period(now, tz)
    typed = {"from": from_ or first.isoformat(), "to": to or last.isoformat()}
    errors: dict[str, str] = {}
    try:
        period = (_period_day(from_, first, "from"), _period_day(to, last, "to"))
        report = unexcused.without_notice(
            session, acting_staff=viewer, period_from=period[0], period_to=period[1], tz=tz, now=now,
            address=client_address(request),
        )
    except ContactInputError as error:
        errors[error.field] = Translator(pick_language(request))(PERIOD_ERRORS.get(error.field, DAY_ERROR))
        report = None
    language = pick_language(request)
    days = [format_date(d, "long", locale=language) for d in period] if report else []
    return render(
        request,
        "absences/without_notice.html",
        {
            "viewer": viewer, "report": report, "typed": typed, "errors": errors,
            "kinds": APPOINTMENT_KINDS,
            "summary": period_summary(Translator(language), report.count, len(report.citizens), *days)
            if report else "",
        },
        status_code=422 if errors else 200,
        now=now,
    )
