"""The SLA report for team leads: per consultant and month, the share of employer tickets answered
in time and the median time to the first answer. The figures are ``bot.escalations.report``'s,
the same the metrics endpoint publishes, so the page and the dashboards never disagree."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date
from fastapi import APIRouter, HTTPException, Request
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep
from admin.i18n import T_, Translator, pick_language
from admin.templating import render
from admin.visibility import Viewer
from bot.deps import SessionDep
from bot.escalations import report

router = APIRouter()
MONTHS_SHOWN = 12
MONTH_ERROR = T_("Choose a month from the list.")


def _reader(viewer: Viewer) -> Viewer:
    if not viewer.oversees_team:
        raise HTTPException(status_code=404)
    return viewer


def recent_months(now: datetime, timezone: str, count: int = MONTHS_SHOWN) -> list[str]:
    """This month and the ones before it, newest first, as ``YYYY-MM``."""
    local = now.astimezone(ZoneInfo(timezone))
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def duration(seconds: float | None, tr: Translator) -> str:
    """A median answer time the way a person says it: minutes, hours and minutes, or days."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if minutes < 60:
        return tr("{n} min", n=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return tr("{h} h {m} min", h=hours, m=rest) if rest else tr("{h} h", h=hours)
    return tr("{d} days", d=round(hours / 24))


def month_name(month: str, language: str) -> str:
    year, number = report.parse_month(month)
    return format_date(date(year, number, 1), "LLLL yyyy", locale=language)


def share(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)} %"


@router.get("/sla")
def sla_page(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, month: str = ""
) -> Response:
    _reader(viewer)
    tr = Translator(pick_language(request))
    timezone = request.app.state.settings.timezone
    months = recent_months(now, timezone)
    chosen = month or months[0]
    error: str | None = None
    try:
        figures = report.monthly(session, month=chosen, timezone=timezone, now=now)
    except report.MonthError:
        figures, error = report.monthly(session, month=months[0], timezone=timezone, now=now), tr(MONTH_ERROR)
    rows = [
        {
            "name": row.name or tr("Not assigned"),
            "tickets": row.tickets,
            "in_time": row.answered_in_time,
            "late": row.answered_late,
            "overdue": row.unanswered_overdue,
            "pending": row.pending,
            "share": share(row.share_in_time),
            "share_value": row.share_in_time,
            "median": duration(row.median_first_response_seconds, tr),
        }
        for row in [*figures.rows, figures.total]
    ]
    return render(
        request,
        "sla_report.html",
        {"viewer": viewer, "month": figures.month, "month_name": month_name(figures.month, tr.language),
         "months": [(m, month_name(m, tr.language)) for m in months], "rows": rows[:-1], "total": rows[-1],
         "error": error},
        status_code=422 if error else 200,
        now=now,
    )
