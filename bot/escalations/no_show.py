"""An employer says the intern did not come: find which intern, record it, tell the consultant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from bot.absences.attendance import record_employer_no_show
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.escalations import notify
from bot.escalations.intents import normalise
from bot.escalations.service import assignee_for
from bot.i18n import N_
from bot.reminders.models import Placement

NAME_THRESHOLD = 85.0


@dataclass(frozen=True)
class Intern:
    citizen_id: int
    name: str

    @property
    def first_name(self) -> str:
        return notify.first_name(self.name)


def local_today(now: datetime, timezone: str) -> date:
    return now.astimezone(ZoneInfo(timezone)).date()


def interns_at(session: Session, *, employer_id: int, day: date) -> list[Intern]:
    """Citizens with a placement at the company running on ``day``, by name."""
    query = (
        select(Citizen.id, Citizen.name)
        .join(Placement, col(Placement.citizen_id) == col(Citizen.id))
        .where(Placement.employer_id == employer_id)
        .where(col(Placement.start_date) <= day)
        .where((col(Placement.end_date).is_(None)) | (col(Placement.end_date) >= day))
        .order_by(col(Citizen.name))
        .distinct()
    )
    return [Intern(int(cid), str(name)) for cid, name in session.exec(query).all() if cid is not None]


def named_in(text: str, interns: list[Intern]) -> list[Intern]:
    """The interns whose first or full name appears in ``text`` (a typo forgiven)."""
    words = normalise(text).split()
    found = []
    for intern in interns:
        names = normalise(intern.name).split()
        if not names:
            continue
        for word in words:
            if len(word) < 3:
                continue
            if any(fuzz.ratio(word, name) >= NAME_THRESHOLD for name in names):
                found.append(intern)
                break
    return found


def record(
    session: Session,
    *,
    contact: EmployerContact,
    intern: Intern,
    now: datetime,
    settings: Settings,
    message_id: int | None,
) -> str:
    """Record the absence (absent without notice, pending a check) and tell the company's consultant.

    Returns the first name of the consultant who was told.
    """
    employer = session.get(Employer, contact.employer_id)
    assert employer is not None
    record_employer_no_show(
        session,
        employer_id=contact.employer_id,
        citizen_id=intern.citizen_id,
        day=local_today(now, settings.timezone),
        now=now,
        tz=settings.timezone,
        message_id=message_id,
        contact_id=contact.id,
    )
    consultant = assignee_for(session, employer)
    if consultant is None:
        return ""
    notify.to_staff(
        session,
        consultant,
        template=N_("ticket.no_show"),
        params={"company": employer.name, "citizen": intern.name, "contact": contact.name},
        now=now,
        timezone=settings.timezone,
    )
    return notify.first_name(consultant.name)
