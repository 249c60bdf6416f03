"""Companies: the list and the company page (contacts, partnership status, open items)."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from sqlmodel import col, func, select
from starlette.responses import Response

from admin import visibility
from admin.deps import NowDep, ViewerDep, client_address
from admin.domains.items import open_items
from admin.sections import company_sections
from admin.templating import redirect, render
from bot.audit import service as audit
from bot.contacts.models import Employer, EmployerContact, Staff
from bot.deps import SessionDep

router = APIRouter()


@router.get("/companies")
def company_list(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep, q: str = ""
) -> Response:
    if not viewer.sees_companies:
        raise HTTPException(status_code=404)
    query = select(Employer).where(visibility.employer_filter(viewer))
    if q.strip():
        query = query.where(func.lower(Employer.name).like(f"%{q.strip().lower()}%"))
    companies = session.exec(query.order_by(col(Employer.name)).limit(500)).all()
    return render(request, "companies.html", {"viewer": viewer, "companies": companies, "q": q}, now=now)


@router.get("/companies/{employer_id}")
def company_page(
    request: Request, employer_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    company = visibility.employer(session, viewer, employer_id)
    if company is None:
        raise HTTPException(status_code=404)
    contacts = session.exec(
        select(EmployerContact)
        .where(EmployerContact.employer_id == employer_id)
        .order_by(col(EmployerContact.name))
    ).all()
    consultant = session.get(Staff, company.consultant_id) if company.consultant_id else None
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="view",
        subject=f"employer:{employer_id}",
        address=client_address(request),
        now=now,
    )
    session.commit()
    return render(
        request,
        "company.html",
        {
            "viewer": viewer,
            "company": company,
            "contacts": contacts,
            "consultant": consultant,
            "items": open_items(session, viewer, kinds=None, employer_id=employer_id),
            "sections": [
                (section, section.context(session, viewer, company, now))
                for section in company_sections(viewer)
            ],
        },
        now=now,
    )


@router.post("/companies/{employer_id}/partnership")
def toggle_partnership(
    request: Request, employer_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    """Pause or resume the (non-binding) partnership, e.g. a pause after a placement."""
    company = visibility.employer(session, viewer, employer_id)
    if company is None:
        raise HTTPException(status_code=404)
    company.paused = not company.paused
    session.add(company)
    audit.record(
        session,
        staff_id=viewer.staff_id,
        action="update",
        subject=f"employer:{employer_id}",
        details={"paused": company.paused},
        address=client_address(request),
        now=now,
    )
    session.commit()
    return redirect(request, f"/admin/companies/{employer_id}")
