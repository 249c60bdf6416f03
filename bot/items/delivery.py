"""The channels' ``FollowUp`` as open items: a message that did not arrive is a call for staff.

One item per message and kind (``delivery_failed:<id>``, ``maybe_not_sent:<id>``), assigned to
the recipient's consultant; a resend resolves them with a note of when, by whom and as which
message, and puts the resend in the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.audit import service as audit
from bot.channels.models import ContactKind, Message
from bot.contacts.models import Citizen, Employer, EmployerContact
from bot.items import service as items
from bot.items.models import ItemKind, OpenItem

# The items a resend of their message settles.
RESEND_ITEM_KINDS = (ItemKind.maybe_not_sent, ItemKind.delivery_failed)


@dataclass(frozen=True)
class Recipient:
    """Who an outbound message is for, as far as staff follow-up is concerned."""

    citizen_id: int | None = None
    employer_id: int | None = None
    assignee_id: int | None = None
    name: str | None = None


def recipient_of(session: Session, message: Message) -> Recipient:
    if message.contact_kind == ContactKind.citizen and message.contact_id is not None:
        citizen = session.get(Citizen, message.contact_id)
        if citizen is not None:
            return Recipient(citizen_id=citizen.id, assignee_id=citizen.consultant_id, name=citizen.name)
    if message.contact_kind == ContactKind.employer_contact and message.contact_id is not None:
        contact = session.get(EmployerContact, message.contact_id)
        if contact is not None:
            employer = session.get(Employer, contact.employer_id)
            return Recipient(
                employer_id=contact.employer_id,
                assignee_id=employer.consultant_id if employer else None,
                name=contact.name,
            )
    return Recipient()


def open_delivery_failed(session: Session, message: Message, *, now: datetime) -> OpenItem:
    """One item per message that did not arrive: staff should call this person."""
    who = recipient_of(session, message)
    name = f"{who.name} ({message.phone})" if who.name else message.phone
    return items.open(
        session,
        kind=ItemKind.delivery_failed,
        summary=f"Message to {name} was not delivered: call this person.",
        now=now,
        dedupe_key=f"delivery_failed:{message.id}",
        citizen_id=who.citizen_id,
        employer_id=who.employer_id,
        assignee_id=who.assignee_id,
        phone=message.phone,
        message_id=message.id,
        details={
            "status": message.status.value,
            "error_code": message.error_code,
            "purpose": message.purpose,
            "template": message.template,
        },
        due_at=now,
        summary_id="delivery_failed",
    )


def open_maybe_not_sent(session: Session, message: Message, *, now: datetime) -> OpenItem:
    who = recipient_of(session, message)
    name = f"{who.name} ({message.phone})" if who.name else message.phone
    return items.open(
        session,
        kind=ItemKind.maybe_not_sent,
        summary=(
            f"Message to {name} may not have been sent (the service stopped while sending). "
            "Check with the person or resend it."
        ),
        now=now,
        dedupe_key=f"maybe_not_sent:{message.id}",
        summary_id="maybe_not_sent",
        citizen_id=who.citizen_id,
        employer_id=who.employer_id,
        assignee_id=who.assignee_id,
        phone=message.phone,
        message_id=message.id,
        details={"purpose": message.purpose, "template": message.template},
        due_at=now,
    )


def note_resend(
    session: Session, original: Message, copy: Message, *, now: datetime, staff_id: int | None
) -> list[int]:
    """Resolve the items about ``original``, each with a note of the resend; their ids."""
    resolved: list[int] = []
    for kind in RESEND_ITEM_KINDS:
        item = items.by_key(session, f"{kind.value}:{original.id}")
        if item is None or item.id is None:
            continue
        item.details = {
            **item.details,
            "resent": {"message_id": copy.id, "at": now.isoformat(), "by_staff_id": staff_id},
        }
        items.resolve(session, item.id, now=now, staff_id=staff_id)
        resolved.append(item.id)
    return resolved


class ItemFollowUp:
    """Delivery trouble as open items, and a resend on record (``channels.peers.FollowUp``)."""

    def not_delivered(self, session: Session, message: Message, *, now: datetime) -> None:
        open_delivery_failed(session, message, now=now)

    def maybe_not_sent(self, session: Session, message: Message, *, now: datetime) -> None:
        open_maybe_not_sent(session, message, now=now)

    def resent(
        self, session: Session, original: Message, copy: Message, *,
        now: datetime, staff_id: int | None, address: str | None,
    ) -> None:
        # Audited here rather than by the panel, so the panel and any other caller record it alike.
        resolved = note_resend(session, original, copy, now=now, staff_id=staff_id)
        audit.record(
            session, staff_id=staff_id, action="resend", subject=f"message:{original.id}", now=now,
            details={"resent_as": copy.id, "status": original.status.value, "error_code": original.error_code,
                     "purpose": original.purpose, "items": resolved},
            address=address,
        )
