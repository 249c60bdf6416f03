from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.channels.models import Channel, ContactKind, Direction, Message, MessageStatus
from bot.contacts.models import Citizen


def add_citizen(session: Session, *, name: str = "Amina Hassan", phone: str = "+4520123456") -> Citizen:
    citizen = Citizen(name=name, phone=phone, language="ar", calendar_token=f"cal-secret-{phone}")
    session.add(citizen)
    session.flush()
    return citizen


def add_inbound(
    session: Session, *, citizen: Citizen | None, phone: str, body: str, at: datetime, sid: str
) -> Message:
    message = Message(
        direction=Direction.inbound,
        channel=Channel.sms,
        phone=phone,
        contact_kind=ContactKind.citizen if citizen else ContactKind.unknown,
        contact_id=citizen.id if citizen else None,
        body=body,
        provider_sid=sid,
        status=MessageStatus.processed,
        raw_payload={"MessageSid": sid, "From": phone, "To": "+4570000000", "Body": body,
                     "ProfileName": "Amina", "FromCity": "Helsingør"},
        created_at=at,
    )
    session.add(message)
    session.flush()
    return message


def add_outbound(
    session: Session,
    *,
    citizen: Citizen,
    at: datetime,
    status: MessageStatus = MessageStatus.delivered,
    params: dict[str, Any] | None = None,
) -> Message:
    message = Message(
        direction=Direction.outbound,
        phone=citizen.phone or "",
        contact_kind=ContactKind.citizen,
        contact_id=citizen.id,
        template="reminder.meeting",
        params=params or {"place": "Jobcenter, Rosenkildevej 2", "time": "09:00"},
        locale="ar",
        body="تذكير: اجتماع في Jobcenter الساعة 09:00" if status != MessageStatus.queued else None,
        status=status,
        created_at=at,
        due_at=at,
    )
    session.add(message)
    session.flush()
    return message


def days_ago(now: datetime, days: int) -> datetime:
    return now - timedelta(days=days)
