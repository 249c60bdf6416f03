"""Companies: the list and the company page, the company's memory.

A key-account consultant who must keep a company as a partner needs its whole story on one
page: every ticket, every no-show the company reported, placements, contacts, follow-up visits
and calls, and when the partnership was paused or resumed, newest first.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from starlette.responses import Response

from admin import sections as panel
from admin import visibility
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains.items import open_items
from admin.routes import company_memory
from admin.templating import redirect, render
from bot.contacts import reading
from bot.contacts.models import Staff
from bot.deps import SessionDep
from bot.escalations import partnership

router = APIRouter()


@router.get("/companies")
def company_list(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = "",
    register_phone: str = "",
) -> Response:
    if not viewer.sees_companies:
        raise HTTPException(status_code=404)
    companies = reading.companies(session, viewer, q)
    # From an unknown sender's item: choose the company, then the contact form has the number.
    context = {"viewer": viewer, "companies": companies, "q": q, "register_phone": register_phone[:32]}
    return render(request, "companies.html", context, now=now)


@router.get("/companies/{employer_id:int}")
def company_page(
    request: Request, employer_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    company = reading.read_company(session, viewer=viewer, employer_id=employer_id,
                                   acting_staff=viewer.staff_id, now=now, address=client_address(request))
    if company is None:
        raise HTTPException(status_code=404)
    contacts = reading.company_contacts(session, employer_id)
    consultant = session.get(Staff, company.consultant_id) if company.consultant_id else None
    return render(
        request,
        "company.html",
        {
            **company_memory.context(session, company),
            "viewer": viewer,
            "company": company,
            "contacts": contacts,
            "consultant": consultant,
            "items": open_items(session, viewer, kinds=None, employer_id=employer_id),
            "sections": [
                (section, section.context(session, viewer, company, now))
                for section in panel.of(request).company_for(viewer)
            ],
        },
        now=now,
    )


@router.post("/companies/{employer_id}/partnership")
def toggle_partnership(
    request: Request,
    employer_id: int,
    session: SessionDep,
    viewer: ViewerDep,
    now: NowDep,
    reason: Annotated[str, Form()] = "",
) -> Response:
    """Pause or resume the (non-binding) partnership, e.g. a pause after a placement; the action
    records it, so the company page's history shows who changed it, when and why."""
    company = visibility.employer(session, viewer, employer_id)
    if company is None:
        raise HTTPException(status_code=404)
    partnership.set_paused(
        session,
        employer_id=employer_id,
        paused=not company.paused,
        now=now,
        staff_id=viewer.staff_id,
        reason=reason.strip() or None,
    )
    return redirect(request, f"/admin/companies/{employer_id}")
