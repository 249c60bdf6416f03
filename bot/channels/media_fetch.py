"""Fetching the photos and documents of a stored inbound message from the provider.

Runs in the inbound worker, never in the webhook: the message is already stored and sealed, and
a slow download must not keep Twilio waiting. The download goes through the official client's
HTTP layer (``TwilioHttpClient``) with the account's credentials, and only to the provider's own
API host, so a payload can never send our credentials elsewhere. The body is read in a response
hook, before the client decodes it as text, and never beyond ``BOT_MEDIA_MAX_BYTES``: a file
that is too large or not an image or a PDF is recorded as refused and not kept.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from twilio.http.http_client import TwilioHttpClient

from bot.channels import media
from bot.channels.media import MediaStatus, MessageMedia
from bot.channels.models import Direction, Message
from bot.config import Settings

log = logging.getLogger("bot.channels.media")

ALLOWED_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif", "application/pdf"}
)
# What the first bytes of the common kinds look like: a declared type must match its content.
_MAGIC = {"image/jpeg": b"\xff\xd8", "image/png": b"\x89PNG", "application/pdf": b"%PDF"}
MAX_MEDIA = 10  # Twilio sends at most 10 per message


@dataclass
class _Body:
    limit: int
    data: bytes = b""
    too_large: bool = False

    def __call__(self, response: requests.Response, *args: Any, **kwargs: Any) -> requests.Response:
        """Read the body ourselves, at most ``limit`` bytes, before the client turns it into text."""
        if response.is_redirect:
            return response
        declared = int(response.headers.get("Content-Length") or 0)
        if declared > self.limit:
            self.too_large = True
        else:
            chunk = response.raw.read(self.limit + 1, decode_content=True) or b""
            self.too_large = len(chunk) > self.limit
            self.data = b"" if self.too_large else chunk
        response._content = b""
        response._content_consumed = True
        response.close()
        return response


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, parts.netloc.lower()


def wanted(payload: dict[str, Any]) -> list[tuple[int, str, str]]:
    """(position, url, declared content type) of each file the provider announced."""
    try:
        count = min(int(payload.get("NumMedia") or 0), MAX_MEDIA)
    except (TypeError, ValueError):
        return []
    found = []
    for position in range(count):
        url = str(payload.get(f"MediaUrl{position}") or "")
        if url:
            found.append((position, url, str(payload.get(f"MediaContentType{position}") or "")))
    return found


def _download(settings: Settings, url: str) -> tuple[int, str, _Body]:
    body = _Body(settings.media_max_bytes)
    client = TwilioHttpClient(timeout=20.0, request_hooks={"response": [body]})
    answer = client.request(
        "GET", url, auth=(settings.twilio_account_sid, settings.twilio_auth_token), allow_redirects=True,
    )
    content_type = str((answer.headers or {}).get("Content-Type") or "").split(";")[0].strip().lower()
    return answer.status_code, content_type, body


def _type_ok(content_type: str, data: bytes) -> bool:
    if content_type not in ALLOWED_TYPES:
        return False
    magic = _MAGIC.get(content_type)
    return magic is None or data.startswith(magic)


def fetch_one(settings: Settings, url: str, declared: str) -> tuple[MediaStatus, str, bytes]:
    """Download one file: its status, content type and bytes (empty unless stored)."""
    if _origin(url) != _origin(settings.twilio_api_url):
        log.warning("media url outside the provider refused", extra={"host": urlsplit(url).netloc})
        return MediaStatus.failed, declared, b""
    try:
        status_code, content_type, body = _download(settings, url)
    except requests.RequestException:
        log.exception("media fetch failed")
        return MediaStatus.failed, declared, b""
    content_type = content_type or declared.lower()
    if body.too_large:
        return MediaStatus.too_large, content_type, b""
    if status_code >= 400:
        return MediaStatus.failed, content_type, b""
    if not _type_ok(content_type, body.data):
        return MediaStatus.wrong_type, content_type, b""
    return MediaStatus.stored, content_type, body.data


def fetch_for_message(engine: Engine, message_id: int, *, settings: Settings, now: datetime) -> int:
    """Fetch the files of an inbound message once; the number of rows written.

    A message whose files were fetched before (a retry, a reprocess) is left alone.
    """
    with Session(engine) as session:
        message = session.get(Message, message_id)
        if message is None or message.direction != Direction.inbound:
            return 0
        todo = wanted(message.raw_payload or {})
        done = session.exec(select(MessageMedia.id).where(MessageMedia.message_id == message_id)).first()
        if not todo or done is not None:
            return 0
        chain_hash = message.chain_hash
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        fetched = [(p, MediaStatus.failed, declared, b"") for p, _url, declared in todo]
    else:
        fetched = [(p, *fetch_one(settings, url, declared)) for p, url, declared in todo]
    with Session(engine) as session:
        rows = []
        for position, status, content_type, data in fetched:
            row = MessageMedia(
                message_id=message_id, position=position, status=status, content_type=content_type[:100],
                size=len(data), sha256=media.digest(data) if status == MediaStatus.stored else None,
                data=data if status == MediaStatus.stored else None, created_at=now,
            )
            session.add(row)
            rows.append(row)
        session.flush()
        for row in rows:
            row.chain_hash = media.link_hash(chain_hash, row)
            session.add(row)
        session.commit()
    log.info("media fetched", extra={"message_id": message_id, "files": len(fetched)})
    return len(fetched)


__all__ = ["ALLOWED_TYPES", "fetch_for_message", "fetch_one", "wanted"]
