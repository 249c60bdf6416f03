"""Language centres and the people there who are told about absences, added and changed in the panel.

Through ``bot.contacts.centre_recording`` and ``bot.contacts.centres``, which the API's
``/language-centres`` routes also call: names checked and unique, phones normalised and free of
every other contact. Who may: ``bot.access.CHANGES_CENTRES`` (as the API). Nothing is deleted; a
contact who asked to stop is kept, marked "no SMS". The contact routes and form are those of
``records_contacts``, as for a company's contacts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.domains import records_contacts as contacts
from admin.i18n import T_
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.access import CHANGES_CENTRES
from bot.contacts import centre_recording as recording
from bot.contacts import centres
from bot.contacts.centre_models import CentreContact, LanguageCentre
from bot.contacts.service import ContactInputError, NotFound
from bot.deps import SessionDep

router = APIRouter()
LIST = "/admin/centres"
CENTRE_TAKEN = T_("A language centre with this name already exists.")


def _require(viewer: Viewer) -> None:
    common.require(viewer.role in CHANGES_CENTRES)


def _centre(session: Session, viewer: Viewer, centre_id: int) -> LanguageCentre:
    """The centre, or 404 for missing and forbidden alike."""
    _require(viewer)
    try:
        return centres.get_centre(session=session, centre_id=centre_id)
    except NotFound as exc:
        raise HTTPException(status_code=404) from exc


@router.get("/centres")
def list_centres(request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep) -> Response:
    _require(viewer)
    rows = [(c, centres.contacts_of_centre(session=session, centre_id=c.id or 0))
            for c in centres.list_centres(session=session)]
    return render(request, "records/centres.html", {"viewer": viewer, "centres": rows}, now=now)


def _centre_form(request: Request, viewer: Viewer, now: datetime, centre: LanguageCentre | None,
                 typed: dict[str, str], errors: dict[str, str] | None = None,
                 status_code: int = 200) -> Response:
    return render(request, "records/centre_form.html", {
        "viewer": viewer, "centre": centre, "typed": typed, "errors": errors or {},
    }, status_code=status_code, now=now)


@router.get("/centres/new")
def new_centre(request: Request, viewer: ViewerDep, now: NowDep) -> Response:
    _require(viewer)
    return _centre_form(request, viewer, now, None, {})


@router.post("/centres/new")
def create_centre(
    request: Request, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
) -> Response:
    _require(viewer)
    typed = {"name": name, "address": address}
    try:
        recording.create_centre(session=session, acting_staff=viewer, name=name,
                                centre_address=address.strip() or None, now=now, via="admin",
                                address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        return _centre_form(request, viewer, now, None, typed, _errors(request, error), 422)
    return redirect(request, LIST)


def _errors(request: Request, error: ContactInputError) -> dict[str, str]:
    tr = common.translator(request)
    if error.field == "name" and "already exists" in error.message:
        return {"name": tr(CENTRE_TAKEN)}
    return common.field_errors(error, tr)


@router.get("/centres/{centre_id}/edit")
def edit_centre(
    request: Request, centre_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep
) -> Response:
    centre = _centre(session, viewer, centre_id)
    return _centre_form(request, viewer, now, centre, {"name": centre.name, "address": centre.address or ""})


@router.post("/centres/{centre_id}/edit")
def update_centre(
    request: Request, centre_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
    name: Annotated[str, Form()] = "", address: Annotated[str, Form()] = "",
) -> Response:
    centre = _centre(session, viewer, centre_id)
    typed = {"name": name, "address": address}
    try:
        recording.update_centre(session=session, acting_staff=viewer, centre=centre,
                                changes={"name": name, "address": address}, now=now, via="admin",
                                address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        centre = _centre(session, viewer, centre_id)
        return _centre_form(request, viewer, now, centre, typed, _errors(request, error), 422)
    return redirect(request, LIST)


# -- contacts at a centre ------------------------------------------------------------------------

def _owner(session: Session, viewer: Viewer, centre_id: int) -> contacts.Owner:
    centre = _centre(session, viewer, centre_id)
    return contacts.Owner(name=centre.name, contacts=f"/admin/centres/{centre_id}/contacts",
                          cancel=LIST, done=LIST)


def _contact(session: Session, viewer: Viewer, centre_id: int, contact_id: int,
             ) -> tuple[contacts.Owner, CentreContact]:
    owner = _owner(session, viewer, centre_id)
    try:
        contact = centres.get_centre_contact(session=session, centre_id=centre_id, contact_id=contact_id)
    except NotFound as exc:
        raise HTTPException(status_code=404) from exc
    return owner, contact


contacts.add_routes(router, "/centres", owner=_owner, found=_contact, add=recording.create_centre_contact,
                    owner_field="centre_id", change=recording.update_centre_contact)
