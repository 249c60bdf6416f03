"""Who may see and change what through the API.

Consultants work on their own caseload; team leads and admins see and change everything;
caseworkers and the benefits department read every citizen but change none.
"""

from __future__ import annotations

from bot.contacts.models import Citizen, Role, Staff

SEES_ALL_CITIZENS = frozenset({Role.team_lead, Role.admin, Role.caseworker, Role.benefits})
CHANGES_ALL_CITIZENS = frozenset({Role.team_lead, Role.admin})
CHANGES_CITIZENS = frozenset({Role.consultant, Role.team_lead, Role.admin})
CHANGES_EMPLOYERS = frozenset({Role.consultant, Role.team_lead, Role.admin})
MANAGES_STAFF = frozenset({Role.admin})


def sees_all_citizens(staff: Staff) -> bool:
    return staff.role in SEES_ALL_CITIZENS


def can_see_citizen(staff: Staff, citizen: Citizen) -> bool:
    return sees_all_citizens(staff) or citizen.consultant_id == staff.id
