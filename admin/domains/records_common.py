"""What the record forms share: who may change a record, the error beside each field in the
reader's language and the choices the forms offer.

Who may change follows the API exactly (``bot.access.CHANGES_CITIZENS`` with "own caseload"
for consultants), so a form never allows what the API refuses or the other way round. A change
and its audit entry are one action (``bot.contacts.recording``, ``bot.reminders.recording``).
"""

from __future__ import annotations

from datetime import date, time
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.lists import format_list
from fastapi import HTTPException, Request
from sqlmodel import Session

from admin.i18n import T_, Translator, pick_language
from admin.templating import environment
from admin.visibility import Viewer
from bot import access
from bot.access import CHANGES_ALL_CITIZENS, CHANGES_CITIZENS
from bot.contacts import choices
from bot.contacts.models import Citizen, Employer
from bot.contacts.service import ContactInputError, PhoneShared, PhoneTaken
from bot.i18n import LANGUAGES

FIELD_ERRORS = {
    "name": T_("Write the name."),
    "phone": T_("Write a phone number that can receive SMS, e.g. 20 12 34 56 or +45 20 12 34 56."),
    "language": T_("Choose a language from the list."),
    "consultant_id": T_("Choose a consultant from the list."),
    "nickname": T_("A nickname is at most three words, like Umm Ali."),
    "cvr": T_("A CVR number has 8 digits and belongs to one company only."),
    "citizen_id": T_("Choose a citizen from your caseload."),
    "kind": T_("Choose what kind of appointment it is."),
    "starts_at": T_("Give the date and time it starts."),
    "ends_at": T_("The end must be after the start."),
    "weekdays": T_("Choose at least one weekday."),
    "start_time": T_("Give the time the class starts."),
    "end_time": T_("Give an end time after the start time, or leave it empty."),
    "first_date": T_("Give the date of the first class."),
    "until_date": T_("Give a last date on or after the first date, at most two years later."),
    "placement_id": T_("Choose a placement of this citizen."),
    "status": T_("A cancelled appointment cannot be moved."),
    "file": T_("Choose a CSV file saved as UTF-8."),
}
PHONE_TAKEN = T_("This number already belongs to {name}. Change that record first.")
PHONE_SHARED = T_("This number already belongs to {names}. If they share a phone, tick "
                  "'Shares phone with {names}' and save again.")
CHANGE_FAILED = T_("The change could not be saved.")


def settings(request: Request) -> Any:
    return request.app.state.settings


def translator(request: Request) -> Translator:
    return Translator(pick_language(request))


def field_errors(error: ContactInputError, tr: Translator) -> dict[str, str]:
    """The service's refusal as one translated sentence beside the field it names."""
    if isinstance(error, PhoneShared):
        return {error.field: tr(PHONE_SHARED, names=holder_names(error, tr.language))}
    if isinstance(error, PhoneTaken):
        text = error.message.split(" already belongs to ", 1)[-1]
        return {error.field: tr(PHONE_TAKEN, name=text)}
    return {error.field: tr(FIELD_ERRORS.get(error.field, CHANGE_FAILED))}


def holder_names(error: PhoneShared, reader: str) -> str:
    """"Fatima Hassan og Omar Hassan": the citizens who hold the number, in the reader's language."""
    return format_list([holder.name for holder in error.holders], locale=reader)


def changes_citizens(viewer: Viewer) -> bool:
    return viewer.role in CHANGES_CITIZENS


def changes_all(viewer: Viewer) -> bool:
    return viewer.role in CHANGES_ALL_CITIZENS


def may_change_citizen(viewer: Viewer, citizen: Citizen) -> bool:
    return access.may_change_citizen(viewer, citizen)


def may_change_employer(viewer: Viewer, employer: Employer) -> bool:
    return access.may_change_employer(viewer, employer)


def changeable_citizen(session: Session, viewer: Viewer, citizen_id: int) -> Citizen:
    """The citizen, or 404 for missing and forbidden alike."""
    found = access.changeable_citizen(session, viewer, citizen_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def changeable_employer(session: Session, viewer: Viewer, employer_id: int) -> Employer:
    found = access.changeable_employer(session, viewer, employer_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def require(allowed: bool) -> None:
    if not allowed:
        raise HTTPException(status_code=404)


def citizen_choices(session: Session, viewer: Viewer) -> list[Citizen]:
    """Every citizen for those who change all records, else the viewer's own caseload."""
    return choices.citizens(session, consultant_id=None if changes_all(viewer) else viewer.staff_id)


def consultant_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of everyone a citizen or company can be given to."""
    return choices.consultants(session)


@lru_cache(maxsize=4)
def language_choices(reader: str) -> tuple[tuple[str, str], ...]:
    """Each language a citizen can be written to, named in the reader's language."""
    locale = Locale.parse(reader)
    names = []
    for code in LANGUAGES:
        name = locale.languages.get(code, code)
        names.append((code, name[:1].upper() + name[1:]))
    return tuple(sorted(names, key=lambda pair: pair[1]))


def optional_id(raw: str, field: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError as exc:
        raise ContactInputError(field, f"'{raw}' is not a number") from exc


def parse_date(raw: str, field: str) -> date:
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ContactInputError(field, f"'{raw}' is not a date") from exc


def parse_time(raw: str, field: str, *, optional: bool = False) -> time | None:
    if optional and not raw.strip():
        return None
    try:
        return time.fromisoformat(raw.strip())
    except ValueError as exc:
        raise ContactInputError(field, f"'{raw}' is not a time") from exc


def after_save(readable: bool, page: str, fallback: str) -> str:
    """Where to go after saving: the record's page, or the form when the role cannot read it
    (an admin changes records but reads no citizen or company page)."""
    return page if readable else fallback


def language_name(code: str, reader: str) -> str:
    """A citizen's language as staff read it ("Tigrinya", "tigrinya"), never its code."""
    return dict(language_choices(reader)).get(code, code)


# How staff write a day in each interface language, as the panel writes dates with a time.
NUMERIC_DATE = {"da": "%d.%m.%Y", "en": "%d/%m/%Y"}


def local_day(value: date, reader: str) -> str:
    """A calendar day (a sick notice's first day) the way the reader writes it, not ISO."""
    return value.strftime(NUMERIC_DATE.get(reader, NUMERIC_DATE["en"]))


environment.globals["language_name"] = language_name
environment.globals["local_day"] = local_day
