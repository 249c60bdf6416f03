"""Staff add and change language centres and their contacts from the panel: the change and its
audit entry in one action, validated by ``bot.contacts.centres`` as the API's routes are."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.access import Viewer
from bot.audit import service as audit
from bot.contacts import centres
from bot.contacts.centre_models import CentreContact, LanguageCentre

CONTACT_FIELDS = ("name", "phone", "language", "opted_out")



def create_centre(*, session: Session, acting_staff: Viewer, name: str, centre_address: str | None,
                  now: datetime, via: str, address: str | None = None) -> LanguageCentre:
    centre = centres.create_centre(session=session, name=name, address=centre_address, now=now)
    audit.record_by(session, acting_staff, "create", f"centre:{centre.id}", now, address, {"via": via})
    return centre


def update_centre(*, session: Session, acting_staff: Viewer, centre: LanguageCentre,
                  changes: Mapping[str, Any], now: datetime, via: str,
                  address: str | None = None) -> list[str]:
    """The fields that changed; none changed, nothing is recorded."""
    before = {"name": centre.name, "address": centre.address}
    centres.update_centre(session=session, centre=centre, changes=changes)
    changed = audit.changed_fields(before, centre)
    if changed:
        audit.record_by(session, acting_staff, "update", f"centre:{centre.id}", now, address,
                {"via": via, "fields": changed})
    return changed


def create_centre_contact(*, session: Session, acting_staff: Viewer, centre_id: int, name: str,
                          phone: str | None, language: str, region: str, now: datetime, via: str,
                          address: str | None = None) -> CentreContact:
    contact = centres.create_centre_contact(session=session, centre_id=centre_id, name=name, phone=phone,
                                            language=language, region=region, now=now)
    audit.record_by(session, acting_staff, "create", f"centre_contact:{contact.id}", now, address,
            {"via": via, "centre_id": centre_id})
    return contact


def update_centre_contact(*, session: Session, acting_staff: Viewer, contact: CentreContact,
                          changes: Mapping[str, Any], region: str, now: datetime, via: str,
                          address: str | None = None) -> list[str]:
    before = audit.snapshot(contact, CONTACT_FIELDS)
    centres.update_centre_contact(session=session, contact=contact, changes=changes, region=region, now=now)
    changed = audit.changed_fields(before, contact)
    if changed:
        audit.record_by(session, acting_staff, "update", f"centre_contact:{contact.id}", now, address,
                {"via": via, "centre_id": contact.centre_id, "fields": changed})
    return changed
