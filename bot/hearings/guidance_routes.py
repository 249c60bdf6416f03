"""The sanction-rules guidance: sent to a citizen after a meeting, and the page the SMS links to."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from bot.access import Viewer
from bot.api.auth import CurrentStaff, require_roles
from bot.api.citizens import visible_citizen
from bot.clock import utcnow
from bot.contacts.models import Role, Staff
from bot.deps import SessionDep, SettingsDep
from bot.hearings import casework, guidance
from bot.hearings.models import GuidancePublic

router = APIRouter(tags=["guidance"])
# Not under /api/v1 and without a token: the citizen opens it from the SMS. Same text for everyone.
public_router = APIRouter(tags=["guidance"])

SENDS_GUIDANCE = (Role.consultant, Role.caseworker, Role.team_lead, Role.admin)


@router.post("/citizens/{citizen_id}/guidance", response_model=GuidancePublic, status_code=201)
def send_guidance(
    citizen_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    staff: Annotated[Staff, Depends(require_roles(*SENDS_GUIDANCE))],
    allow_draft: Annotated[
        bool, Query(description="Send a translation the municipality has not approved yet.")
    ] = False,
) -> object:
    """Send the sanction-rules guidance after a meeting; the record names the version delivered."""
    visible_citizen(session, staff, citizen_id)
    delivery = guidance.send_guidance(session, citizen_id=citizen_id, staff_id=staff.id, now=utcnow(),
                                      public_url=settings.public_url, allow_draft=allow_draft)
    casework.audited(
        session, acting_staff=Viewer.of(staff), action="create", subject=f"guidance:{citizen_id}",
        now=utcnow(),
        details={"language": delivery.language, "draft": delivery.draft},
        address=request.client.host if request.client else None,
    )
    return delivery


@router.get("/citizens/{citizen_id}/guidance", response_model=list[GuidancePublic])
def guidance_deliveries(citizen_id: int, session: SessionDep, staff: CurrentStaff) -> object:
    visible_citizen(session, staff, citizen_id)
    return guidance.deliveries_of(session, citizen_id=citizen_id)


@public_router.get("/guidance/{language}", response_class=HTMLResponse)
def guidance_page(language: str) -> HTMLResponse:
    """The guidance as a page the citizen opens from the SMS; the same text for everyone."""
    text = guidance.guidance_text(language)
    page = (
        f'<!DOCTYPE html><html lang="{text.language}" dir="{"rtl" if text.rtl else "ltr"}"><head>'
        '<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Guidance</title><style>body{font-family:sans-serif;max-width:40em;margin:1em auto;"
        "padding:0 1em;line-height:1.5}.placeholder{background:#ffe9a8}</style></head><body>"
        f"{text.html}</body></html>"
    )
    return HTMLResponse(page)
