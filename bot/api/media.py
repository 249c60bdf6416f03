"""``/api/v1/media/{id}``: a photo or document a person sent, for staff who may read it.

A doctor's note is health data: the bytes go only to roles that may read health data, and only
for a phone whose messages the reader may read (the same rule as the message bodies); every
read is audited. Missing, erased and forbidden all answer 404, so the id says nothing.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, ConfigDict

from bot.api.auth import CurrentStaff
from bot.clock import utcnow
from bot.deps import SessionDep
from bot.media import evidence

router = APIRouter(prefix="/media", tags=["messages"])


class MediaPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    content_type: str
    size: int
    sha256: str | None


_BYTES: dict[int | str, dict[str, Any]] = {200: {"content": {"application/octet-stream": {}}}}


@router.get("/{media_id}", response_class=Response, responses=_BYTES)
def get_media(media_id: int, session: SessionDep, staff: CurrentStaff) -> Response:
    """The file's bytes, as they arrived (their SHA-256 is in the message list and the ledger)."""
    row = evidence.open_file(session, acting_staff=staff, media_id=media_id, now=utcnow())
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=f"There is no file with id {media_id}.")
    return Response(
        content=row.data, media_type=row.content_type,
        headers={"Content-Disposition": f'attachment; filename="{row.reference or media_id}"',
                 "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"},
    )


__all__ = ["MediaPublic", "router"]
