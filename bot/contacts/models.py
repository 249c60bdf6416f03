"""People the assistant talks to, and the staff who look after them.

Each table has its family beside it: ``...Base`` holds the fields a person gives, the table adds
what the assistant keeps, ``...Create`` and ``...Update`` (every field optional) are what the API
accepts, ``...Public`` what it returns. The service functions in ``bot.contacts.service`` check
the values themselves, so the panel's forms and the API refuse the same things.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import object_session
from sqlmodel import AutoString, Field, SQLModel

from bot.api.timestamps import ApiDatetime
from bot.api.types import INT64_MAX
from bot.models_base import json_field, utc_field

PHONE_INPUT = "Any usual spelling; stored as E.164."


def name_field(example: str) -> Any:
    """A name as staff type it; the column keeps its unbounded type, the limit is the API's."""
    return Field(min_length=1, max_length=200, sa_type=AutoString, schema_extra={"examples": [example]})


def staff_ref(description: str) -> Any:
    """A staff member's id. No database integer is larger, so a larger one is a 422, not a 500."""
    return Field(
        default=None, foreign_key="staff.id", index=True, ge=1, le=INT64_MAX, description=description
    )


class Role(StrEnum):
    consultant = "consultant"
    caseworker = "caseworker"
    benefits = "benefits"
    team_lead = "team_lead"
    admin = "admin"
    # An interpreter or bilingual staff member: reviews the SMS translations and nothing else.
    translator = "translator"


class _Input(SQLModel):
    model_config = ConfigDict(extra="forbid")  # type: ignore[assignment]


class _Output(SQLModel):
    model_config = ConfigDict(from_attributes=True)  # type: ignore[assignment]


# -- staff --------------------------------------------------------------------------------------


class StaffBase(SQLModel):
    name: str = name_field("Mette Jensen")
    email: str = Field(unique=True, index=True, schema_extra={"examples": ["mette.jensen@kommune.dk"]})
    phone: str | None = Field(default=None, unique=True, index=True, description=PHONE_INPUT)
    role: Role = Field(default=Role.consultant)


class Staff(StaffBase, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    languages: list[str] = json_field(list)
    password_hash: str | None = None
    active: bool = True
    created_at: datetime | None = utc_field()


class StaffCreate(StaffBase, _Input):
    languages: list[str] = Field(default_factory=lambda: ["da"], description="Languages this person speaks.")
    password: str | None = Field(default=None, min_length=8, description="For the admin panel; optional.")


class StaffUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = None
    phone: str | None = None
    role: Role | None = None
    languages: list[str] | None = None
    active: bool | None = None
    password: str | None = Field(default=None, min_length=8)


# Never the password hash, nor any token.
class StaffPublic(StaffBase, _Output):
    languages: list[str] = Field(default_factory=lambda: ["da"], description="Languages this person speaks.")
    id: int
    active: bool
    created_at: ApiDatetime | None = None


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored, and no model returns it."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    token_sha256: str = Field(unique=True, index=True)
    created_at: datetime | None = utc_field()
    revoked_at: datetime | None = utc_field()


# -- citizens -----------------------------------------------------------------------------------


class CitizenBase(SQLModel):
    name: str = name_field("Amal Hassan")
    # Not unique: a household may share one phone (``bot.contacts.registry``).
    phone: str | None = Field(
        default=None, index=True, description=PHONE_INPUT, schema_extra={"examples": ["+45 20 12 34 56"]}
    )
    language: str = Field(default="da", description="Language code the citizen reads.",
                          schema_extra={"examples": ["ar"]})
    consultant_id: int | None = staff_ref("The responsible job consultant.")


class Citizen(CitizenBase, table=True):
    __tablename__ = "citizen"

    id: int | None = Field(default=None, primary_key=True)
    # What the family calls this person in a text ("Mo" for Mohammed), besides the first name.
    nickname: str | None = None
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
    # The secret in the citizen's calendar address: never in ``CitizenPublic``.
    calendar_token: str | None = Field(default=None, unique=True)
    created_at: datetime | None = utc_field()

    @property
    def shared_with(self) -> list[dict[str, Any]]:
        """The rest of the household on this phone (id and first name), for the API and panel."""
        from bot.contacts.registry import first_name, sharers

        session = object_session(self)
        if session is None or not self.phone:
            return []
        return [{"id": c.id, "first_name": first_name(c.name)} for c in sharers(session, self)]  # type: ignore[arg-type]


SHARES_PHONE = ("The number is also other citizens' (one household's phone). Without it, a number "
                "another citizen holds is refused, so a typo cannot put someone on a stranger's phone.")


class CitizenCreate(CitizenBase, _Input):
    shares_phone: bool = Field(default=False, description=SHARES_PHONE)


class CitizenUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    phone: str | None = None
    language: str | None = None
    consultant_id: int | None = Field(default=None, ge=1, le=INT64_MAX)
    opted_out: bool | None = None
    nickname: str | None = Field(default=None, description="What the household calls them in a text.")
    shares_phone: bool = Field(default=False, description=SHARES_PHONE)


class SharerPublic(BaseModel):
    id: int
    first_name: str


# No calendar token; health data lives with sick notices and messages, never here.
class CitizenPublic(CitizenBase, _Output):
    id: int
    opted_out: bool
    opted_out_at: ApiDatetime | None = None
    created_at: ApiDatetime | None = None
    nickname: str | None = None
    shared_with: list[SharerPublic] = Field(
        default=[], description="Others of the household who share this phone (first names only)."
    )


# -- employers and their contacts ---------------------------------------------------------------


class EmployerBase(SQLModel):
    name: str = name_field("Hansen Byg ApS")
    cvr: str | None = Field(default=None, unique=True, index=True, description="The 8-digit CVR number.",
                            schema_extra={"examples": ["12345678"]})
    consultant_id: int | None = staff_ref("The key-account company consultant.")
    paused: bool = Field(default=False, description="The company has asked for a pause in placements.")
    address: str | None = None


class Employer(EmployerBase, table=True):
    __tablename__ = "employer"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime | None = utc_field()


class EmployerCreate(EmployerBase, _Input):
    pass


class EmployerUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    cvr: str | None = None
    consultant_id: int | None = Field(default=None, ge=1, le=INT64_MAX)
    paused: bool | None = None
    address: str | None = None


class EmployerPublic(EmployerBase, _Output):
    id: int
    created_at: ApiDatetime | None = None


class EmployerContactBase(SQLModel):
    name: str = name_field("Lars Hansen")
    phone: str | None = Field(default=None, unique=True, index=True, description=PHONE_INPUT)
    language: str = Field(default="da", schema_extra={"examples": ["da"]})


class EmployerContact(EmployerContactBase, table=True):
    __tablename__ = "employer_contact"

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()


class EmployerContactCreate(EmployerContactBase, _Input):
    pass


class EmployerContactUpdate(_Input):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    phone: str | None = None
    language: str | None = None
    opted_out: bool | None = None


class EmployerContactPublic(EmployerContactBase, _Output):
    id: int
    employer_id: int
    opted_out: bool
    created_at: ApiDatetime | None = None
