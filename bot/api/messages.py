"""``/api/v1/messages``: the message ledger for one phone number, newest first."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, status
from pydantic import BaseModel, ConfigDict
from sqlmodel import Session

from bot import access
from bot.api.auth import CurrentStaff
from bot.api.media import MediaPublic
from bot.api.timestamps import ApiDatetime
from bot.channels import media
from bot.channels.models import Channel, Direction, MessageStatus
from bot.clock import utcnow
from bot.contacts import message_reading, service
from bot.contacts.models import Staff
from bot.deps import SessionDep, SettingsDep

router = APIRouter(prefix="/messages", tags=["messages"])


class MessagePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    direction: Direction
    channel: Channel
    phone: str
    body: str | None
    status: MessageStatus
    provider_sid: str | None
    error_code: str | None
    contact_kind: str
    contact_id: int | None
    purpose: str | None
    created_at: ApiDatetime | None
    sent_at: ApiDatetime | None = None
    delivered_at: ApiDatetime | None = None
    # Photos and documents that came with it (bytes at /api/v1/media/{id}).
    media: list[MediaPublic] = []


def may_read_messages_of(session: Session, staff: Staff, phone: str) -> bool:
    """Message bodies are health data: the same rule as the panel's conversation pages."""
    return access.phone_visible(session, access.Viewer.of(staff), phone, own_phone=staff.phone)


@router.get("", response_model=list[MessagePublic])
def list_messages(
    session: SessionDep,
    settings: SettingsDep,
    staff: CurrentStaff,
    phone: Annotated[str, Query(description="The contact's number in any usual spelling.")],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[MessagePublic]:
    """Every message to and from ``phone``, newest first. Each read is recorded in the audit trail."""
    number = service.normalise_phone(phone, region=settings.default_region)
    if not may_read_messages_of(session, staff, number):
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"No contact of yours has the number {number}.")
    rows = message_reading.read_by_staff(
        session=session, acting_staff=staff.id, phone=number, limit=limit, offset=offset, now=utcnow(),
        via="api",
    )
    files = media.for_messages(session, [m.id for m in rows if m.id is not None])
    listed = [
        MessagePublic.model_validate(m).model_copy(
            update={"media": [MediaPublic.model_validate(f) for f in files.get(m.id or 0, [])]}
        )
        for m in rows
    ]
    return listed


__all__ = ["MessagePublic", "router"]
