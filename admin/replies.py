"""A message typed by staff, sent through the outbox like every other message."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.audit import service as audit
from bot.channels import outbox
from bot.channels.models import Message
from bot.contacts.lookup import find_by_phone
from bot.i18n import N_

# The catalogs render this id as the text itself: staff write in the recipient's language.
STAFF_MESSAGE = N_("staff.message")
MAX_SEGMENTS = 3
_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)
_GSM7_DOUBLE = frozenset("^{}\\[~]|€")


def segments(text: str) -> int:
    """How many SMS parts ``text`` needs (GSM-7 160/153, else UCS-2 70/67)."""
    if all(ch in _GSM7 for ch in text):
        units = sum(2 if ch in _GSM7_DOUBLE else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)


class ReplyRejected(ValueError):
    """The text cannot be sent as it is; the message says why (shown to staff)."""


def send_staff_message(
    session: Session,
    *,
    phone: str,
    text: str,
    staff_id: int,
    now: datetime,
    in_reply_to_id: int | None = None,
    address: str | None = None,
) -> Message:
    """Queue ``text`` to ``phone`` from ``staff_id``, who is recorded in the audit log as its sender."""
    text = text.strip()
    if not text:
        raise ReplyRejected("empty")
    if segments(text) > MAX_SEGMENTS:
        raise ReplyRejected("too_long")
    contact = find_by_phone(session, phone)
    if contact is not None and contact.opted_out:
        raise ReplyRejected("opted_out")
    message = outbox.enqueue(
        session,
        phone=phone,
        template=STAFF_MESSAGE,
        params={"text": text, "staff_id": staff_id},
        language=contact.language if contact else "da",
        purpose="staff_reply",
        contact_kind=contact.kind if contact else None,
        contact_id=contact.id if contact else None,
        now=now,
        in_reply_to_id=in_reply_to_id,
    )
    audit.record(session, staff_id=staff_id, action="send", subject=f"phone:{phone}",
                 details={"message_id": message.id}, address=address, now=now)
    return message
