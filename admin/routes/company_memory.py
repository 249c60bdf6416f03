"""What the company page remembers about a company, newest first: placements, the no-shows the
company reported, follow-up visits and calls with the next one due, and the partnership's
pauses and resumptions.

Read through ``bot.escalations.company_memory``; tickets come from the tickets part's company
section, so a panel without tickets still shows the rest.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from admin.i18n import T_
from bot.contacts.models import Employer
from bot.escalations import company_memory

PLACEMENT_KINDS = {
    "internship": T_("Internship"),
    "wage_subsidy": T_("Wage-subsidy job"),
    "igu": T_("IGU"),
    "job": T_("Ordinary job"),
}
OUTCOMES = {
    "attended": T_("Attended"),
    "absent_with_notice": T_("Absent with notice"),
    "absent_with_late_notice": T_("Absent with late notice"),
    "absent_without_notice": T_("Absent without notice"),
    "cancelled_by_municipality": T_("Cancelled by the municipality"),
    "excused_by_staff": T_("Excused by staff"),
}
FOLLOW_UP_KINDS = {"visit": T_("Visit"), "call": T_("Call")}


def context(session: Session, company: Employer) -> dict[str, Any]:
    assert company.id is not None
    return {
        **company_memory.memory(session, company.id),
        "placement_kinds": PLACEMENT_KINDS,
        "outcome_labels": OUTCOMES,
        "follow_up_kinds": FOLLOW_UP_KINDS,
    }
