"""The contact form that employers and language centres share: a person told about absences,
with a name, a mobile number, a language and, once they exist, "no SMS".

Both kinds are kept alike by ``bot.contacts`` (phones unique across every contact, nothing
deleted), so the panel shows one form and saves it one way; only the record the contact
belongs to, its links and the service call differ, and the routes pass those in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import Request
from sqlmodel import Session
from starlette.responses import Response

from admin.deps import client_address
from admin.domains import records_common as common
from admin.templating import redirect, render
from admin.visibility import Viewer
from bot.contacts.centre_models import CentreContact
from bot.contacts.models import EmployerContact
from bot.contacts.service import ContactInputError

Contact = EmployerContact | CentreContact


@dataclass(frozen=True)
class Owner:
    """The record a contact belongs to, as the form names and links it."""

    name: str
    contacts: str  # the path the contact routes hang below, e.g. "/admin/centres/3/contacts"
    cancel: str
    done: str  # where a saved form goes


def form(request: Request, viewer: Viewer, now: datetime, owner: Owner, contact: Contact | None,
         typed: dict[str, str], errors: dict[str, str] | None = None, status_code: int = 200) -> Response:
    return render(request, "records/contact_form.html", {
        "viewer": viewer, "owner": owner, "contact": contact, "typed": typed, "errors": errors or {},
        "languages": common.language_choices(common.translator(request).language),
    }, status_code=status_code, now=now)


def typed_of(contact: Contact) -> dict[str, str]:
    """A saved contact as the edit form shows it."""
    return {"name": contact.name, "phone": contact.phone or "", "language": contact.language,
            "opted_out": "1" if contact.opted_out else ""}


def create(request: Request, session: Session, viewer: Viewer, now: datetime, *,
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
        return form(request, viewer, now, owner(), None, typed, errors, 422)
    return redirect(request, done)


def update(request: Request, session: Session, viewer: Viewer, now: datetime, *,
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
        return form(request, viewer, now, holder, contact, typed, errors, 422)
    return redirect(request, holder.done)
