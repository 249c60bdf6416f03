"""Small builders shared by the channel tests."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.channels.models import Channel, Direction, Message, MessageStatus, SignatureVerdict
from bot.channels.outbox import enqueue
from bot.contacts.models import Citizen, Employer, EmployerContact, Staff
from bot.items.models import OpenItem


def add_citizen(engine: Engine, *, phone: str = "+4520123456", language: str = "da", name: str = "Amina") -> int:
    with Session(engine) as session:
        staff = Staff(name="Karen Consultant", email=f"karen{phone}@example.dk")
        session.add(staff)
        session.flush()
        citizen = Citizen(name=name, phone=phone, language=language, consultant_id=staff.id)
        session.add(citizen)
        session.commit()
        assert citizen.id is not None
        return citizen.id


def add_employer_contact(engine: Engine, *, phone: str = "+4531313131", language: str = "da") -> int:
    with Session(engine) as session:
        employer = Employer(name="Bageriet ApS", cvr="12345678")
        session.add(employer)
        session.flush()
        assert employer.id is not None
        contact = EmployerContact(employer_id=employer.id, name="Lars", phone=phone, language=language)
        session.add(contact)
        session.commit()
        assert contact.id is not None
        return contact.id


def queue(
    engine: Engine,
    now: datetime,
    *,
    phone: str = "+4520123456",
    template: str = "reply.help",
    language: str = "da",
    channel: str = "sms",
    contact_kind: str = "citizen",
    contact_id: int | None = None,
    purpose: str = "reminder",
) -> int:
    with Session(engine) as session:
        message = enqueue(
            session,
            phone=phone,
            template=template,
            params={},
            language=language,
            purpose=purpose,
            contact_kind=contact_kind,
            contact_id=contact_id,
            now=now,
            channel=channel,
        )
        session.commit()
        assert message.id is not None
        return message.id


def add_inbound(engine: Engine, *, phone: str, channel: str, at: datetime, sid: str) -> None:
    with Session(engine) as session:
        session.add(
            Message(
                direction=Direction.inbound,
                channel=Channel(channel),
                phone=phone,
                body="hej",
                provider_sid=sid,
                status=MessageStatus.processed,
                signature=SignatureVerdict.valid,
                created_at=at,
            )
        )
        session.commit()


def get_message(engine: Engine, message_id: int) -> Message:
    with Session(engine) as session:
        message = session.get(Message, message_id)
        assert message is not None
        return message


def open_items(engine: Engine, kind: str | None = None) -> list[OpenItem]:
    with Session(engine) as session:
        query = select(OpenItem).where(OpenItem.resolved_at == None)  # noqa: E711
        if kind is not None:
            query = query.where(OpenItem.kind == kind)
        return list(session.exec(query).all())


def citizen(engine: Engine, citizen_id: int) -> Citizen:
    with Session(engine) as session:
        found = session.get(Citizen, citizen_id)
        assert found is not None
        return found
