"""An employer says the intern did not come: find which intern, record it, tell both consultants
and ask the citizen whether they are all right."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz
from sqlmodel import Session, col, select

from bot.attendance.attendance import record_employer_no_show
from bot.channels.outbox import enqueue
from bot.config import Settings
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff
from bot.conversations import service as conversations
from bot.conversations.flow_state import start_flow
from bot.escalations import notify
from bot.escalations.service import assignee_for
from bot.flows.normalize import normalise
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
    """Record the absence (absent without notice, pending a check) and pass it on.

    The company's consultant and the citizen's own consultant are told (once if they are the
    same person), and the citizen is asked by SMS in their language whether they are all right
    and why they are absent; their answer becomes a sick notice or a cancellation through the
    citizen flow. Returns the first name of the company consultant who was told.
    """
    employer = session.get(Employer, contact.employer_id)
    citizen = session.get(Citizen, intern.citizen_id)
    assert employer is not None and citizen is not None
    marked = record_employer_no_show(
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
    own = session.get(Staff, citizen.consultant_id) if citizen.consultant_id else None
    told: set[int | None] = set()
    for staff in (consultant, own):
        if staff is None or staff.id in told:
            continue
        told.add(staff.id)
        notify.to_staff(
            session,
            staff,
            template=N_("ticket.no_show"),
            params={"company": employer.name, "citizen": intern.name, "contact": contact.name},
            now=now,
            timezone=settings.timezone,
        )
    _ask_citizen(session, citizen, employer, marked[0].appointment_id if marked else None, now, settings)
    return notify.first_name(consultant.name) if consultant else ""


def _ask_citizen(
    session: Session,
    citizen: Citizen,
    employer: Employer,
    appointment_id: int | None,
    now: datetime,
    settings: Settings,
) -> None:
    """"Are you all right, why are you not at work?": the answer is read at ``absent_check``."""
    if not citizen.phone or citizen.opted_out or citizen.id is None:
        return
    conversation = conversations.get_or_create(session, phone=citizen.phone, now=now)
    enqueue(
        session,
        phone=citizen.phone,
        template=N_("absence.no_show_check"),
        params={"company": employer.name},
        language=citizen.language,
        purpose="no_show_check",
        contact_kind="citizen",
        contact_id=citizen.id,
        now=now,
    )
    start_flow(
        session,
        conversation,
        entry="absent_check",
        data={"appointment_id": appointment_id, "company": employer.name},
        settings=settings,
        now=now,
    )
