"""Who may see what: one policy for the API, the panel, the jobs and the CLI.

Each function finds and checks in one step, in the query itself, so a record outside a person's
remit is simply not found: "missing" and "forbidden" get the same 404, and nothing is shown and
then hidden. Two kinds of reach are decided here:

- records: which citizens, companies and open items a role works with;
- health data (the text of sick notices, cancellation reasons, message bodies): the consultant
  for their own citizens, caseworkers and team leads. Never the benefits department or admins,
  through any door (GDPR article 9: only those who need it).

The API grants case systems wider read access to citizen records (``API_READS_ALL_CITIZENS``)
than the panel shows each role; health data follows the same rule in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, or_, true
from sqlmodel import Session, col, select

from bot.contacts.models import Citizen, Employer, EmployerContact, Role, Staff
from bot.hearings.models import HearingCase, HearingStatus
from bot.items.models import ItemKind, OpenItem

# Health data: the text of a sick notice, a cancellation's reason, the body of a message.
READS_HEALTH_DATA = frozenset({Role.consultant, Role.caseworker, Role.team_lead})
# Through the API (case systems): who reads every citizen's record, and who changes them.
API_READS_ALL_CITIZENS = frozenset({Role.team_lead, Role.admin, Role.caseworker, Role.benefits})
CHANGES_ALL_CITIZENS = frozenset({Role.team_lead, Role.admin})
CHANGES_CITIZENS = frozenset({Role.consultant, Role.team_lead, Role.admin})
CHANGES_EMPLOYERS = frozenset({Role.consultant, Role.team_lead, Role.admin})
# Language centres and their contacts are shared by everyone who changes citizens.
CHANGES_CENTRES = frozenset({Role.consultant, Role.team_lead, Role.admin})
MANAGES_STAFF = frozenset({Role.admin})
# The team's figures (answer times per consultant), the audit log and the run-time settings.
OVERSEES_TEAM = frozenset({Role.team_lead, Role.admin})


def reads_health_data(role: Role | str) -> bool:
    """May this role read health data at all (for a consultant: of their own citizens)?"""
    return Role(role) in READS_HEALTH_DATA


def api_sees_all_citizens(staff: Staff) -> bool:
    return staff.role in API_READS_ALL_CITIZENS


def api_can_see_citizen(staff: Staff, citizen: Citizen) -> bool:
    return api_sees_all_citizens(staff) or citizen.consultant_id == staff.id


# Open items a caseworker handles for every citizen: absence and attendance work.
ABSENCE_ITEM_KINDS = frozenset(
    {
        ItemKind.sick_notice.value,
        ItemKind.ask_documentation.value,
        ItemKind.attendance_missing.value,
        ItemKind.cancellation.value,
        "attendance_check",
        "hearing_awaiting_remarks",
        "hearing_awaiting_decision",
    }
)
# Open items for the benefits department: hearing cases waiting for the decision.
BENEFITS_ITEM_KINDS = frozenset({"hearing_awaiting_decision"})


@dataclass(frozen=True)
class Viewer:
    """The staff member asking, as the policy sees them."""

    staff_id: int
    role: Role
    name: str = ""

    @classmethod
    def of(cls, staff: Staff) -> Viewer:
        assert staff.id is not None
        return cls(staff_id=staff.id, role=Role(staff.role), name=staff.name)

    @property
    def is_lead(self) -> bool:
        return self.role is Role.team_lead

    @property
    def oversees_team(self) -> bool:
        """Reads the SLA report, the audit log and the settings page."""
        return self.role in OVERSEES_TEAM

    @property
    def sees_citizens(self) -> bool:
        return self.role in (Role.consultant, Role.caseworker, Role.team_lead)

    @property
    def sees_companies(self) -> bool:
        return self.role in (Role.consultant, Role.team_lead)

    @property
    def sees_absences(self) -> bool:
        return self.role in (Role.caseworker, Role.team_lead)

    @property
    def sees_hearings(self) -> bool:
        return self.role in (Role.caseworker, Role.benefits, Role.team_lead)

    @property
    def prepares_hearings(self) -> bool:
        """Opening a case, documentation, remarks, the assessment and the guidance: caseworkers
        (and their team lead). Consultants only read; the benefits department only decides."""
        return self.role in (Role.caseworker, Role.team_lead)

    @property
    def decides_hearings(self) -> bool:
        """The benefits department decides; the software and everyone else only prepare."""
        return self.role is Role.benefits

    @property
    def sees_escalations(self) -> bool:
        """All tickets; a consultant sees only those assigned to them (``ticket_filter``)."""
        return self.role is Role.team_lead

    @property
    def is_admin(self) -> bool:
        return self.role is Role.admin

    @property
    def is_translator(self) -> bool:
        """Sees the translations and nothing else (``admin.deps`` turns every other page away)."""
        return self.role is Role.translator

    @property
    def reviews_translations(self) -> bool:
        """Corrects and approves translations: interpreters and bilingual staff, and admins."""
        return self.role in (Role.translator, Role.admin)


def citizen_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.consultant:
        return Citizen.consultant_id == viewer.staff_id
    if viewer.role in (Role.caseworker, Role.team_lead):
        return true()
    return false()


def employer_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.consultant:
        return Employer.consultant_id == viewer.staff_id
    if viewer.role is Role.team_lead:
        return true()
    return false()


def own_citizen_ids(viewer: Viewer) -> Any:
    return select(Citizen.id).where(Citizen.consultant_id == viewer.staff_id)


def own_employer_ids(viewer: Viewer) -> Any:
    return select(Employer.id).where(Employer.consultant_id == viewer.staff_id)


def item_filter(viewer: Viewer) -> Any:
    if viewer.role is Role.team_lead:
        return true()
    if viewer.role is Role.consultant:
        return or_(
            col(OpenItem.assignee_id) == viewer.staff_id,
            col(OpenItem.citizen_id).in_(own_citizen_ids(viewer)),
            col(OpenItem.employer_id).in_(own_employer_ids(viewer)),
        )
    if viewer.role is Role.caseworker:
        return or_(
            col(OpenItem.kind).in_(sorted(ABSENCE_ITEM_KINDS)), col(OpenItem.assignee_id) == viewer.staff_id
        )
    if viewer.role is Role.benefits:
        return or_(
            col(OpenItem.kind).in_(sorted(BENEFITS_ITEM_KINDS)), col(OpenItem.assignee_id) == viewer.staff_id
        )
    return false()


def may_change_citizen(viewer: Viewer, citizen: Citizen) -> bool:
    """Consultants change their own caseload; team leads and admins everyone (panel and API alike)."""
    if viewer.role in CHANGES_ALL_CITIZENS:
        return True
    return viewer.role in CHANGES_CITIZENS and citizen.consultant_id == viewer.staff_id


def may_change_employer(viewer: Viewer, employer: Employer) -> bool:
    """Consultants change the companies they are the consultant of; team leads and admins all."""
    if viewer.role not in CHANGES_EMPLOYERS:
        return False
    return viewer.role is not Role.consultant or employer.consultant_id == viewer.staff_id


def changeable_citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen | None:
    """The citizen if ``viewer`` may change them; missing and forbidden are both ``None``."""
    found = session.get(Citizen, citizen_id)
    return found if found is not None and may_change_citizen(viewer, found) else None


def changeable_employer(session: Session, viewer: Viewer, employer_id: int) -> Employer | None:
    found = session.get(Employer, employer_id)
    return found if found is not None and may_change_employer(viewer, found) else None


def hearing_case_filter(viewer: Viewer) -> Any:
    """Caseworkers and team leads see every hearing case; the benefits department the ones that
    reached it (assessed or decided); a consultant the cases of their own citizens, to explain
    the sanction rules to them (read only)."""
    if viewer.role in (Role.caseworker, Role.team_lead):
        return true()
    if viewer.role is Role.benefits:
        return col(HearingCase.status).in_([HearingStatus.assessed, HearingStatus.decided])
    if viewer.role is Role.consultant:
        return col(HearingCase.citizen_id).in_(own_citizen_ids(viewer))
    return false()


def hearing_case(session: Session, viewer: Viewer, case_id: int) -> HearingCase | None:
    query = select(HearingCase).where(HearingCase.id == case_id, hearing_case_filter(viewer))
    return session.exec(query).first()


def citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen | None:
    return session.exec(select(Citizen).where(Citizen.id == citizen_id, citizen_filter(viewer))).first()


def employer(session: Session, viewer: Viewer, employer_id: int) -> Employer | None:
    return session.exec(select(Employer).where(Employer.id == employer_id, employer_filter(viewer))).first()


def item(session: Session, viewer: Viewer, item_id: int) -> OpenItem | None:
    return session.exec(select(OpenItem).where(OpenItem.id == item_id, item_filter(viewer))).first()


def phone_visible(session: Session, viewer: Viewer, phone: str, *, own_phone: str | None = None) -> bool:
    """May ``viewer`` read and answer the conversation with ``phone``? Message bodies hold what
    citizens wrote about their health, so this is also the health-data rule for messages: the
    API and the panel both ask here. ``own_phone``: the staff member's own number."""
    if viewer.role is Role.team_lead or (own_phone is not None and own_phone == phone):
        return True
    if viewer.sees_citizens:
        found = session.exec(select(Citizen.id).where(Citizen.phone == phone, citizen_filter(viewer))).first()
        if found is not None:
            return True
    if viewer.sees_companies:
        found = session.exec(
            select(EmployerContact.id)
            .join(Employer, col(Employer.id) == col(EmployerContact.employer_id))
            .where(EmployerContact.phone == phone, employer_filter(viewer))
        ).first()
        if found is not None:
            return True
    # An open item about this phone given to this person (e.g. an unknown sender).
    assigned = session.exec(
        select(OpenItem.id).where(
            OpenItem.phone == phone,
            col(OpenItem.assignee_id) == viewer.staff_id,
            col(OpenItem.resolved_at).is_(None),
        )
    ).first()
    return assigned is not None
