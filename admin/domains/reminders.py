"""Appointments and their reminders on the citizen page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from admin.i18n import T_
from admin.sections import (
    CitizenSection,
    CompanySection,
    PolicySection,
)
from admin.visibility import Viewer
from bot.config import Settings
from bot.contacts.models import Citizen, Employer
from bot.preferences import operating
from bot.reminders import queries
from bot.reminders.config import ReminderSettings

WINDOW_BACK = timedelta(days=7)
WINDOW_AHEAD = timedelta(days=21)

CONFIRMATION = {
    "none": T_("not confirmed"),
    "confirmed": T_("confirmed"),
    "declined": T_("cancelled by the citizen"),
}
REMINDER_STATUS = {
    "pending": T_("planned"),
    "enqueued": T_("queued"),
    "sent": T_("sent"),
    "cancelled": T_("not sent"),
    "skipped": T_("skipped"),
}


def _context(session: Session, viewer: Viewer, citizen: Citizen, now: datetime) -> dict[str, Any]:
    appointments, reminders = queries.appointments_between(
        session, citizen.id, now - WINDOW_BACK, now + WINDOW_AHEAD
    )
    return {
        "appointments": appointments,
        "reminders": reminders,
        "confirmation": CONFIRMATION,
        "reminder_status": REMINDER_STATUS,
        "now": now,
    }


def _placements(session: Session, viewer: Viewer, company: Employer, now: datetime) -> dict[str, Any]:
    rows = queries.company_placements(session, company.id)
    today = now.date()
    return {
        "placements": [
            (placement, name, placement.end_date is None or placement.end_date >= today)
            for placement, name in rows
        ]
    }


COMPANY_SECTION = CompanySection(
        key="placements",
        title=T_("Placements"),
        order=5,
        visible=lambda viewer: viewer.sees_companies,
        template="reminders/_company.html",
        context=_placements,
    )


def _policy_rows(settings: Settings, session: Session) -> list[tuple[str, Any]]:
    """The reminder policy in effect: the BOT_REMINDER_ variables with what staff changed."""
    values = {**ReminderSettings().model_dump(), **operating.reminder_overrides(session)}
    return [(f"BOT_REMINDER_{name.upper()}", value) for name, value in values.items()]


POLICY_SECTION = PolicySection(
    key="reminders", title=T_("Reminder policy and quiet hours"), rows=_policy_rows
)
CITIZEN_SECTION = CitizenSection(
        key="appointments",
        title=T_("Appointments and reminders"),
        order=10,
        visible=lambda viewer: viewer.sees_citizens,
        template="reminders/_citizen.html",
        context=_context,
    )

# What this module adds to the panel; the app collects it when it composes the domains.
SECTIONS = (COMPANY_SECTION, POLICY_SECTION, CITIZEN_SECTION)
