"""Adding and changing companies and their employer contacts, through ``bot.contacts.service``
as ``bot/api/employers.py`` does (CVR checked and unique, phones normalised and free).

A consultant changes their own companies and adds to their own portfolio; team leads and
admins change every company. Pausing a partnership stays on the company page
(``partnership.set_paused`` audits itself). Each change and its audit entry are one action of
``bot.contacts.recording``; the contact routes and form are those of ``records_contacts``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.domains import records_contacts as contacts
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.access import CHANGES_EMPLOYERS
from bot.contacts import recording, service
from bot.contacts.models import Employer, EmployerContact
from bot.contacts.service import ContactInputError, NotFound
from bot.deps import SessionDep

router = APIRouter()


def _company_form(request: Request, session: Session, viewer: Viewer, now: datetime,
                  company: Employer | None, typed: dict[str, str], errors: dict[str, str] | None = None,
                  status_code: int = 200) -> Response:
    return render(request, "records/company_form.html", {
        "viewer": viewer, "company": company, "typed": typed, "errors": errors or {},
        "consultants": common.consultant_choices(session) if common.changes_all(viewer) else [],
    }, status_code=status_code, now=now)


def _page(viewer: Viewer, employer_id: int | None) -> str:
    page = f"/admin/companies/{employer_id}"
    return common.after_save(viewer.sees_companies, page, f"{page}/edit")


@router.get("/companies/new")
def new_company(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    common.require(viewer.role in CHANGES_EMPLOYERS)
    return _company_form(request, session, viewer, now, None, {"consultant_id": str(viewer.staff_id)})


@router.post("/companies/new")
def create_company(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", cvr: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "", consultant_id: Annotated[str, Form()] = "",
) -> Response:
    common.require(viewer.role in CHANGES_EMPLOYERS)
    typed = {"name": name, "cvr": cvr, "address": address, "consultant_id": consultant_id}
    try:
        chosen = common.optional_id(consultant_id, "consultant_id")
        owner = chosen if common.changes_all(viewer) else viewer.staff_id
        company = recording.create_employer(
            session=session, acting_staff=viewer, name=name, cvr=cvr.strip() or None, consultant_id=owner,
            employer_address=address.strip() or None, now=now, via="admin", address=client_address(request),
        )
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        return _company_form(request, session, viewer, now, None, typed, errors, 422)
    return redirect(request, _page(viewer, company.id))


def _typed(company: Employer) -> dict[str, str]:
    return {"name": company.name, "cvr": company.cvr or "", "address": company.address or "",
            "consultant_id": str(company.consultant_id or "")}


@router.get("/companies/{employer_id}/edit")
def edit_company(
    request: Request, employer_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    company = common.changeable_employer(session, viewer, employer_id)
    return _company_form(request, session, viewer, now, company, _typed(company))


@router.post("/companies/{employer_id}/edit")
def update_company(
    request: Request, employer_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", cvr: Annotated[str, Form()] = "",
    address: Annotated[str, Form()] = "", consultant_id: Annotated[str, Form()] = "",
) -> Response:
    company = common.changeable_employer(session, viewer, employer_id)
    typed = {"name": name, "cvr": cvr, "address": address, "consultant_id": consultant_id}
    changes: dict[str, Any] = {"name": name, "cvr": cvr.strip() or None, "address": address.strip() or None}
    try:
        if common.changes_all(viewer):
            changes["consultant_id"] = common.optional_id(consultant_id, "consultant_id")
        recording.update_employer(session=session, acting_staff=viewer, employer=company, changes=changes,
                                  now=now, via="admin", address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        company = common.changeable_employer(session, viewer, employer_id)
        return _company_form(request, session, viewer, now, company, typed, errors, 422)
    return redirect(request, _page(viewer, employer_id))


# -- employer contacts --------------------------------------------------------------------------

def _owner(session: Session, viewer: Viewer, employer_id: int) -> contacts.Owner:
    company = common.changeable_employer(session, viewer, employer_id)
    page = f"/admin/companies/{employer_id}"
    return contacts.Owner(name=company.name, contacts=f"{page}/contacts",
                          cancel=page if viewer.sees_companies else "/admin/",
                          done=_page(viewer, employer_id))


def _contact(session: Session, viewer: Viewer, employer_id: int, contact_id: int,
             ) -> tuple[contacts.Owner, EmployerContact]:
    owner = _owner(session, viewer, employer_id)
    try:
        contact = service.get_employer_contact(
            session=session, employer_id=employer_id, contact_id=contact_id)
    except NotFound as exc:
        raise HTTPException(status_code=404) from exc
    return owner, contact


contacts.add_routes(router, "/companies", owner=_owner, found=_contact, add=recording.create_employer_contact,
                    owner_field="employer_id", change=recording.update_employer_contact)
