"""Language centres and the people there who are told about absences: contacts, like employers'.

``bot.contacts.registry`` answers who holds a number across every kind of contact, these included.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic import Field as ApiField
from sqlmodel import Field, SQLModel

from bot.models_base import utc_field


class LanguageCentre(SQLModel, table=True):
    __tablename__ = "language_centre"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    address: str | None = None
    created_at: datetime | None = utc_field()


class CentreContact(SQLModel, table=True):
    """A person at a language centre who is told about absences (kept like employer contacts)."""

    __tablename__ = "centre_contact"

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="language_centre.id", index=True)
    name: str
    phone: str | None = Field(default=None, unique=True, index=True)
    language: str = "da"
    opted_out: bool = False
    opted_out_at: datetime | None = utc_field()
    created_at: datetime | None = utc_field()


# What the API reads and returns, beside the tables (``/api/v1``).

class CentreCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ApiField(min_length=1, max_length=200)
    address: str | None = None


class CentrePublic(CentreCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int


class CentreContactCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = ApiField(min_length=1, max_length=200)
    phone: str | None = None
    language: str = "da"


class CentreContactPublic(CentreContactCreate):
    model_config = ConfigDict(from_attributes=True)

    id: int
    centre_id: int
    opted_out: bool
