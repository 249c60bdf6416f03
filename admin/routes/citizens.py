"""Citizens: the list (with CSV export) and the citizen page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin import sections as panel
from admin.csvexport import csv_response
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains.items import open_items
from admin.templating import render
from admin.timeline import timeline
from admin.visibility import Viewer
from bot.contacts import reading
from bot.contacts.models import Citizen, Staff
from bot.deps import SessionDep

router = APIRouter()
PAGE_SIZE = 50


@router.get("/citizens")
def citizen_list(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = "", page: int = 1
) -> Response:
    if not viewer.sees_citizens:
        raise HTTPException(status_code=404)
    page = max(page, 1)
    citizens, has_next = reading.citizen_page(session, viewer, q, page=page, size=PAGE_SIZE)
    return render(
        request,
        "citizens.html",
        {
            "viewer": viewer,
            "citizens": citizens,
            "q": q,
            "page": page,
            "has_next": has_next,
        },
        now=now,
    )


@router.get("/citizens.csv")
def citizen_csv(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = ""
) -> Response:
    if not viewer.sees_citizens:
        raise HTTPException(status_code=404)
    rows = reading.export_citizens(session, viewer=viewer, q=q, acting_staff=viewer.staff_id, now=now,
                                   address=client_address(request))
    return csv_response(reading.EXPORT_COLUMNS, rows, "citizens.csv")


def citizen_context(
    offered: panel.Sections, session: Session, viewer: Viewer, citizen: Citizen, now: Any
) -> dict[str, Any]:
    consultant = session.get(Staff, citizen.consultant_id) if citizen.consultant_id else None
    items = open_items(session, viewer, kinds=None, citizen_id=citizen.id)
    sections = []
    for section in offered.citizen_for(viewer):
        values = section.context(session, viewer, citizen, now)
        sections.append((section, values))
    return {
        "citizen": citizen,
        "consultant": consultant,
        "items": items,
        "messages": timeline(session, citizen.phone) if citizen.phone else [],
        "sections": sections,
    }


@router.get("/citizens/{citizen_id:int}")
def citizen_page(
    request: Request, citizen_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    citizen = reading.read_citizen(session, viewer=viewer, citizen_id=citizen_id,
                                   acting_staff=viewer.staff_id, now=now, address=client_address(request))
    if citizen is None:
        raise HTTPException(status_code=404)
    context = citizen_context(panel.of(request), session, viewer, citizen, now)
    return render(
        request,
        "citizen.html",
        {"viewer": viewer, **context},
        now=now,
    )
