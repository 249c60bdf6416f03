"""Citizens: the list (with CSV export) and the citizen page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import Session, col, func, or_, select
from starlette.responses import Response

from admin import visibility
from admin.csvexport import csv_response
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains.items import open_items
from admin.sections import citizen_sections
from admin.templating import render
from admin.timeline import timeline
from admin.visibility import Viewer
from bot.audit import service as audit
from bot.contacts.models import Citizen, Staff
from bot.deps import SessionDep

router = APIRouter()
PAGE_SIZE = 50


def _search(viewer: Viewer, q: str, query: Any = None) -> Any:
    query = (select(Citizen) if query is None else query).where(visibility.citizen_filter(viewer))
    q = q.strip()
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Citizen.name).like(pattern), col(Citizen.phone).like(f"%{q}%")))
    return query


@router.get("/citizens")
def citizen_list(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = "", page: int = 1
) -> Response:
    if not viewer.sees_citizens:
        raise HTTPException(status_code=404)
    page = max(page, 1)
    query = _search(viewer, q).order_by(col(Citizen.name), col(Citizen.id))
    rows = session.exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)).all()
    return render(
        request,
        "citizens.html",
        {
            "viewer": viewer,
            "citizens": rows[:PAGE_SIZE],
            "q": q,
            "page": page,
            "has_next": len(rows) > PAGE_SIZE,
        },
        now=now,
    )


@router.get("/citizens.csv")
def citizen_csv(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = ""
) -> Response:
    if not viewer.sees_citizens:
        raise HTTPException(status_code=404)
    base = select(Citizen, Staff.name).outerjoin(Staff, col(Staff.id) == col(Citizen.consultant_id))
    query = _search(viewer, q, base).order_by(col(Citizen.name), col(Citizen.id))
    rows = [
        [c.id, c.name, c.phone or "", c.language, "yes" if c.opted_out else "no", consultant_name or ""]
        for c, consultant_name in session.exec(query).all()
    ]
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="export",
        subject="citizens",
        details={"rows": len(rows), "q": q[:100]},
        address=client_address(request),
        now=now,
    )
    session.commit()
    return csv_response(["id", "name", "phone", "language", "opted_out", "consultant"], rows, "citizens.csv")


def citizen_context(session: Session, viewer: Viewer, citizen: Citizen, now: Any) -> dict[str, Any]:
    consultant = session.get(Staff, citizen.consultant_id) if citizen.consultant_id else None
    items = open_items(session, viewer, kinds=None, citizen_id=citizen.id)
    sections = []
    for section in citizen_sections(viewer):
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
    citizen = visibility.citizen(session, viewer, citizen_id)
    if citizen is None:
        raise HTTPException(status_code=404)
    context = citizen_context(session, viewer, citizen, now)
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="view",
        subject=f"citizen:{citizen_id}",
        address=client_address(request),
        now=now,
    )
    session.commit()
    return render(
        request,
        "citizen.html",
        {"viewer": viewer, **context},
        now=now,
    )
