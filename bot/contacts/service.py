"""Creating, changing and listing citizens, staff, employers and employer contacts.

Every phone number is stored in E.164. Citizens of one household may share a number; any other
number belongs to one contact of any kind, and a citizen's number to citizens only. A refusal
says who already has it, so staff can fix the right record. Another citizen's number is taken
only when staff say the two share a phone (``shares_phone``): a typo must not put someone on a
stranger's phone, where their sick notices and messages would become a household's question.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import func
from sqlmodel import Session, SQLModel, col, select

from bot.auth.passwords import hash_password
from bot.contacts.centre_models import CentreContact
from bot.contacts.models import (
    Citizen,
    CitizenCreate,
    CitizenUpdate,
    Employer,
    EmployerContact,
    EmployerContactCreate,
    EmployerContactUpdate,
    EmployerCreate,
    EmployerUpdate,
    Role,
    Staff,
    StaffCreate,
    StaffUpdate,
)
from bot.contacts.registry import ContactRef, holders_of
from bot.i18n import LANGUAGES
from bot.phones import InvalidPhone, normalise

_CVR = re.compile(r"^\d{8}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_KIND_LABELS = {"citizen": "citizen", "employer_contact": "employer contact", "staff": "staff member"}

T = TypeVar("T", bound=SQLModel)
M = TypeVar("M", bound=SQLModel)


class ContactInputError(ValueError):
    """A value a person gave cannot be used; ``field`` names it, ``message`` says why."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PhoneTaken(ContactInputError):
    """The number already belongs to another contact (of any kind)."""

    def __init__(self, field: str, phone: str, owner_kind: str, owner_id: int, owner_name: str) -> None:
        label = _KIND_LABELS.get(owner_kind, owner_kind)
        super().__init__(field, f"{phone} already belongs to {label} {owner_id} ({owner_name})")
        self.owner_kind = owner_kind
        self.owner_id = owner_id


class PhoneShared(ContactInputError):
    """The number is other citizens' (``holders``); it is saved too only with ``shares_phone``."""

    def __init__(self, field: str, phone: str, holders: list[ContactRef]) -> None:
        owners = ", ".join(f"citizen {h.id} ({h.name})" for h in holders)
        super().__init__(field, f"{phone} already belongs to {owners}; if they share this phone, "
                                'send "shares_phone": true with it')
        self.phone = phone
        self.holders = holders


class NotFound(LookupError):
    """The record asked for does not exist (or is not visible to the one asking)."""


# -- values -------------------------------------------------------------------------------------


def checked(model: type[M], values: Mapping[str, Any]) -> M:
    """``values`` as the record's Create or Update model accepts them, the API's rules for the panel too.

    The checks below then normalise what passed (phones, languages, CVR numbers).
    """
    try:
        return model.model_validate(dict(values))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "value"
        if error["type"] == "extra_forbidden":
            raise ContactInputError(field, "this field cannot be changed") from exc
        raise ContactInputError(field, str(error["msg"])) from exc


def normalise_phone(raw: str, *, region: str, field: str = "phone") -> str:
    try:
        return normalise(raw, region)
    except InvalidPhone as exc:
        raise ContactInputError(field, str(exc)) from exc


def check_language(code: str, *, field: str = "language") -> str:
    value = (code or "").strip().lower()
    if value == "prs":  # Dari is served by the Farsi catalog
        value = "fa"
    if value not in LANGUAGES:
        choices = ", ".join(LANGUAGES)
        raise ContactInputError(field, f"'{code}' is not a supported language; use one of {choices}")
    return value


def check_cvr(raw: str) -> str:
    value = re.sub(r"[\s-]", "", raw or "")
    if value.upper().startswith("DK"):
        value = value[2:]
    if not _CVR.match(value):
        raise ContactInputError("cvr", f"'{raw}' is not a CVR number; it must be 8 digits")
    return value


def check_name(raw: str, *, field: str = "name") -> str:
    value = " ".join((raw or "").split())
    if not value:
        raise ContactInputError(field, "a name is required")
    return value


# "Umm Ali", "Abu Omar": what a family calls someone is often more than one word, rarely more than three.
NICKNAME_MAX_WORDS = 3


def check_nickname(raw: str | None) -> str | None:
    """What a family writes for the person, at most three words; empty means none."""
    value = " ".join((raw or "").split())
    if len(value.split()) > NICKNAME_MAX_WORDS or len(value) > 40:
        raise ContactInputError("nickname", "a nickname is at most three words")
    return value or None


def check_email(raw: str) -> str:
    value = (raw or "").strip().lower()
    if not _EMAIL.match(value):
        raise ContactInputError("email", f"'{raw}' is not an email address")
    return value


def ensure_phone_free(
    session: Session, phone: str, *, kind: str, own_id: int | None, field: str = "phone",
    shares_phone: bool = False,
) -> None:
    """Refuse ``phone`` when another contact holds it; a citizen joins other citizens' phone
    only with ``shares_phone``."""
    others = [h for h in holders_of(session, phone) if not (h.kind == kind and h.id == own_id)]
    if not others:
        return
    if kind == "citizen" and all(h.kind == "citizen" for h in others):
        if shares_phone:
            return  # a household's shared phone
        raise PhoneShared(field, phone, others)
    owner = next((h for h in others if h.kind != "citizen"), others[0])
    raise PhoneTaken(field, phone, owner.kind, owner.id, owner.name)


def free_phone(
    session: Session, raw: str | None, *, region: str, kind: str, own_id: int | None,
    shares_phone: bool = False, current: str | None = None,
) -> str | None:
    """``raw`` in E.164 for a contact of ``kind`` (``own_id`` once saved), refused when another holds it.

    The contact's ``current`` number is kept without asking again: whoever shares it was
    agreed to when it was saved.
    """
    if raw is None or not raw.strip():
        return None
    phone = normalise_phone(raw, region=region)
    if current is not None and phone == current:
        return phone
    ensure_phone_free(session, phone, kind=kind, own_id=own_id, shares_phone=shares_phone)
    return phone


def _get(session: Session, model: type[T], ident: int, label: str) -> T:
    row = session.get(model, ident)
    if row is None:
        raise NotFound(f"There is no {label} with id {ident}.")
    return row


def _check_staff_ref(session: Session, staff_id: int | None, field: str) -> int | None:
    if staff_id is None:
        return None
    staff = session.get(Staff, staff_id)
    if staff is None:
        raise ContactInputError(field, f"there is no staff member with id {staff_id}")
    return staff_id


def _page(session: Session, statement: Any, *, limit: int, offset: int) -> list[Any]:
    return list(session.exec(statement.offset(offset).limit(limit)).all())


def _save(session: Session, row: T) -> T:
    session.add(row)
    session.flush()
    session.refresh(row)
    return row


# -- citizens -----------------------------------------------------------------------------------


def create_citizen(
    *,
    session: Session,
    name: str,
    phone: str | None,
    language: str = "da",
    consultant_id: int | None = None,
    region: str = "DK",
    now: datetime,
    nickname: str | None = None,
    shares_phone: bool = False,
) -> Citizen:
    """A new citizen; ``shares_phone`` says staff know the number is also other citizens'."""
    checked(CitizenCreate, {"name": name, "phone": phone, "language": language,
                            "consultant_id": consultant_id, "shares_phone": shares_phone})
    citizen = Citizen(
        name=check_name(name),
        nickname=check_nickname(nickname),
        phone=free_phone(session, phone, region=region, kind="citizen", own_id=None,
                         shares_phone=shares_phone),
        language=check_language(language),
        consultant_id=_check_staff_ref(session, consultant_id, "consultant_id"),
        created_at=now,
    )
    return _save(session, citizen)


def update_citizen(
    *, session: Session, citizen: Citizen, changes: Mapping[str, Any], region: str = "DK", now: datetime
) -> Citizen:
    """``changes`` as ``CitizenUpdate`` names them; ``shares_phone`` is no field but lets a new
    number be other citizens' too."""
    checked(CitizenUpdate, changes)
    shares_phone = bool(changes.get("shares_phone"))
    for key, value in changes.items():
        if key == "name":
            citizen.name = check_name(value)
        elif key == "phone":
            citizen.phone = free_phone(session, value, region=region, kind="citizen", own_id=citizen.id,
                                       shares_phone=shares_phone, current=citizen.phone)
        elif key == "shares_phone":
            continue
        elif key == "nickname":
            citizen.nickname = check_nickname(value)
        elif key == "language":
            citizen.language = check_language(value)
        elif key == "consultant_id":
            citizen.consultant_id = _check_staff_ref(session, value, "consultant_id")
        elif key == "opted_out":
            set_opted_out(citizen, bool(value), now=now)
        else:
            raise ContactInputError(key, "this field cannot be changed")
    return _save(session, citizen)


def set_opted_out(row: Citizen | EmployerContact | CentreContact, opted_out: bool, *, now: datetime) -> None:
    """"No SMS" on or off; the time it was first asked for stands until it is turned off."""
    if opted_out and not row.opted_out:
        row.opted_out_at = now
    if not opted_out:
        row.opted_out_at = None
    row.opted_out = opted_out


def get_citizen(*, session: Session, citizen_id: int) -> Citizen:
    return _get(session, Citizen, citizen_id, "citizen")


def list_citizens(
    *,
    session: Session,
    consultant_id: int | None = None,
    phone: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Citizen]:
    statement = select(Citizen).order_by(col(Citizen.id))
    if consultant_id is not None:
        statement = statement.where(Citizen.consultant_id == consultant_id)
    if phone is not None:
        statement = statement.where(Citizen.phone == phone)
    return _page(session, statement, limit=limit, offset=offset)


# -- staff --------------------------------------------------------------------------------------


def create_staff(
    *,
    session: Session,
    name: str,
    email: str,
    role: Role | str = Role.consultant,
    phone: str | None = None,
    languages: Iterable[str] = ("da",),
    password: str | None = None,
    region: str = "DK",
    now: datetime,
) -> Staff:
    languages = list(languages)
    checked(StaffCreate, {"name": name, "email": email, "role": role, "phone": phone,
                          "languages": languages, "password": password})
    address = check_email(email)
    if session.exec(select(Staff).where(func.lower(Staff.email) == address)).first() is not None:
        raise ContactInputError("email", f"a staff member with the email {address} already exists")
    staff = Staff(
        name=check_name(name),
        email=address,
        role=_check_role(role),
        phone=free_phone(session, phone, region=region, kind="staff", own_id=None),
        languages=[check_language(code, field="languages") for code in languages],
        password_hash=_password_hash(password),
        created_at=now,
    )
    return _save(session, staff)


def update_staff(*, session: Session, staff: Staff, changes: Mapping[str, Any], region: str = "DK") -> Staff:
    checked(StaffUpdate, changes)
    for key, value in changes.items():
        if key == "name":
            staff.name = check_name(value)
        elif key == "email":
            address = check_email(value)
            other = session.exec(select(Staff).where(func.lower(Staff.email) == address)).first()
            if other is not None and other.id != staff.id:
                raise ContactInputError("email", f"a staff member with the email {address} already exists")
            staff.email = address
        elif key == "phone":
            staff.phone = free_phone(session, value, region=region, kind="staff", own_id=staff.id)
        elif key == "role":
            staff.role = _check_role(value)
        elif key == "languages":
            staff.languages = [check_language(code, field="languages") for code in value or []]
        elif key == "active":
            staff.active = bool(value)
        elif key == "password":
            staff.password_hash = _password_hash(value)
        else:
            raise ContactInputError(key, "this field cannot be changed")
    return _save(session, staff)


def _check_role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError as exc:
        names = ", ".join(r.value for r in Role)
        raise ContactInputError("role", f"'{role}' is not a role; use one of {names}") from exc


def _password_hash(password: str | None) -> str | None:
    if password is None:
        return None
    try:
        return hash_password(password)
    except ValueError as exc:
        raise ContactInputError("password", str(exc)) from exc


def get_staff(*, session: Session, staff_id: int) -> Staff:
    return _get(session, Staff, staff_id, "staff member")


def staff_by_email(*, session: Session, email: str) -> Staff | None:
    address = (email or "").strip().lower()
    return session.exec(select(Staff).where(func.lower(Staff.email) == address)).first()


def list_staff(
    *, session: Session, role: Role | None = None, limit: int = 100, offset: int = 0
) -> list[Staff]:
    statement = select(Staff).order_by(col(Staff.id))
    if role is not None:
        statement = statement.where(Staff.role == role)
    return _page(session, statement, limit=limit, offset=offset)


# -- employers and their contacts ---------------------------------------------------------------


def _cvr_free(session: Session, cvr: str, own_id: int | None) -> str:
    other = session.exec(select(Employer).where(Employer.cvr == cvr)).first()
    if other is not None and other.id != own_id:
        raise ContactInputError("cvr", f"CVR {cvr} already belongs to employer {other.id} ({other.name})")
    return cvr


def create_employer(
    *,
    session: Session,
    name: str,
    cvr: str | None,
    consultant_id: int | None = None,
    paused: bool = False,
    address: str | None = None,
    now: datetime,
) -> Employer:
    checked(EmployerCreate, {"name": name, "cvr": cvr, "consultant_id": consultant_id, "paused": paused,
                             "address": address})
    employer = Employer(
        name=check_name(name),
        cvr=None if not cvr else _cvr_free(session, check_cvr(cvr), None),
        consultant_id=_check_staff_ref(session, consultant_id, "consultant_id"),
        paused=paused,
        address=address,
        created_at=now,
    )
    return _save(session, employer)


def update_employer(*, session: Session, employer: Employer, changes: Mapping[str, Any]) -> Employer:
    checked(EmployerUpdate, changes)
    for key, value in changes.items():
        if key == "name":
            employer.name = check_name(value)
        elif key == "cvr":
            employer.cvr = None if not value else _cvr_free(session, check_cvr(value), employer.id)
        elif key == "consultant_id":
            employer.consultant_id = _check_staff_ref(session, value, "consultant_id")
        elif key == "paused":
            employer.paused = bool(value)
        elif key == "address":
            employer.address = value
        else:
            raise ContactInputError(key, "this field cannot be changed")
    return _save(session, employer)


def get_employer(*, session: Session, employer_id: int) -> Employer:
    return _get(session, Employer, employer_id, "employer")


def list_employers(
    *, session: Session, consultant_id: int | None = None, limit: int = 100, offset: int = 0
) -> list[Employer]:
    statement = select(Employer).order_by(col(Employer.id))
    if consultant_id is not None:
        statement = statement.where(Employer.consultant_id == consultant_id)
    return _page(session, statement, limit=limit, offset=offset)


def create_employer_contact(
    *,
    session: Session,
    employer_id: int,
    name: str,
    phone: str | None,
    language: str = "da",
    region: str = "DK",
    now: datetime,
) -> EmployerContact:
    checked(EmployerContactCreate, {"name": name, "phone": phone, "language": language})
    get_employer(session=session, employer_id=employer_id)
    contact = EmployerContact(
        employer_id=employer_id,
        name=check_name(name),
        phone=free_phone(session, phone, region=region, kind="employer_contact", own_id=None),
        language=check_language(language),
        created_at=now,
    )
    return _save(session, contact)


def update_employer_contact(
    *,
    session: Session,
    contact: EmployerContact,
    changes: Mapping[str, Any],
    region: str = "DK",
    now: datetime,
) -> EmployerContact:
    checked(EmployerContactUpdate, changes)
    change_contact(session, contact, changes, kind="employer_contact", region=region, now=now)
    return _save(session, contact)


def change_contact(session: Session, contact: EmployerContact | CentreContact, changes: Mapping[str, Any], *,
                   kind: str, region: str, now: datetime) -> None:
    """What an employer's and a language centre's contact share: name, phone, language, "no SMS"."""
    for key, value in changes.items():
        if key == "name":
            contact.name = check_name(value)
        elif key == "phone":
            contact.phone = free_phone(session, value, region=region, kind=kind, own_id=contact.id)
        elif key == "language":
            contact.language = check_language(value)
        elif key == "opted_out":
            set_opted_out(contact, bool(value), now=now)
        else:
            raise ContactInputError(key, "this field cannot be changed")


def get_employer_contact(*, session: Session, employer_id: int, contact_id: int) -> EmployerContact:
    contact = session.get(EmployerContact, contact_id)
    if contact is None or contact.employer_id != employer_id:
        raise NotFound(f"Employer {employer_id} has no contact with id {contact_id}.")
    return contact


def list_employer_contacts(
    *, session: Session, employer_id: int, limit: int = 100, offset: int = 0
) -> list[EmployerContact]:
    get_employer(session=session, employer_id=employer_id)
    statement = (
        select(EmployerContact)
        .where(EmployerContact.employer_id == employer_id)
        .order_by(col(EmployerContact.id))
    )
    return _page(session, statement, limit=limit, offset=offset)
