"""Which photos and documents a caseworker sees beside a case, and who may open them.

A doctor's note a citizen photographed is documentation like paper handed in at the desk, so the
hearing case, the sick notice and the evidence export list it with its type, size, SHA-256 and
arrival time. It is also health data: the bytes go only to roles that read health data, for a
phone whose messages the reader may read (the rule the message bodies follow), in the API and the
panel alike. On a shared phone a file belongs to the person it was attributed to, so one
citizen's case never lists the other's files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from bot import access
from bot.attendance.attendance import local_day_bounds
from bot.audit import service as audit
from bot.channels.media import MediaStatus, MessageMedia
from bot.channels.models import Message
from bot.contacts.models import Staff
from bot.hearings.models import HearingCase, HearingDocument

# File name endings in the export for the types that are kept (images and PDF).
_ENDINGS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
            "image/heic": "heic", "application/pdf": "pdf"}


@dataclass(frozen=True)
class CaseFile:
    """One kept file as evidence: what it is, when it arrived, and its bytes if not erased."""

    media: MessageMedia
    received_at: datetime

    @property
    def name(self) -> str:
        """Its path in the export: the receipt's reference, so the citizen's receipt names it."""
        ending = _ENDINGS.get(self.media.content_type.split(";")[0].strip().lower(), "bin")
        return f"media/{self.media.reference or f'file-{self.media.id}'}.{ending}"


def case_files(session: Session, case: HearingCase, *, tz: str, until: datetime) -> list[CaseFile]:
    """Files the citizen sent from the first day of the period until ``until``, and any file a
    document of the case came with (even from before the period), oldest first."""
    start, _ = local_day_bounds(case.period_from, tz)
    documented = select(HearingDocument.message_id).where(
        HearingDocument.case_id == case.id, col(HearingDocument.message_id).is_not(None)
    )
    in_period = and_(
        col(MessageMedia.citizen_id) == case.citizen_id,
        col(Message.created_at) >= start, col(Message.created_at) <= until,
    )
    rows = session.exec(
        select(MessageMedia, Message.created_at)
        .join(Message, col(Message.id) == col(MessageMedia.message_id))
        .where(MessageMedia.status == MediaStatus.stored)
        .where(or_(in_period, col(MessageMedia.message_id).in_(documented)))
        .order_by(col(Message.created_at), col(MessageMedia.id))
    ).all()
    return [CaseFile(media, received) for media, received in rows if received is not None]


def notice_files(session: Session, sick_notice_ids: list[int]) -> dict[int, list[MessageMedia]]:
    """Kept files per sick notice they document (the citizen page and the sick-notice API)."""
    found: dict[int, list[MessageMedia]] = {}
    if not sick_notice_ids:
        return found
    rows = session.exec(
        select(MessageMedia)
        .where(col(MessageMedia.sick_notice_id).in_(sick_notice_ids))
        .where(MessageMedia.status == MediaStatus.stored)
        .order_by(col(MessageMedia.id))
    )
    for row in rows:
        assert row.sick_notice_id is not None
        found.setdefault(row.sick_notice_id, []).append(row)
    return found


def readable(session: Session, staff: Staff, media_id: int) -> MessageMedia | None:
    """The file if ``staff`` may open it; None for missing, erased and forbidden alike."""
    row = session.get(MessageMedia, media_id)
    message = session.get(Message, row.message_id) if row is not None else None
    if row is None or message is None or row.status != MediaStatus.stored or row.data is None:
        return None
    if not access.reads_health_data(staff.role):
        return None
    if not access.phone_visible(session, access.Viewer.of(staff), message.phone, own_phone=staff.phone):
        return None
    return row


def open_file(session: Session, *, acting_staff: Staff, media_id: int, now: datetime) -> MessageMedia | None:
    """The file for ``acting_staff`` (as ``readable``), its reading on record."""
    row = readable(session, acting_staff, media_id)
    if row is not None:
        audit.record(session, staff_id=acting_staff.id, action="view", subject=f"media:{media_id}", now=now,
                     details={"message_id": row.message_id, "via": "api"})
    return row


__all__ = ["CaseFile", "case_files", "notice_files", "open_file", "readable"]
