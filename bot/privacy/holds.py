"""Legal holds: personal data that must be kept although its retention time has passed.

A citizen with an open hearing case (partshøring) is on hold: every message to or from them and
every sick notice they sent may be evidence in that case, the "sent SMS messages about a sick
notice which for some reason were not registered" the hearing letter invites them to point to.
Holding the whole record while the case is open is deliberately broad: deciding message by
message what might become evidence is exactly the judgement the hearing exists for. Messages
from others attached to an open case (an employer's "she did not come") are held as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, union
from sqlalchemy import select as core_select
from sqlmodel import Session, col, select

from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen
from bot.hearings.models import HearingCase, HearingDocument, HearingRemark, HearingStatus

OPEN_CASE = (HearingStatus.awaiting_remarks, HearingStatus.assessed)


@dataclass(frozen=True)
class Holds:
    citizen_ids: frozenset[int]
    phones: frozenset[str]
    message_ids: frozenset[int]

    def covers_citizen(self, citizen_id: int) -> bool:
        return citizen_id in self.citizen_ids

    def message_clause(self) -> ColumnElement[bool]:
        """SQL that is true for messages under hold."""
        if not (self.citizen_ids or self.phones or self.message_ids):
            return false()
        return or_(
            and_(
                col(Message.contact_kind) == ContactKind.citizen,
                col(Message.contact_id).in_(sorted(self.citizen_ids)),
            ),
            col(Message.phone).in_(sorted(self.phones)),
            col(Message.id).in_(sorted(self.message_ids)),
        )


def current_holds(session: Session) -> Holds:
    open_cases = core_select(col(HearingCase.id)).where(col(HearingCase.status).in_(OPEN_CASE))
    citizen_ids = set(
        session.exec(select(HearingCase.citizen_id).where(col(HearingCase.status).in_(OPEN_CASE))).all()
    )
    phones: set[str] = set()
    if citizen_ids:
        rows = session.exec(select(Citizen.phone).where(col(Citizen.id).in_(sorted(citizen_ids)))).all()
        phones = {phone for phone in rows if phone}
    attached = union(
        core_select(col(HearingDocument.message_id)).where(col(HearingDocument.case_id).in_(open_cases)),
        core_select(col(HearingRemark.message_id)).where(col(HearingRemark.case_id).in_(open_cases)),
        core_select(col(HearingCase.notice_message_id)).where(col(HearingCase.id).in_(open_cases)),
    )
    message_ids = {row[0] for row in session.execute(attached).all() if row[0] is not None}
    return Holds(frozenset(citizen_ids), frozenset(phones), frozenset(message_ids))
