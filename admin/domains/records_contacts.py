"""The contact routes and form that employers and language centres share: a person told about
absences, with a name, a mobile number, a language and, once they exist, "no SMS".

Both kinds are kept alike by ``bot.contacts`` (phones unique across every contact, nothing
deleted), so the panel serves them with the same four routes and one form; only the record the
contact belongs to, its links and the service calls differ, and ``add_routes`` is given those.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import NowDep, ViewerDep, client_address
from admin.domains import records_common as common
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts.centre_models import CentreContact
from bot.contacts.models import EmployerContact
from bot.contacts.service import ContactInputError
from bot.deps import SessionDep

Contact = EmployerContact | CentreContact
FormText = Annotated[str, Form()]


@dataclass(frozen=True)
class Owner:
    """The record a contact belongs to, as the form names and links it."""

    name: str
    contacts: str  # the path the contact routes hang below, e.g. "/admin/centres/3/contacts"
    cancel: str
    done: str  # where a saved form goes


def _form(request: Request, viewer: Viewer, now: datetime, owner: Owner, contact: Contact | None,
          typed: dict[str, str], errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return render(request, "records/contact_form.html", {
        "viewer": viewer, "owner": owner, "contact": contact, "typed": typed, "errors": errors or {},
        "languages": common.language_choices(common.translator(request).language),
    }, status_code=status_code, now=now)


def _typed(contact: Contact) -> dict[str, str]:
    """A saved contact as the edit form shows it."""
    return {"name": contact.name, "phone": contact.phone or "", "language": contact.language,
            "opted_out": "1" if contact.opted_out else ""}


def _create(request: Request, session: Session, viewer: Viewer, now: datetime, *,
            owner: Callable[[], Owner], add: Callable[..., Any], name: str, phone: str,
            language: str) -> Response:
    """``add`` is the service's create call with the owner's id already bound."""
    done = owner().done
    typed = {"name": name, "phone": phone, "language": language}
    try:
        add(session=session, acting_staff=viewer, name=name, phone=phone, language=language,
            region=common.settings(request).default_region, now=now, via="admin",
            address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        return _form(request, viewer, now, owner(), None, typed, errors, 422)
    return redirect(request, done)


def _update(request: Request, session: Session, viewer: Viewer, now: datetime, *,
            found: Callable[[], tuple[Owner, Contact]], change: Callable[..., Any], name: str,
            phone: str, language: str, opted_out: str) -> Response:
    """``found`` loads the owner and the contact again (404 for missing and forbidden alike),
    since a refused change is rolled back and the form shows them as saved."""
    holder, contact = found()
    typed = {"name": name, "phone": phone, "language": language, "opted_out": opted_out}
    changes = {"name": name, "phone": phone, "language": language, "opted_out": bool(opted_out)}
    try:
        change(session=session, acting_staff=viewer, contact=contact, changes=changes,
               region=common.settings(request).default_region, now=now, via="admin",
               address=client_address(request))
    except ContactInputError as error:
        session.rollback()
        errors = common.field_errors(error, common.translator(request))
        holder, contact = found()
        return _form(request, viewer, now, holder, contact, typed, errors, 422)
    return redirect(request, holder.done)


def add_routes(router: APIRouter, records: str, *, owner: Callable[[Session, Viewer, int], Owner],
               found: Callable[[Session, Viewer, int, int], tuple[Owner, Contact]],
               add: Callable[..., Any], owner_field: str, change: Callable[..., Any]) -> None:
    """The contacts of each record below ``records`` (e.g. "/centres"): ``owner`` loads the record
    (404 for missing and forbidden alike), ``found`` a contact of it, ``add`` and ``change`` are
    the service's actions, ``add`` taking the record's id as ``owner_field``."""
    contacts = records + "/{owner_id}/contacts"

    @router.get(contacts + "/new")
    def new_contact(request: Request, owner_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
                    phone: str = "") -> Response:
        """``phone`` fills in a number staff are registering (an unknown sender's)."""
        holder = owner(session, viewer, owner_id)
        return _form(request, viewer, now, holder, None, {"language": "da", "phone": phone[:32]})

    @router.post(contacts + "/new")
    def create_contact(request: Request, owner_id: int, session: SessionDep, viewer: ViewerDep, now: NowDep,
                       name: FormText = "", phone: FormText = "", language: FormText = "da") -> Response:
        return _create(request, session, viewer, now, owner=lambda: owner(session, viewer, owner_id),
                      add=partial(add, **{owner_field: owner_id}), name=name, phone=phone, language=language)

    @router.get(contacts + "/{contact_id}/edit")
    def edit_contact(request: Request, owner_id: int, contact_id: int, session: SessionDep, viewer: ViewerDep,
                     now: NowDep) -> Response:
        holder, contact = found(session, viewer, owner_id, contact_id)
        return _form(request, viewer, now, holder, contact, _typed(contact))

    @router.post(contacts + "/{contact_id}/edit")
    def update_contact(request: Request, owner_id: int, contact_id: int, session: SessionDep,
                       viewer: ViewerDep, now: NowDep, name: FormText = "", phone: FormText = "",
                       language: FormText = "da", opted_out: FormText = "") -> Response:
        return _update(request, session, viewer, now,
                      found=lambda: found(session, viewer, owner_id, contact_id), change=change,
                      name=name, phone=phone, language=language, opted_out=opted_out)
