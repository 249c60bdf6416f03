"""What a photo or a PDF from a citizen becomes: a receipt, and documentation where it belongs.

A doctor's note photographed and sent while a sick notice or a hearing is open is documentation
of that absence, exactly like paper handed in at the desk: it is linked to the notice, added to
the hearing case with its source and arrival time, and the citizen gets a reference for it.
A file that could not be kept (too large, not an image or a PDF) is answered too, so the person
knows to send it again rather than believing it arrived.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import references
from bot.channels import media
from bot.channels.media import MediaStatus, MessageMedia
from bot.channels.models import Message
from bot.config import Settings
from bot.conversations.registry import Reply
from bot.hearings import remarks
from bot.hearings.hearings import add_document
from bot.hearings.models import DocumentSource
from bot.i18n import N_, format_datetime
from bot.sick_notices import service as notices

# How the case and the evidence export name where such a document came from.
SOURCE_TEXT = "citizen (SMS/WhatsApp photo)"
MEDIA_MESSAGES = (
    N_("media.photo_received"), N_("media.document_received"), N_("media.photo_attached"),
    N_("media.document_attached"), N_("media.refused"),
)


def _is_photo(row: MessageMedia) -> bool:
    return row.content_type.startswith("image/")


def _attach(session: Session, row: MessageMedia, message: Message, citizen_id: int, tz: str) -> str | None:
    """Link ``row`` to the open sick notice and the open hearing; the reference it went to."""
    received_at = message.created_at
    assert received_at is not None and message.id is not None
    attached_to = None
    notice = notices.current_notice(
        session, citizen_id=citizen_id, day=received_at.astimezone(ZoneInfo(tz)).date()
    )
    if notice is not None:
        row.sick_notice_id = notice.id
        attached_to = notice.reference
    case = remarks.open_case_for(session, citizen_id=citizen_id, at=received_at)
    if case is not None and case.id is not None:
        add_document(
            session, case_id=case.id, source=DocumentSource.citizen, received_at=received_at,
            description=f"{SOURCE_TEXT}: {row.content_type}, {row.size} bytes, ref. {row.reference}",
            staff_id=None, now=received_at, message_id=message.id,
        )
        attached_to = attached_to or case.reference
    return attached_to


def receipts_for(
    session: Session, *, message: Message, citizen_id: int, settings: Settings, language: str, now: datetime
) -> list[Reply]:
    """Attribute ``message``'s files to the citizen, file them, and say what arrived."""
    if message.id is None or message.created_at is None:
        return []
    rows = media.for_message(session, message.id)
    if not rows:
        return []
    media.attribute(session, message.id, citizen_id)
    replies: list[Reply] = []
    refused = False
    when = format_datetime(message.created_at, language, settings.timezone, "d MMM HH:mm")
    for row in rows:
        if row.status != MediaStatus.stored:
            refused = True
            continue
        if row.reference is None:
            year = message.created_at.astimezone(ZoneInfo(settings.timezone)).year
            row.reference = references.next_reference(session, prefix=references.DOCUMENT, year=year)
            attached_to = _attach(session, row, message, citizen_id, settings.timezone)
            session.add(row)
        else:
            attached_to = None
        params = {"time": when, "ref": row.reference}
        if attached_to:
            template = N_("media.photo_attached") if _is_photo(row) else N_("media.document_attached")
            replies.append(Reply(template, {**params, "record": attached_to}, purpose="receipt"))
        else:
            template = N_("media.photo_received") if _is_photo(row) else N_("media.document_received")
            replies.append(Reply(template, params, purpose="receipt"))
    if refused:
        replies.append(Reply(N_("media.refused"), {"mb": settings.media_max_bytes // 1_000_000}))
    return replies


__all__ = ["SOURCE_TEXT", "receipts_for"]
