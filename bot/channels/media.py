"""Photos and documents that came with an inbound message, kept as evidence beside it.

A message is stored and sealed in the ledger before anything is fetched (the webhook answers
at once); its media are fetched afterwards by the inbound worker. Each stored file is then
sealed onto its message's ledger link: ``chain_hash = sha256(message.chain_hash | media id |
position | content type | size | sha256)``. ``check`` walks every file: changed bytes no
longer match ``sha256``, a changed digest, type or size (or a file moved to another message)
no longer matches ``chain_hash``; ``NumMedia`` in the sealed message's payload says how many
files there were. Erasure drops the bytes and keeps the digest, as it does for bodies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, LargeBinary, UniqueConstraint, update
from sqlmodel import Field, Session, SQLModel, col, select

from bot.models_base import utc_field

# ``session.info`` key: ids of messages the session knows have no files (they announced none and
# nothing fetched any), so ``for_message`` need not ask the database.
NONE_FOR = "media_none_for"


class MediaStatus(StrEnum):
    stored = "stored"
    too_large = "too_large"  # over BOT_MEDIA_MAX_BYTES: not kept
    wrong_type = "wrong_type"  # not an image or a PDF: not kept
    failed = "failed"  # could not be fetched from the provider


class MessageMedia(SQLModel, table=True):
    __tablename__ = "message_media"
    __table_args__ = (UniqueConstraint("message_id", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="message.id", index=True)
    position: int = 0  # N of Twilio's MediaUrlN
    status: MediaStatus = MediaStatus.stored
    content_type: str
    size: int = 0
    sha256: str | None = None
    # Health data (a doctor's note): served only to roles that may see it, erased like a body.
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    # The citizen it was attributed to (a shared phone's photo belongs to the person chosen).
    citizen_id: int | None = Field(default=None, foreign_key="citizen.id", index=True)
    # The receipt's reference ("D-2026-000001") and the sick notice it documents, if any.
    reference: str | None = Field(default=None, index=True)
    sick_notice_id: int | None = Field(default=None, foreign_key="sick_notice.id", index=True)
    chain_hash: str | None = None
    created_at: datetime | None = utc_field()
    erased_at: datetime | None = utc_field()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def link_hash(message_chain_hash: str | None, media: MessageMedia) -> str:
    parts = [
        message_chain_hash or "", str(media.id), str(media.position), media.content_type,
        str(media.size), media.sha256 or "",
    ]
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def for_message(session: Session, message_id: int) -> list[MessageMedia]:
    if message_id in session.info.get(NONE_FOR, ()):
        return []
    rows = session.exec(
        select(MessageMedia).where(MessageMedia.message_id == message_id).order_by(col(MessageMedia.position))
    )
    return list(rows)


def for_messages(session: Session, message_ids: list[int]) -> dict[int, list[MessageMedia]]:
    """Stored files per message id (the message list of the API shows them)."""
    found: dict[int, list[MessageMedia]] = {}
    if not message_ids:
        return found
    rows = session.exec(
        select(MessageMedia)
        .where(col(MessageMedia.message_id).in_(message_ids), MessageMedia.status == MediaStatus.stored)
        .order_by(col(MessageMedia.message_id), col(MessageMedia.position))
    )
    for row in rows:
        found.setdefault(row.message_id, []).append(row)
    return found


def attribute(session: Session, message_id: int, citizen_id: int) -> None:
    """The files of ``message_id`` belong to ``citizen_id`` (a shared phone's choice was made)."""
    session.execute(
        update(MessageMedia).where(col(MessageMedia.message_id) == message_id).values(citizen_id=citizen_id)
    )


def erase_for_messages(session: Session, message_ids: list[int], now: datetime) -> int:
    """Drop the bytes of these messages' files; digests and the chain stay."""
    if not message_ids:
        return 0
    result = session.execute(
        update(MessageMedia)
        .where(col(MessageMedia.message_id).in_(message_ids), col(MessageMedia.data).is_not(None))
        .values(data=None, erased_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class MediaVerdict:
    checked: int
    broken_id: int | None
    reason: str | None


def check(session: Session, message_hashes: dict[int, str | None] | None = None) -> MediaVerdict:
    """Every stored file against its digest and its link to the sealed message."""
    from bot.channels.models import Message

    checked = 0
    rows = session.exec(
        select(MessageMedia, Message.chain_hash)
        .join(Message, col(Message.id) == col(MessageMedia.message_id))
        .order_by(col(MessageMedia.id))
    )
    for media, message_hash in rows:
        checked += 1
        if media.data is not None and digest(media.data) != media.sha256:
            return MediaVerdict(checked, media.id, "media bytes do not match their stored SHA-256")
        if media.chain_hash != link_hash(message_hash, media):
            return MediaVerdict(checked, media.id, "media do not link to their message")
    return MediaVerdict(checked, None, None)


__all__ = [
    "MediaStatus", "MediaVerdict", "MessageMedia", "attribute", "check", "digest", "erase_for_messages",
    "for_message", "for_messages", "link_hash",
]
