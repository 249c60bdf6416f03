"""People the assistant talks to, and the staff who look after them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import object_session
from sqlmodel import Field, SQLModel

from bot.models_base import json_field, utc_field


class Role(StrEnum):
    consultant = "consultant"
    caseworker = "caseworker"
    benefits = "benefits"
    team_lead = "team_lead"
    admin = "admin"
    # An interpreter or bilingual staff member: reviews the SMS translations and nothing else.
    translator = "translator"


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    email: str = Field(unique=True, index=True)
    phone: str | None = Field(default=None, unique=True, index=True)
    role: Role = Field(default=Role.consultant)
    languages: list[str] = json_field(list)
    password_hash: str | None = None
    active: bool = True
    created_at: datetime | None = utc_field()


class ApiToken(SQLModel, table=True):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", index=True)
    token_sha256: str = Field(unique=True, index=True)
    created_at: datetime | None = utc_field()
    revoked_at: datetime | None = utc_field()


class Citizen(SQLModel, table=True):
    __tablename__ = "citizen"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    # Not unique: a household may share one phone (``bot.contacts.registry``).
    phone: str | None = Field(default=None, index=True)
    # What the family calls this person in a text ("Mo" for Mohammed), besides the first name.
    nickname: str | None = None
    language: str = "da"
    consultant_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
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


class Employer(SQLModel, table=True):
    __tablename__ = "employer"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    cvr: str | None = Field(default=None, unique=True, index=True)
    consultant_id: int | None = Field(default=None, foreign_key="staff.id", index=True)
    paused: bool = False
    address: str | None = None
    created_at: datetime | None = utc_field()


class EmployerContact(SQLModel, table=True):
    __tablename__ = "employer_contact"

    id: int | None = Field(default=None, primary_key=True)
    employer_id: int = Field(foreign_key="employer.id", index=True)
    name: str
    phone: str | None = Field(default=None, unique=True, index=True)
    language: str = "da"
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()
